import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from facciamorete.core.forms import add_validation_error
from facciamorete.core.ratelimit import ratelimit
from facciamorete.core.submissions import already_submitted, create_once
from facciamorete.organizations.models import Membership, NetworkRole, Organization

from . import matching, services
from .calendar import events_calendar
from .forms import (
    EventRegistrationForm,
    HoursForm,
    JoinApplicationForm,
    PledgeForm,
    VolunteerForm,
)
from .models import (
    Campaign,
    Charter,
    Event,
    EventRegistration,
    JoinApplication,
    NewsItem,
    Opportunity,
    Pledge,
    Volunteer,
)


def feed_path(organization: Organization | None = None) -> str:
    """The iCalendar feeds have no URL name (they are not pages); their paths live here."""
    if organization:
        return f"{get_script_prefix()}enti/{organization.slug}/eventi.ics"
    return f"{get_script_prefix()}eventi.ics"


# Joining the network ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@ratelimit("5/h")
def join(request):
    charter = Charter.objects.current()
    if request.method == "POST" and charter:
        previous = already_submitted(JoinApplication, request.POST)
        if previous:
            return redirect(previous)
        form = JoinApplicationForm(request.POST, charter=charter)
        if form.is_valid():
            form.instance.language = translation.get_language() or settings.LANGUAGE_CODE
            application, _created = create_once(
                JoinApplication, form.submission_token, lambda: _submit(form)
            )
            return redirect(application)
    else:
        form = JoinApplicationForm(charter=charter)
    return render(request, "engagement/join.html", {"form": form, "charter": charter})


def _submit(form: JoinApplicationForm) -> JoinApplication:
    application = form.save()
    services.application_submitted(application=application)
    return application


