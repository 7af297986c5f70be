"""HSDS files for download (public and staff) and the staff upload of an HSDS file."""

import json
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from facciamorete.directory.hsds import tabular
from facciamorete.directory.hsds.export import iter_services
from facciamorete.directory.hsds.importer import import_services
from facciamorete.directory.hsds.reader import UnreadableFile, read_records
from facciamorete.territory.models import Municipality


def _json_stream():
    """The JSON array, one service record at a time: memory stays flat."""
    yield "["
    for n, record in enumerate(iter_services()):
        yield ("\n" if n == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def json_download() -> StreamingHttpResponse:
    response = StreamingHttpResponse(_json_stream(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="servizi-hsds.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def zip_download() -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    tabular.write_zip(spool, iter_services())
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename="servizi-hsds.zip")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def public_json(request):
    return json_download()


@require_GET
def public_zip(request):
    return zip_download()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File HSDS"),
        help_text=_(
            "Un array JSON di servizi HSDS 3.0, oppure uno ZIP con datapackage.json e CSV."
        ),
    )
    default_comune = forms.ModelChoiceField(
        Municipality.objects.all(),
        required=False,
        to_field_name="istat_code",
        widget=forms.TextInput,
        label=_("Comune predefinito (codice ISTAT)"),
        help_text=_("Per enti e sedi il cui comune non si riconosce dall'indirizzo."),
    )
    dry_run = forms.BooleanField(
        label=_("Solo prova: controlla e mostra il rapporto senza salvare"),
        required=False,
        initial=True,
    )


@staff_member_required
def staff_page(request):
    """Download the catalogue; network admins also upload HSDS files."""
    fmt = request.GET.get("download")
    if fmt == "json":
        return json_download()
    if fmt == "zip":
        return zip_download()
    form, result = UploadForm(), None
    if request.method == "POST":
        if not request.user.is_superuser:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = _import_upload(form)
    context = {**admin.site.each_context(request), "form": form, "result": result}
    if result is not None:
        # Counters answer 0 to any key, `items` included: templates get plain lists.
        context["created"] = sorted(result.created.items())
        context["updated"] = sorted(result.updated.items())
    context["title"] = _("Dati aperti HSDS")
    return render(request, "api/hsds_staff.html", context)


def _import_upload(form: UploadForm):
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower() or ".json"
    with tempfile.NamedTemporaryFile(suffix=suffix) as stored:
        for chunk in upload.chunks():
            stored.write(chunk)
        stored.flush()
        try:
            records = read_records(stored.name)
        except UnreadableFile as exc:
            form.add_error("file", str(exc))
            return None
    return import_services(
        records,
        dry_run=form.cleaned_data["dry_run"],
        default_municipality=form.cleaned_data["default_comune"],
    )
