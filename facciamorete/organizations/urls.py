from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("enti/", views.organization_list, name="list"),
    path("enti/<slug:slug>/", views.organization_detail, name="detail"),
]
