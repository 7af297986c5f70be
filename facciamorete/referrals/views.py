"""Public pages: asking for help, following a request, the help desks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from facciamorete.core.ratelimit import ratelimit
from facciamorete.core.submissions import already_submitted
from facciamorete.directory.models import Service

from . import services
from .forms import HelpRequestForm, StatusLookupForm
from .models import Consent, Desk, HelpRequest, Referral, normalize_code

LAST_CODE = "referrals_last_code"
PROOF = "referrals_proof"


@require_http_methods(["GET", "POST"])
@ratelimit("10/h")
def ask(request):
    if request.method == "POST":
        previous = already_submitted(HelpRequest, request.POST)
        if previous:
            request.session[LAST_CODE] = previous.code
            return redirect("referrals:sent")
        form = HelpRequestForm(request.POST)
        if form.is_valid():
            help_request, _created = services.help_request_submit(
                token=form.submission_token,
                fields=form.model_fields(),
                areas=form.cleaned_data["areas"],
                person=request.user,
            )
            request.session[LAST_CODE] = help_request.code
            return redirect("referrals:sent")
    else:
        service = Service.objects.published().filter(slug=request.GET.get("servizio", "")).first()
        form = HelpRequestForm(initial={"service": service.slug if service else None})
    chosen = form["service"].value()
    service = Service.objects.published().filter(slug=chosen).first() if chosen else None
    return render(request, "referrals/ask.html", {"form": form, "chosen_service": service})


def sent(request):
    """After sending: the reference code only (it reveals nothing without the contact)."""
    return render(request, "referrals/sent.html", {"code": request.session.get(LAST_CODE)})


def _requests_for(request):
    """The requests this visitor may follow: by account, or by the code + contact they gave."""
    proof = request.session.get(PROOF) or {}
    found = HelpRequest.objects.visible_to(
        request.user, code=proof.get("code", ""), contact=proof.get("contact", "")
    )
    if request.user.is_authenticated:
        # Staff reach other people's requests from the staff area, not from here.
        from django.db.models import Q

        mine = Q(person=request.user)
        if proof:
            mine |= Q(code=normalize_code(proof.get("code", "")))
        found = found.filter(mine)
    return found.select_related("desk", "municipality").prefetch_related(
        Prefetch(
            "referrals",
            Referral.objects.select_related("service", "organization").order_by("created_at"),
        ),
        Prefetch(
            "consents",
            Consent.objects.filter(purpose=Consent.Purpose.REFERRAL).select_related("organization"),
        ),
    )


@require_http_methods(["GET", "POST"])
@ratelimit("30/h")
def status(request):
    form = StatusLookupForm()
    if request.method == "POST":
        action = request.POST.get("action", "lookup")
        if action == "lookup":
            form = StatusLookupForm(request.POST)
            if form.is_valid():
                proof = {k: form.cleaned_data[k].strip() for k in ("code", "contact")}
                if HelpRequest.objects.visible_to(request.user, **proof).exists():
                    request.session[PROOF] = proof
                    return redirect("referrals:status")
                form.add_error(
                    None,
                    _(
                        "Non troviamo una richiesta con questo codice e questo contatto. "
                        "Controlla di averli scritti come nella conferma."
                    ),
                )
        elif action == "forget":
            request.session.pop(PROOF, None)
            return redirect("referrals:status")
        else:
            return _act_on_request(request, action)
    found = list(_requests_for(request))
    return render(request, "referrals/status.html", {"form": form, "help_requests": found})


def _act_on_request(request, action: str):
    help_request = get_object_or_404(_requests_for(request), code=request.POST.get("code", ""))
    try:
        if action == "withdraw":
            services.help_request_withdraw(help_request=help_request, user=request.user)
            messages.success(request, _("Hai ritirato la richiesta. Grazie di avercelo detto."))
        elif action == "revoke":
            consent = get_object_or_404(
                help_request.consents.standing(), pk=request.POST.get("consent")
            )
            services.consent_revoke(consent=consent, user=request.user)
            messages.success(
                request,
                _("Consenso revocato: %(org)s non vede più la tua richiesta.")
                % {"org": consent.organization},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("referrals:status")


def desk_list(request):
    desks = (
        Desk.objects.published()
        .select_related("municipality")
        .prefetch_related("municipalities", "languages")
    )
    return render(request, "referrals/desk_list.html", {"desks": desks})


def desk_detail(request, slug: str):
    desk = get_object_or_404(
        Desk.objects.published()
        .select_related("municipality")
        .prefetch_related("municipalities", "languages"),
        slug=slug,
    )
    return render(request, "referrals/desk_detail.html", {"desk": desk})


@require_http_methods(["GET", "POST"])
@ratelimit("30/h")
def follow_up(request, token: str):
    """'Did you get help?': reached by the signed link sent after closing, no account needed."""
    referral = services.referral_for_follow_up(token)
    if referral is None:
        return render(request, "referrals/follow_up.html", {"invalid": True}, status=404)
    error = ""
    if request.method == "POST" and not referral.person_answer:
        try:
            services.referral_record_answer(
                referral=referral, answer=request.POST.get("answer", "")
            )
            return redirect("referrals:follow_up", token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "referrals/follow_up.html",
        {
            "referral": referral,
            "code": referral.help_request.code,
            "answers": Referral.PersonAnswer.choices,
            "error": error,
        },
    )
