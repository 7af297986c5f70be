"""The staff page for spreadsheets of services: template downloads, upload, preview, commit.

The rows read at upload are kept on the server in a file named by a random token that only the
session that uploaded them knows; the commit reads them from there, checks them again and writes
them all or nothing.
"""

import json
import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facciamorete.organizations.models import OrganizationOperator

from . import spreadsheet

SESSION_KEY = "foglio_servizi"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600
PREVIEW_ROWS = 100
SHOWN_PROBLEMS = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def storage_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "facciamorete-fogli-servizi"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _store(rows) -> str:
    directory = storage_dir()
    now = time.time()
    for old in directory.glob("*.json"):  # forgotten previews go after a day
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    return token


def _load(token: str):
    path = storage_dir() / f"{token}.json"
    if not TOKEN.match(token) or not path.exists():
        return None
    return [(number, row) for number, row in json.loads(path.read_text("utf-8"))]


def _forget(request, token: str) -> None:
    (storage_dir() / f"{token}.json").unlink(missing_ok=True)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Foglio dei servizi"),
        help_text=gettext_lazy("Un file XLSX o CSV fatto sul modello: una riga per servizio."),
    )


def may_import(user) -> bool:
    if user.is_superuser:
        return True
    return OrganizationOperator.objects.filter(user=user).exists()


@staff_member_required
def sheet_page(request):
    if not may_import(request.user):
        raise PermissionDenied
    template = request.GET.get("modello")
    if template == "xlsx":
        response = HttpResponse(spreadsheet.template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="modello-servizi.xlsx"'
        return response
    if template == "csv":
        response = HttpResponse(spreadsheet.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="modello-servizi.csv"'
        return response
    context = {
        **admin.site.each_context(request),
        "title": _("Importa servizi da un foglio di calcolo"),
        "columns": spreadsheet.COLUMNS,
        "form": SheetUploadForm(),
    }
    if request.method == "POST" and "token" in request.POST:
        return _commit(request, context)
    if request.method == "POST":
        form = SheetUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            _preview(request, form, context)
    return render(request, "directory/staff/spreadsheet.html", context)


def _preview(request, form, context) -> None:
    upload = form.cleaned_data["file"]
    started = time.monotonic()
    try:
        sheet = spreadsheet.read_sheet(upload, upload.name)
    except spreadsheet.UnreadableSheet as exc:
        form.add_error("file", str(exc))
        return
    checked = spreadsheet.check_rows(sheet.rows, request.user)
    context.update(_report(checked.problems))
    context.update(
        {
            "preview": True,
            "encoding": sheet.encoding,
            "total": len(sheet.rows),
            "valid": len(checked.rows),
            "new": sum(1 for r in checked.rows if r.service._state.adding),
            "sample": [
                {
                    "number": r.number,
                    "organization": r.service.organization.name,
                    "name": r.service.name,
                    "new": r.service._state.adding,
                }
                for r in checked.rows[:PREVIEW_ROWS]
            ],
            "seconds": round(time.monotonic() - started, 1),
        }
    )
    if sheet.rows and not checked.problems:
        token = _store(sheet.rows)
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), token][-5:]
        context["token"] = token


def _report(problems) -> dict:
    return {
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "rows_with_problems": len({p.row for p in problems}),
    }


def _commit(request, context):
    token = request.POST["token"]
    rows = _load(token) if token in request.session.get(SESSION_KEY, []) else None
    if rows is None:
        messages.error(request, _("L'anteprima è scaduta: carica di nuovo il file."))
        return redirect(request.path)
    result = spreadsheet.write_rows(rows, request.user)
    if result.problems:
        context.update(_report(result.problems))
        context["commit_failed"] = True
        return render(request, "directory/staff/spreadsheet.html", context)
    _forget(request, token)
    messages.success(
        request,
        _("Importazione completata: %(created)s servizi nuovi, %(updated)s aggiornati.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect(request.path)