@require_http_methods(["GET", "POST"])
@ratelimit("10/h")
def application_status(request, token: str):
    application = get_object_or_404(
        JoinApplication.objects.select_related("charter", "municipality", "organization"),
        access_token=token,
    )
    form = None
    if application.status == JoinApplication.Status.NEEDS_INFO:
        if request.method == "POST":
            form = JoinApplicationForm(request.POST, instance=application)
            if form.is_valid():
                form.save()
                services.application_resubmit(application=application)
                messages.success(request, _("Grazie: la domanda aggiornata è di nuovo in esame."))
                return redirect(application)
        else:
            form = JoinApplicationForm(
                instance=application, initial={"submission_token": application.submission_token}
            )
    elif request.method == "POST":
        return redirect(application)
    return render(
        request, "engagement/application_status.html", {"application": application, "form": form}
    )


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation sent on approval: the new operator chooses a password, then is signed in."""

    template_name = "engagement/set_password.html"
    post_reset_login = True
    success_url = reverse_lazy("admin:index")

    def form_valid(self, form):
        messages.success(self.request, _("Password impostata: benvenuta/o nell'area riservata."))
        return super().form_valid(form)


MEMBER_SECTIONS = {
    "members": [(NetworkRole.MEMBER, None, gettext_lazy("Hanno aderito"))],
    "partners": [
        (NetworkRole.PUBLIC_PARTNER, "comune", gettext_lazy("Amministrazioni locali")),
        (NetworkRole.PUBLIC_PARTNER, "scuola", gettext_lazy("Scuole")),
        (NetworkRole.PUBLIC_PARTNER, "asl", gettext_lazy("ASL")),
        (NetworkRole.PUBLIC_PARTNER, "ente_pubblico", gettext_lazy("Altri enti pubblici")),
        (NetworkRole.PRIVATE_PARTNER, None, gettext_lazy("Partner privati")),
    ],
}


def members(request, which: str):
    """The public 'Hanno aderito' and partners pages: current memberships of active bodies."""
    current = (
        Membership.objects.current()
        .filter(organization__status=Organization.Status.ACTIVE)
        .select_related("organization__municipality")
        .order_by("organization__name")
    )
    roles = {role for role, _kind, _label in MEMBER_SECTIONS[which]}
    rows = list(current.filter(role__in=roles))
    sections = []
    for role, kind, label in MEMBER_SECTIONS[which]:
        items = [
            m for m in rows if m.role == role and (kind is None or m.organization.kind == kind)
        ]
        if items:
            sections.append((label, items))
    title = _("Hanno aderito") if which == "members" else _("I partner della rete")
    return render(
        request,
        "engagement/members.html",
        {"sections": sections, "title": title, "which": which},
    )


# News and events -------------------------------------------------------------------------------


def news_list(request):
    items = NewsItem.objects.published().select_related("organization")
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "engagement/news_list.html", {"page": page})


def news_detail(request, slug: str):
    item = get_object_or_404(NewsItem.objects.published().select_related("organization"), slug=slug)
    return render(request, "engagement/news_detail.html", {"item": item})


def event_list(request):
    past = request.GET.get("passati") == "1"
    events = (
        Event.objects.published()
        .select_related("organization", "municipality")
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=EventRegistration.Status.CONFIRMED)
            )
        )
    )
    upcoming = events.upcoming()
    if past:
        events = events.exclude(pk__in=upcoming.values("pk")).order_by("-starts_at")
    else:
        events = upcoming.order_by("starts_at")
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "engagement/event_list.html",
        {"page": page, "past": past, "feed_url": feed_path()},
    )


@require_http_methods(["GET", "POST"])
@ratelimit("10/h")
def event_detail(request, slug: str):
    event = get_object_or_404(
        Event.objects.published().select_related("organization", "municipality"), slug=slug
    )
    form = EventRegistrationForm(request.POST or None) if event.takes_registrations else None
    if request.method == "POST" and form is not None:
        previous = already_submitted(EventRegistration, request.POST)
        if previous:
            return redirect(previous)
        if form.is_valid():
            registration = form.save(commit=False)
            registration.submission_token = form.submission_token
            registration.language = translation.get_language() or settings.LANGUAGE_CODE
            try:
                registration, _created = create_once(
                    EventRegistration,
                    form.submission_token,
                    lambda: services.event_register(event=event, registration=registration),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                return redirect(registration)
    elif request.method == "POST":
        return redirect(event)
    context = {
        "event": event,
        "form": form,
        "seats_left": event.seats_left() if event.seats is not None else None,
        "feed_url": feed_path(event.organization) if event.organization else feed_path(),
    }
    return render(request, "engagement/event_detail.html", context)


@require_http_methods(["GET", "POST"])
def registration(request, token: str):
    registration = get_object_or_404(
        EventRegistration.objects.select_related("event"), access_token=token
    )
    if request.method == "POST" and request.POST.get("action") == "cancel":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Iscrizione annullata. Grazie di averci avvisato."))
        return redirect(registration)
    if request.method == "POST":
        return redirect(registration)
    position = None
    if registration.status == EventRegistration.Status.WAITING:
        position = registration.event.registrations.filter(
            status=EventRegistration.Status.WAITING, created_at__lte=registration.created_at
        ).count()
    return render(
        request,
        "engagement/registration.html",
        {"registration": registration, "event": registration.event, "position": position},
    )


def events_feed(request, slug: str | None = None):
    """Events as iCalendar, for calendar applications to subscribe to: all, or one body's."""
    events = Event.objects.published().select_related("organization", "municipality")
    events = events.filter(starts_at__gte=timezone.now() - dt.timedelta(days=90))
    organization = None
    if slug is not None:
        organization = get_object_or_404(Organization.objects.published(), slug=slug)
        events = events.filter(organization=organization)
    calendar = events_calendar(events, request=request, organization=organization)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="eventi.ics"'
    return response


# Volunteers and professionals ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@ratelimit("5/h")
def collaborate(request):
    if request.method == "POST":
        previous = already_submitted(Volunteer, request.POST)
        if previous:
            return redirect(previous)
        form = VolunteerForm(request.POST)
        if form.is_valid():
            form.instance.submission_token = form.submission_token
            form.instance.language = translation.get_language() or settings.LANGUAGE_CODE
            volunteer, _created = create_once(
                Volunteer, form.submission_token, lambda: _sign_up(form)
            )
            return redirect(volunteer)
    else:
        form = VolunteerForm()
    opportunities = (
        Opportunity.objects.published()
        .select_related("organization", "municipality")
        .order_by("-created_at")[:50]
    )
    return render(
        request, "engagement/collaborate.html", {"form": form, "opportunities": opportunities}
    )


