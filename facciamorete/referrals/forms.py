import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facciamorete.core.forms import SafeFormMixin, style_fields
from facciamorete.core.models import TaxonomyTerm
from facciamorete.core.validators import normalize_phone, validate_phone
from facciamorete.directory.models import Language, Service
from facciamorete.territory.models import Municipality

from .models import ContactChannel, Desk, HelpRequest, Referral, UnmetNeed
from .notices import privacy_notice


def served_municipalities():
    """The comuni some desk serves; every comune of a district when no desk lists any yet.

    A select of all ~7,900 Italian comuni would weigh on a cheap phone."""
    served = Municipality.objects.filter(desks__is_active=True).distinct()
    if served.exists():
        return served.order_by("name")
    in_districts = Municipality.objects.filter(districts__isnull=False).distinct()
    return (in_districts if in_districts.exists() else Municipality.objects.all()).order_by("name")


def need_areas():
    return TaxonomyTerm.objects.of("aree-utenza").order_by("order", "name")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self)


class HelpRequestForm(SafeFormMixin, forms.ModelForm):
    areas = forms.ModelMultipleChoiceField(
        label=_("In quale ambito? (facoltativo)"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )
    consent = forms.BooleanField(
        label=_("Ho letto l'informativa qui sopra e sono d'accordo"),
        error_messages={"required": _("Per inviare la richiesta serve il tuo consenso.")},
    )

    class Meta:
        model = HelpRequest
        fields = [
            "description",
            "areas",
            "municipality",
            "preferred_language",
            "name",
            "contact_channel",
            "phone",
            "email",
        ]
        labels = {
            "description": _("Di che cosa hai bisogno? Scrivilo con parole tue"),
            "municipality": _("In quale comune vivi?"),
            "name": _("Come ti chiami? (facoltativo)"),
            "contact_channel": _("Come vuoi essere contattato?"),
            "phone": _("Numero di telefono"),
            "email": _("Indirizzo e-mail"),
        }
        help_texts = {
            "phone": _("Serve se scegli telefono o SMS. Esempio: 333 1234567."),
            "email": _("Serve se scegli l'e-mail."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "contact_channel": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {
            "description": {"required": _("Scrivi in poche parole di che cosa hai bisogno.")},
            "municipality": {"required": _("Scegli il comune in cui vivi.")},
            "contact_channel": {"required": _("Scegli come vuoi essere contattato.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = need_areas()
        self.fields["municipality"].queryset = served_municipalities()
        self.fields["preferred_language"].queryset = Language.objects.order_by("name")
        self.fields["preferred_language"].label = _("In quale lingua preferisci parlare?")
        self.fields["service"].queryset = Service.objects.published()
        style_fields(self)

    notice = property(lambda self: privacy_notice())

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if not phone:
            return ""
        validate_phone(phone)
        return normalize_phone(phone)

    def clean(self):
        data = super().clean()
        channel = data.get("contact_channel")
        needs_phone = channel in (ContactChannel.PHONE, ContactChannel.SMS)
        if needs_phone and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Scrivi il numero a cui vuoi essere chiamato."))
        needs_email = channel == ContactChannel.EMAIL
        if needs_email and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Scrivi l'indirizzo e-mail a cui risponderti."))
        return data

    def model_fields(self) -> dict:
        names = [f for f in self._meta.fields if f != "areas"]
        return {name: self.cleaned_data.get(name) or "" for name in names} | {
            "municipality": self.cleaned_data["municipality"],
            "preferred_language": self.cleaned_data.get("preferred_language"),
            "service": self.cleaned_data.get("service"),
        }


class TakeOnBehalfForm(HelpRequestForm):
    """The same request, typed in by a desk operator with the person in front of them."""

    birth_date = forms.DateField(
        label=_("Data di nascita (facoltativa)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Con nome e comune serve a riconoscere una richiesta già registrata."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Ho controllato: è una persona diversa o una nuova richiesta"), required=False
    )

    def __init__(self, *args, desks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "La persona ha letto (o le è stata letta) l'informativa ed è d'accordo"
        )
        self.fields["description"].label = _("Di che cosa ha bisogno la persona")
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(desks__in=desks).distinct()
            if desks is not None
            else served_municipalities()
        )
        self.fields["municipality"].label = _("Comune in cui vive la persona")
        self.fields["name"].label = _("Nome e cognome")
        style_fields(self)

    def model_fields(self) -> dict:
        return super().model_fields() | {"birth_date": self.cleaned_data.get("birth_date")}


class MemberForm(StyledForm):
    first_name = forms.CharField(label=_("Nome"), max_length=80, required=False)
    birth_year = forms.IntegerField(label=_("Anno di nascita"), required=False)

    def clean(self):
        data = super().clean()
        name, year = data.get("first_name", "").strip(), data.get("birth_year")
        this_year = timezone.localdate().year
        if name and year is None and "birth_year" not in self.errors:
            self.add_error("birth_year", _("Indica l'anno di nascita."))
        if year is not None and not name:
            self.add_error("first_name", _("Indica il nome."))
        if year is not None and not (this_year - 120 <= year <= this_year):
            self.add_error(
                "birth_year",
                _("Un anno tra %(a)s e %(b)s.") % {"a": this_year - 120, "b": this_year},
            )
        return data


MemberFormSet = forms.formset_factory(MemberForm, extra=4, max_num=12)


class StatusLookupForm(StyledForm):
    code = forms.CharField(
        label=_("Codice della richiesta"),
        max_length=12,
        help_text=_("Lo hai ricevuto dopo l'invio. Esempio: ACDE-3479."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    contact = forms.CharField(
        label=_("Il telefono o l'e-mail che hai indicato"),
        max_length=254,
    )


class ReferForm(StyledForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), widget=forms.HiddenInput, label=_("Servizio")
    )
    note = forms.CharField(
        label=_("Nota per l'ente (facoltativa, solo l'indispensabile)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=_("La persona è d'accordo a condividere la richiesta con questo ente"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.published()


class TransitionForm(StyledForm):
    to = forms.ChoiceField(choices=Referral.Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Motivo"),
        choices=[("", "—"), *Referral.DeclineReason.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Esito"), choices=[("", "—"), *Referral.Outcome.choices], required=False
    )
    note = forms.CharField(
        label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QueueFilterForm(StyledForm):
    AGES = [("", _("Qualsiasi")), ("2", _("Più di 2 giorni")), ("7", _("Più di 7 giorni"))]
    status = forms.ChoiceField(
        label=_("Stato"), choices=[("", _("Tutti"))] + Referral.Status.choices, required=False
    )
    service = forms.ModelChoiceField(
        label=_("Servizio"), queryset=Service.objects.none(), required=False
    )
    age = forms.ChoiceField(label=_("Età dell'invio"), choices=AGES, required=False)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services if services is not None else Service.objects
        self.fields["service"].empty_label = _("Tutti")

    def cutoff(self) -> dt.datetime | None:
        days = self.cleaned_data.get("age")
        return timezone.now() - dt.timedelta(days=int(days)) if days else None


class UnmetNeedForm(forms.ModelForm):
    areas = forms.ModelMultipleChoiceField(
        label=_("Aree del bisogno"),
        queryset=TaxonomyTerm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Scegli almeno un'area.")},
    )

    class Meta:
        model = UnmetNeed
        fields = ["desk", "areas", "municipality", "audience", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, desks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks if desks is not None else Desk.objects.none()
        self.fields["areas"].queryset = need_areas()
        self.fields["municipality"].queryset = served_municipalities()
        self.fields["audience"].queryset = TaxonomyTerm.objects.of("fasce-utenza")
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self)
