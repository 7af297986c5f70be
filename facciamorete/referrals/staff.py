"""Staff pages: the desk's queue and request screen, the organisation's queue, unmet needs and
district figures. Served inside the staff area (admin.py mounts them), which requires a staff
login; what each user sees is decided by the models' `visible_to(user)`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from facciamorete.core.forms import add_validation_error
from facciamorete.core.submissions import already_submitted
from facciamorete.directory.models import Service

from . import services
from .forms import (
    MemberFormSet,
    QueueFilterForm,
    ReferForm,
    TakeOnBehalfForm,
    TransitionForm,
    UnmetNeedForm,
    need_areas,
)
from .models import (
    AuditEntry,
    Consent,
    Desk,
    HelpRequest,
    Referral,
    UnmetNeed,
    is_admin,
)
from .notices import sharing_notice

FINAL = Referral.FINAL_STATES
TRANSITION_FIELDS = ("to", "version", "reason", "note", "outcome")
UNMET_FIELDS = ("desk", "areas", "municipality", "note", "audience")


def url(name: str, *args) -> str:
    return reverse(f"admin:referrals_{name}", args=args)


def staff_nav(user) -> list[tuple[str, str]]:
    """The links to the staff pages this user may open."""
    links = []
    if Desk.objects.operated_by(user).exists():
        links += [
            (url("helprequest_changelist"), _("Richieste dello sportello")),
            (url("helprequest_add"), _("Nuova richiesta per conto di una persona")),
            (url("unmetneed_add"), _("Registra un bisogno senza risposta")),
        ]
    if is_admin(user) or user.organization_roles.exists():
        links.append((url("referral_changelist"), _("Invii ricevuti dall'ente")))
    links.append((url("unmetneed_changelist"), _("Dati aggregati")))
    return links


def render_staff(request, template: str, context: dict):
    context = {"staff_nav": staff_nav(request.user), **context}
    return render(request, f"referrals/staff/{template}", context)


def _audit_list(user, model, rows) -> None:
    if rows:
        codes = ", ".join(str(getattr(r, "code", r.pk)) for r in rows[:20])
        services.audit(user=user, action=AuditEntry.Action.LIST, obj=model, detail=codes)


# The desk ----------------------------------------------------------------------------------------


def desk_queue(request):
    desks = Desk.objects.operated_by(request.user)
    if not desks.exists():
        raise Http404
    status = request.GET.get("stato", "")
    found = (
        HelpRequest.objects.visible_to(request.user)
        .filter(desk__in=desks)
        .select_related("municipality", "desk", "preferred_language")
        .annotate(open_referrals=Count("referrals", filter=~Q(referrals__status__in=FINAL)))
    )
    if status in HelpRequest.Status.values:
        found = found.filter(status=status)
    rows = list(found[:200])
    _audit_list(request.user, HelpRequest, rows)
    return render_staff(
        request,
        "desk_queue.html",
        {"rows": rows, "status": status, "statuses": HelpRequest.Status.choices},
    )


def take_on_behalf(request):
    desks = Desk.objects.operated_by(request.user).filter(is_active=True)
    if not desks.exists():
        raise Http404
    duplicates = []
    if request.method == "POST":
        previous = already_submitted(HelpRequest, request.POST)
        if previous and HelpRequest.objects.visible_to(request.user).filter(pk=previous.pk):
            return redirect(url("helprequest_detail", previous.code))
        form = TakeOnBehalfForm(request.POST, desks=desks)
        members = MemberFormSet(request.POST, prefix="nucleo")
        if form.is_valid() and members.is_valid():
            duplicates = _duplicates(request.user, form)
            if not duplicates or form.cleaned_data["confirm_duplicate"]:
                return _save_on_behalf(request, form, members, desks)
    else:
        form = TakeOnBehalfForm(desks=desks)
        members = MemberFormSet(prefix="nucleo")
    return render_staff(
        request,
        "take_on_behalf.html",
        {"form": form, "members": members, "duplicates": duplicates},
    )


def _duplicates(user, form) -> list[HelpRequest]:
    """Probable duplicates among the requests this operator may see (never other desks')."""
    return list(
        HelpRequest.objects.visible_to(user).probable_duplicates(
            name=form.cleaned_data.get("name", ""),
            birth_date=form.cleaned_data.get("birth_date"),
            municipality=form.cleaned_data["municipality"],
        )[:5]
    )


def _save_on_behalf(request, form, members, desks):
    municipality = form.cleaned_data["municipality"]
    desk = desks.filter(municipalities=municipality).first() or desks.first()
    rows = [
        (m["first_name"].strip(), m["birth_year"])
        for m in members.cleaned_data
        if m.get("first_name", "").strip()
    ]
    help_request, _created = services.help_request_submit(
        token=form.submission_token,
        fields=form.model_fields(),
        areas=form.cleaned_data["areas"],
        members=rows,
        taken_by=request.user,
        desk=desk,
    )
    messages.success(request, _("Richiesta %(code)s registrata.") % {"code": help_request.code})
    return redirect(url("helprequest_detail", help_request.code))


def request_detail(request, code: str):
    help_request = get_object_or_404(
        HelpRequest.objects.visible_to(request.user)
        .select_related("desk", "municipality", "preferred_language", "service", "taken_by")
        .prefetch_related("areas", "household__members"),
        code=code,
    )
    if not services.is_desk_operator(request.user, help_request):
        raise Http404  # receiving organisations follow their referral, not the whole request
    refer_form = ReferForm()
    if request.method == "POST":
        response = _desk_action(request, help_request, refer_form)
        if response is not None:
            return response
        refer_form = request.refer_form
    services.audit(user=request.user, action=AuditEntry.Action.READ, obj=help_request)
    q, area = request.GET.get("q", "").strip(), request.GET.get("area", "")
    return render_staff(
        request,
        "request_detail.html",
        {
            "hr": help_request,
            "referrals": help_request.referrals.select_related("service", "organization")
            .prefetch_related(Prefetch("events", to_attr="event_list"))
            .order_by("created_at"),
            "consents": help_request.consents.select_related("organization", "recorded_by"),
            "refer_form": refer_form,
            "q": q,
            "area": area,
            "areas": need_areas(),
            "found": _search_services(q, area),
            "sharing_notice": sharing_notice(),
            "is_network_admin": is_admin(request.user),
        },
    )


# Personal data (network admins) ------------------------------------------------------------------


@require_POST
def request_export(request, code: str):
    """The person's data as a JSON download; admins only, audited by the service."""
    if not is_admin(request.user):
        raise PermissionDenied
    help_request = get_object_or_404(HelpRequest, code=code)
    data = services.person_data_export(help_request=help_request, by=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="richiesta-{help_request.code}.json"'
    return response


@require_POST
def request_erase(request, code: str):
    """Anonymise the person's requests; admins only, audited by the service."""
    if not is_admin(request.user):
        raise PermissionDenied
    help_request = get_object_or_404(HelpRequest, code=code)
    if not request.POST.get("confirm"):
        messages.error(request, _("Spunta la conferma prima di cancellare i dati."))
        return redirect(url("helprequest_detail", help_request.code))
    erased = services.help_request_erase(help_request=help_request, by=request.user)
    text = ngettext(
        "Dati della persona anonimizzati: %(n)s richiesta.",
        "Dati della persona anonimizzati: %(n)s richieste.",
        len(erased),
    )
    messages.success(request, text % {"n": len(erased)})
    return redirect(url("helprequest_detail", help_request.code))


def _search_services(q: str, area: str):
    if not q and not area:
        return []
    found = Service.objects.published().select_related("organization")
    if q:
        found = found.filter(
            Q(name__icontains=q) | Q(description__icontains=q) | Q(organization__name__icontains=q)
        )
    if area:
        found = found.filter(areas__code=area)
    return list(found.distinct().order_by("name")[:20])


def _desk_action(request, help_request, refer_form):
    action = request.POST.get("action")
    try:
        if action == "refer":
            form = ReferForm(request.POST)
            request.refer_form = form
            if not form.is_valid():
                return None
            services.referral_create(
                help_request=help_request,
                service=form.cleaned_data["service"],
                by=request.user,
                consent_given=form.cleaned_data["consent"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Invio fatto: l'ente riceve un avviso."))
        elif action == "cancel":
            referral = get_object_or_404(help_request.referrals, pk=request.POST.get("referral"))
            services.referral_transition(
                referral=referral,
                to=Referral.Status.CANCELLED,
                by=request.user,
                version=int(request.POST.get("version") or 0),
            )
            messages.success(request, _("Invio annullato."))
        elif action == "revoke":
            consent = get_object_or_404(
                help_request.consents.standing(), pk=request.POST.get("consent")
            )
            services.consent_revoke(consent=consent, user=request.user)
            messages.success(request, _("Consenso revocato."))
        else:
            raise Http404
    except ValidationError as error:
        if action == "refer":
            add_validation_error(request.refer_form, error)
            messages.error(request, " ".join(error.messages))
            return None
        messages.error(request, " ".join(error.messages))
    return redirect(url("helprequest_detail", help_request.code))


# The receiving organisation ----------------------------------------------------------------------


def org_queue(request):
    visible = Referral.objects.visible_to(request.user)
    if not is_admin(request.user):
        visible = visible.filter(organization__operators__user=request.user)
    services_offered = Service.objects.filter(pk__in=visible.values("service")).order_by("name")
    filters = QueueFilterForm(request.GET or None, services=services_offered)
    if filters.is_bound and filters.is_valid():
        if filters.cleaned_data["status"]:
            visible = visible.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["service"]:
            visible = visible.filter(service=filters.cleaned_data["service"])
        if filters.cutoff():
            visible = visible.filter(created_at__lt=filters.cutoff())
    rows = list(
        visible.select_related("service", "organization", "help_request__municipality").order_by(
            "-created_at"
        )[:200]
    )
    _audit_list(request.user, Referral, rows)
    return render_staff(request, "org_queue.html", {"rows": rows, "filters": filters})


def referral_detail(request, pk: int):
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "service",
            "organization",
            "help_request__municipality",
            "help_request__preferred_language",
            "help_request__desk",
        ),
        pk=pk,
    )
    receiver = services.is_receiver(request.user, referral)
    form = None
    if request.method == "POST":
        form = TransitionForm(request.POST)
        if form.is_valid() and receiver:
            try:
                services.referral_transition(
                    referral=referral,
                    by=request.user,
                    **{k: form.cleaned_data[k] for k in TRANSITION_FIELDS},
                )
                messages.success(
                    request, _("Stato aggiornato: %(s)s.") % {"s": referral.get_status_display()}
                )
                return redirect(url("referral_detail", referral.pk))
            except ValidationError as error:
                add_validation_error(form, error)
                referral.refresh_from_db()
    services.audit(user=request.user, action=AuditEntry.Action.READ, obj=referral)
    return render_staff(
        request,
        "referral_detail.html",
        {
            "referral": referral,
            "hr": referral.help_request,
            "events": referral.events.select_related("actor"),
            "receiver": receiver,
            "form": form,
            "next_states": [Referral.Status(s) for s in referral.next_states()] if receiver else [],
            "Status": Referral.Status,
            "reasons": Referral.DeclineReason.choices,
            "outcomes": Referral.Outcome.choices,
        },
    )


# Unmet needs and district figures ----------------------------------------------------------------


def unmet_need_new(request):
    desks = Desk.objects.operated_by(request.user)
    if not desks.exists():
        raise Http404
    initial = {"desk": desks.first()}
    source = (
        HelpRequest.objects.visible_to(request.user)
        .filter(code=request.GET.get("richiesta", ""))
        .first()
    )
    if source is not None:
        initial |= {"municipality": source.municipality, "areas": list(source.areas.all())}
    form = UnmetNeedForm(request.POST or None, desks=desks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unmet_need_record(
                by=request.user,
                **{k: form.cleaned_data[k] for k in UNMET_FIELDS},
            )
            messages.success(request, _("Bisogno senza risposta registrato. Grazie."))
            return redirect(url("unmetneed_changelist"))
        except ValidationError as error:
            add_validation_error(form, error)
    return render_staff(request, "unmet_need_form.html", {"form": form})


def summary(request):
    """Counts only: what a district coordinator sees. No row of personal data is read here."""
    requests_by = (
        HelpRequest.objects.values("municipality__name", "status")
        .annotate(n=Count("pk"))
        .order_by("municipality__name", "status")
    )
    referrals_by = Referral.objects.values("status").annotate(n=Count("pk")).order_by("status")
    needs_by = (
        UnmetNeed.objects.values("municipality__name", "areas__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("municipality__name", "areas__name")
    )
    request_labels = dict(HelpRequest.Status.choices)
    referral_labels = dict(Referral.Status.choices)
    return render_staff(
        request,
        "summary.html",
        {
            "requests_by": [r | {"label": request_labels[r["status"]]} for r in requests_by],
            "referrals_by": [r | {"label": referral_labels[r["status"]]} for r in referrals_by],
            "needs_by": needs_by,
            "is_desk_operator": Desk.objects.operated_by(request.user).exists(),
            "consents_revoked": Consent.objects.filter(revoked_at__isnull=False).count(),
        },
    )