def _sign_up(form: VolunteerForm) -> Volunteer:
    volunteer = form.save()
    services.volunteer_signed_up(volunteer=volunteer)
    return volunteer


def opportunity_detail(request, slug: str):
    opportunity = get_object_or_404(
        Opportunity.objects.published()
        .select_related("organization", "municipality")
        .prefetch_related("languages"),
        slug=slug,
    )
    return render(request, "engagement/opportunity_detail.html", {"opportunity": opportunity})


@require_http_methods(["GET", "POST"])
@ratelimit("30/h")
def volunteer_profile(request, token: str):
    volunteer = get_object_or_404(
        Volunteer.objects.prefetch_related("languages", "municipalities"), access_token=token
    )
    hours_form = HoursForm(
        request.POST if request.POST.get("action") == "hours" else None, volunteer=volunteer
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "hours" and hours_form.is_valid():
            hours_form.save()
            messages.success(request, _("Ore registrate: l'ente le confermerà."))
            return redirect(volunteer)
        if action == "interest":
            opportunity = get_object_or_404(
                Opportunity.objects.published(), pk=request.POST.get("opportunity")
            )
            try:
                services.interest_from_volunteer(volunteer=volunteer, opportunity=opportunity)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Fatto: l'ente sa che ti interessa e ti risponderà."))
            return redirect(volunteer)
        if action in ("pause", "resume"):
            volunteer.is_active = action == "resume"
            volunteer.save()
            return redirect(volunteer)
        if action != "hours":
            return redirect(volunteer)
    interests = volunteer.interests.select_related(
        "opportunity__organization", "opportunity__municipality"
    ).prefetch_related("hours")
    taken = {i.opportunity_id for i in interests}
    context = {
        "volunteer": volunteer,
        "interests": interests,
        "suggestions": [o for o in matching.opportunities_for(volunteer) if o.pk not in taken],
        "hours_form": hours_form if hours_form.fields["interest"].queryset.exists() else None,
        "confirmed_hours": sum(
            (log.hours for i in interests for log in i.hours.all() if log.confirmed), 0
        ),
    }
    return render(request, "engagement/volunteer.html", context)


# Campaigns --------------------------------------------------------------------------------------


def campaign_list(request):
    campaigns = Campaign.objects.open().select_related("organization").order_by("ends_on", "title")
    items = [(campaign, campaign.totals()) for campaign in campaigns]
    return render(request, "engagement/campaign_list.html", {"items": items})


@require_http_methods(["GET", "POST"])
@ratelimit("10/h")
def campaign_detail(request, slug: str):
    campaign = get_object_or_404(
        Campaign.objects.published().select_related("organization"), slug=slug
    )
    form = PledgeForm(request.POST or None) if campaign.is_open else None
    if request.method == "POST" and form is not None:
        if already_submitted(Pledge, request.POST):
            messages.success(request, _("Grazie! Ti abbiamo scritto per e-mail come procedere."))
            return redirect(campaign)
        if form.is_valid():
            form.instance.campaign = campaign
            form.instance.submission_token = form.submission_token
            form.instance.language = translation.get_language() or settings.LANGUAGE_CODE
            create_once(Pledge, form.submission_token, lambda: _pledge(form))
            messages.success(request, _("Grazie! Ti abbiamo scritto per e-mail come procedere."))
            return redirect(campaign)
    elif request.method == "POST":
        return redirect(campaign)
    context = {
        "campaign": campaign,
        "totals": campaign.totals(),
        "names": campaign.public_names(),
        "form": form,
    }
    return render(request, "engagement/campaign_detail.html", context)


def _pledge(form: PledgeForm) -> Pledge:
    pledge = form.save()
    services.pledge_made(pledge=pledge)
    return pledge
