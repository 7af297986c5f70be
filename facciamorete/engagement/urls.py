from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("aderisci/", views.join, name="join"),
    path("aderisci/domanda/<str:token>/", views.application_status, name="application_status"),
    path(
        "aderisci/password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"
    ),
    path("aderisci/hanno-aderito/", views.members, {"which": "members"}, name="members"),
    path("aderisci/partner/", views.members, {"which": "partners"}, name="partners"),
    path("collabora/", views.collaborate, name="collaborate"),
    path("collabora/opportunita/<slug:slug>/", views.opportunity_detail, name="opportunity"),
    path("collabora/profilo/<str:token>/", views.volunteer_profile, name="volunteer"),
    path("sostieni/", views.campaign_list, name="campaign_list"),
    path("sostieni/<slug:slug>/", views.campaign_detail, name="campaign"),
    path("notizie/", views.news_list, name="news_list"),
    path("notizie/<slug:slug>/", views.news_detail, name="news_detail"),
    path("eventi/", views.event_list, name="event_list"),
    path("eventi/<slug:slug>/", views.event_detail, name="event_detail"),
    path("eventi/iscrizione/<str:token>/", views.registration, name="registration"),
    # Feeds, not pages: left unnamed so that the page checks skip them; see views.feed_path.
    path("eventi.ics", views.events_feed),
    path("enti/<slug:slug>/eventi.ics", views.events_feed),
]
