"""Safety every public form shares: a honeypot, a submission token and Bootstrap Italia classes.

A form that mixes in `SafeFormMixin` gets two extra fields:

- `homepage`, a honeypot hidden from people (and from the tab order) that robots fill in;
- `submission_token`, a random UUID rendered as a hidden input. The view stores it on the record it
  creates (see `facciamorete.core.submissions`), so a form sent twice — a double click, a reload
  after a slow answer — makes one record, not two.

Templates render them with `{% include "core/includes/form_safety.html" %}`.
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "homepage"
TOKEN_FIELD = "submission_token"

WIDGET_CLASSES = {
    forms.CheckboxInput: "form-check-input",
    forms.CheckboxSelectMultiple: "form-check-input",
    forms.RadioSelect: "form-check-input",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
}


def style_fields(form: forms.BaseForm) -> None:
    """Give every widget the Bootstrap Italia class it needs and mark invalid fields."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = next(
            (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "form-control"
        )
        classes = widget.attrs.get("class", "").split()
        wanted = [css]
        # `_errors`, not `errors`: reading `errors` would validate the form before it is ready.
        if name in (form._errors or {}):
            wanted.append("is-invalid")
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form.auto_id % name}-errors"
        widget.attrs["class"] = " ".join(classes + [c for c in wanted if c not in classes])


class SafeFormMixin:
    """Adds the honeypot and the submission token; put it before `forms.Form`/`ModelForm`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Lascia vuoto questo campo"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[TOKEN_FIELD] = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
        self.fields[TOKEN_FIELD].error_messages["required"] = _(
            "Il modulo è scaduto o incompleto: ricarica la pagina e invialo di nuovo."
        )
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self)

    def clean_homepage(self):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Questo campo deve restare vuoto."), code="honeypot")
        return ""

    @property
    def is_spam(self) -> bool:
        return any(e.code == "honeypot" for e in self.errors.as_data().get(HONEYPOT_FIELD, []))

    @property
    def submission_token(self) -> uuid.UUID:
        return self.cleaned_data[TOKEN_FIELD]

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != HONEYPOT_FIELD]


def add_validation_error(form: forms.BaseForm, error) -> None:
    """Show a service function's ValidationError on the form: next to its field when it names
    one the form has, at the top otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
