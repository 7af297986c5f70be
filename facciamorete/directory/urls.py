from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("servizi/", views.service_list, name="service_list"),
    path("servizi/<str:key>/", views.service_detail, name="service_detail"),
]
