from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("la-rete/", views.network, name="network"),
    path("contatti/", views.contact, name="contact"),
    path("la-rete/<slug:slug>/", views.page, {"section": "rete"}, name="page"),
    path("note-legali/<slug:slug>/", views.page, {"section": "note-legali"}, name="legal"),
]
