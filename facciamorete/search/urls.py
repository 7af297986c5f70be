from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("trova-aiuto/", views.find_help, name="find_help"),
    path("trova-aiuto/stampa/", views.handout, name="handout"),
]
