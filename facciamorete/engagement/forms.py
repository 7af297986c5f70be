from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facciamorete.core.forms import SafeFormMixin, style_fields
from facciamorete.core.validators import normalize_tax_code, validate_phone
from facciamorete.directory.models import Language
from facciamorete.organizations.models import Organization
from facciamorete.territory.models import Municipality

from .models import (
    DayPart,
    EventRegistration,
    HoursLog,
    Interest,
    JoinApplication,
    NetworkGoal,
    Pledge,
    Volunteer,
    Weekday,
)

APPLICATION_FIELDS = [
    "role",
    "name",
    "alternate_name",
    "kind",
    "tax_code",
    "runts_section",
    "runts_number",
    "municipality",
    "description",
    "website",
    "email",
    "pec",
    "goals",
    "services_offered",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
]


def network_municipalities():
    """The comuni of the network's districts; every comune when no district is loaded yet.

    A select of all ~7,900 Italian comuni would weigh on a cheap phone."""
    in_districts = Municipality.objects.filter(districts__isnull=False).distinct()
    return (in_districts if in_districts.exists() else Municipality.objects.all()).order_by("name")


class JoinApplicationForm(SafeFormMixin, forms.ModelForm):
    goals = forms.MultipleChoiceField(
        label=_("Quali obiettivi della rete condividete?"),
        choices=NetworkGoal.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Scegli almeno un obiettivo della rete.")},
    )
    accept_charter = forms.BooleanField(
        label=_("Ho letto la Carta della rete e la accetto a nome dell'ente"),
        error_messages={"required": _("Per aderire serve accettare la Carta della rete.")},
    )

    class Meta:
        model = JoinApplication
        fields = APPLICATION_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "services_offered": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "tax_code": _("11 cifre per gli enti; lo trovi sull'atto costitutivo o in visura."),
            "runts_section": _("Solo per gli enti iscritti al Registro unico del Terzo settore."),
            "services_offered": _("Facoltativo: potrete aggiungere i servizi anche dopo."),
            "contact_email": _("Qui arriveranno il riferimento della domanda e le risposte."),
        }

    def __init__(self, *args, charter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.charter = charter
        self.fields["municipality"].queryset = network_municipalities()
        if self.instance.pk:
            # Updating after a request for more: the charter was accepted already.
            del self.fields["accept_charter"]

    def clean_tax_code(self):
        code = normalize_tax_code(self.cleaned_data["tax_code"])
        if Organization.objects.filter(tax_code=code).exists():
            raise forms.ValidationError(
                _("Un ente con questo codice fiscale fa già parte del registro della rete.")
            )
        pending = JoinApplication.objects.pending().filter(tax_code=code)
        if self.instance.pk:
            pending = pending.exclude(pk=self.instance.pk)
        if pending.exists():
            raise forms.ValidationError(
                _("C'è già una domanda in corso per questo codice fiscale.")
            )
        return code

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"]
        if phone:
            validate_phone(phone)
        return phone

    def save(self, commit=True):
        application = super().save(commit=False)
        if not application.pk:
            application.charter = self.charter
            application.charter_accepted_at = timezone.now()
            application.submission_token = self.submission_token
        if commit:
            application.save()
        return application


class EventRegistrationForm(SafeFormMixin, forms.ModelForm):
    class Meta:
        model = EventRegistration
        fields = ["name", "email", "phone"]
        help_texts = {"email": _("Ti scriveremo qui la conferma o il posto in lista d'attesa.")}

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone:
            validate_phone(phone)
        return phone


class ReviewForm(forms.Form):
    message = forms.CharField(
        label=_("Messaggio al richiedente"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
    )


class VolunteerForm(SafeFormMixin, forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Giorni in cui sei disponibile"),
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Scegli almeno un giorno.")},
    )
    day_parts = forms.MultipleChoiceField(
        label=_("In quali momenti della giornata"),
        choices=DayPart.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Scegli almeno un momento della giornata.")},
    )
    consent = forms.BooleanField(
        label=_(
            "Acconsento che il coordinamento della rete tratti i miei dati per propormi "
            "opportunità di collaborazione"
        ),
        error_messages={"required": _("Senza il consenso non possiamo proporti opportunità.")},
    )

    class Meta:
        model = Volunteer
        fields = [
            "kind",
            "profession",
            "name",
            "email",
            "phone",
            "skills",
            "languages",
            "weekdays",
            "day_parts",
            "municipalities",
            "about",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "languages": forms.CheckboxSelectMultiple,
            "municipalities": forms.CheckboxSelectMultiple,
            "skills": forms.Textarea(attrs={"rows": 2}),
            "about": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "municipalities": {"required": _("Scegli almeno un comune.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = network_municipalities()
        self.fields["languages"].queryset = Language.objects.order_by("name")
        self.fields["kind"].choices = Volunteer.Kind.choices

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone:
            validate_phone(phone)
        return phone


class HoursForm(forms.ModelForm):
    class Meta:
        model = HoursLog
        fields = ["interest", "day", "hours", "note"]
        widgets = {"day": forms.DateInput(attrs={"type": "date"}), "interest": forms.Select}

    def __init__(self, *args, volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].queryset = volunteer.interests.filter(
            status=Interest.Status.CONFIRMED
        ).select_related("opportunity__organization")
        self.fields["interest"].label_from_instance = lambda i: (
            f"{i.opportunity.title} – {i.opportunity.organization.name}"
        )
        self.fields["interest"].empty_label = None
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self)


class PledgeForm(SafeFormMixin, forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["kind", "amount", "description", "name", "email", "phone", "show_name"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "amount": _("Il versamento lo fai tu, con i dati qui sopra: qui ci dici quanto."),
            "description": _("Per beni, spazi o tempo: che cosa, quanto, quando."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Pledge.Kind.choices

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Pledge.Kind.MONEY and not data.get("amount"):
            self.add_error("amount", _("Indica l'importo che pensi di versare."))
        if kind and kind != Pledge.Kind.MONEY:
            data["amount"] = None
            if not data.get("description", "").strip():
                self.add_error("description", _("Descrivi che cosa offri."))
        return data

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone:
            validate_phone(phone)
        return phone
