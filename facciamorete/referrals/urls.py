from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("chiedi-aiuto/", views.ask, name="ask"),
    path("chiedi-aiuto/inviata/", views.sent, name="sent"),
    path("chiedi-aiuto/stato/", views.status, name="status"),
    path("chiedi-aiuto/com-e-andata/<str:token>/", views.follow_up, name="follow_up"),
    path("sportelli/", views.desk_list, name="desk_list"),
    path("sportelli/<slug:slug>/", views.desk_detail, name="desk_detail"),
]
