"""Services from a spreadsheet (XLSX or CSV, Italian headers, one row per service).

`read_sheet` turns an upload into a header check and plain rows (strings); `check_rows` validates
them with the rules of the staff area (`full_clean`) and reports per row (row, column, problem);
`write_rows` writes them all or nothing, matching existing services by organisation + name, so
loading the same file twice changes nothing. Formulas are never evaluated: a cell that holds one
is refused.
"""

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facciamorete.core.models import TaxonomyTerm
from facciamorete.core.validators import normalize_phone
from facciamorete.organizations.models import Organization
from facciamorete.territory.models import Municipality

from .models import (
    CostClass,
    Language,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)
from .schedules import WEEKDAY_CODES


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    example: str


COLUMNS = [
    Column("ente", "Ente (codice fiscale o nome esatto)", True,
           gettext_lazy("Il codice fiscale dell'ente, oppure la sua denominazione esatta."),
           "91057830597"),
    Column("nome", "Nome del servizio", True,
           gettext_lazy("Il nome con cui le persone conoscono il servizio."),
           "Sportello di ascolto"),
    Column("descrizione", "Descrizione", True,
           gettext_lazy("Che cosa offre il servizio."),
           "Ascolto, orientamento e accompagnamento ai servizi del territorio."),
    Column("famiglia", "Famiglia", True,
           gettext_lazy("Una o più famiglie (codice o nome), separate da punto e virgola."),
           "socio-assistenziale"),
    Column("aree", "Aree", False,
           gettext_lazy("Aree di utenza (codice o nome), separate da punto e virgola."),
           "famiglia-minori; anziani"),
    Column("come_accedere", "Come accedere", True,
           gettext_lazy("Che cosa deve fare la persona per accedere."),
           "Telefona o passa in sede negli orari di apertura."),
    Column("documenti", "Documenti", False,
           gettext_lazy("I documenti da portare, separati da punto e virgola."),
           "Documento d'identità; Attestazione ISEE"),
    Column("costo", "Costo (gratuito/ISEE/a pagamento)", False,
           gettext_lazy("gratuito (se vuoto), ISEE (compartecipazione) oppure a pagamento."),
           "gratuito"),
    Column("importo", "Importo €", False,
           gettext_lazy("Solo per i servizi a pagamento o in compartecipazione, es. 15,50."),
           ""),
    Column("lingue", "Lingue", False,
           gettext_lazy("Lingue parlate (codice ISO o nome), separate da virgola."),
           "it, en, ar"),
    Column("comune", "Comune (nome o codice ISTAT)", False,
           gettext_lazy("Il comune della sede; senza indirizzo, il comune servito."),
           "Aprilia"),
    Column("indirizzo", "Indirizzo", False,
           gettext_lazy("Via e numero della sede (richiede il comune)."),
           "Via dei Mille 12"),
    Column("cap", "CAP", False, gettext_lazy("Cinque cifre."), "04011"),
    Column("telefono", "Telefono", False, gettext_lazy("Un numero di telefono."), "06 9281 1234"),
    Column("email", "E-mail", False, gettext_lazy("L'indirizzo e-mail del servizio."),
           "ascolto@example.org"),
    Column("orari", "Orari", False,
           gettext_lazy("Giorni e ore, separati da punto e virgola: lun-ven 9-13; sab 9-12."),
           "lun-ven 9-13; mar,gio 15-18"),
]  # fmt: skip
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]

# A value that a spreadsheet program would run as a formula (or a DDE call) when opened.
FORMULA = re.compile(r"^\s*[=@]|^[+\-][A-Za-z_(]|\|.*!")
MAX_ROWS = 100_000


class UnreadableSheet(Exception):
    """The file cannot be read as a template: the message says why, in Italian."""


@dataclass
class Sheet:
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, key -> text)
    encoding: str = ""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    problem: str


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace("_", " ").split())


HEADER_ALIASES = {}
for _column in COLUMNS:
    HEADER_ALIASES[_fold(_column.header)] = _column.key
    HEADER_ALIASES[_fold(_column.header.split(" (")[0])] = _column.key
HEADER_ALIASES[_fold("Importo")] = "importo"
HEADER_ALIASES[_fold("Importo in euro")] = "importo"
HEADER_ALIASES[_fold("Email")] = "email"


# --- reading --------------------------------------------------------------------------------


def read_sheet(upload, name: str) -> Sheet:
    """Read an uploaded XLSX or CSV into rows of text; raise `UnreadableSheet` with the reason."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = upload.read(4)
    upload.seek(0)
    if suffix == "xlsx" or head.startswith(b"PK\x03\x04"):
        return _read_xlsx(upload)
    if suffix in ("xls", "ods", "numbers"):
        raise UnreadableSheet(_("Formato non accettato: salva il foglio come XLSX o CSV."))
    return _read_csv(upload.read())


def _read_xlsx(upload) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    try:
        # data_only=False: a formula comes back as its text ("=…") and is never evaluated.
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableSheet(_("Il file non è un foglio XLSX leggibile.")) from exc
    try:
        sheet = workbook.worksheets[0]
        return _collect(sheet.iter_rows(values_only=True), Sheet(encoding="XLSX"))
    finally:
        workbook.close()


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data:
        raise UnreadableSheet(_("Il file non è un CSV di testo: salva il foglio come XLSX o CSV."))
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableSheet(
            _(
                "Non riesco a leggere la codifica del file (né UTF-8 né Windows-1252): "
                "salvalo come «CSV UTF-8»."
            )
        ) from exc
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
        raise UnreadableSheet(
            _("Il file contiene caratteri di controllo: salvalo come «CSV UTF-8».")
        )
    return text, "Windows-1252"


def _read_csv(data: bytes) -> Sheet:
    text, encoding = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _collect(reader, Sheet(encoding=encoding))
    except csv.Error as exc:
        raise UnreadableSheet(_("Il CSV non è ben formato: %(error)s") % {"error": exc}) from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.time() if value.date() == dt.date(1899, 12, 30) else value.date()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


def _collect(rows, sheet: Sheet) -> Sheet:
    keys = None
    for number, raw in enumerate(rows, 1):
        values = [_cell(v) for v in raw]
        if not any(values):
            continue  # empty rows are skipped, before and after the header
        if keys is None:
            keys = _header(values)
            continue
        row = {key: values[i] if i < len(values) else "" for i, key in keys if key}
        sheet.rows.append((number, row))
        if len(sheet.rows) > MAX_ROWS:
            raise UnreadableSheet(
                _("Il file ha più di %(max)s righe: dividilo in più file.") % {"max": MAX_ROWS}
            )
    if keys is None:
        raise UnreadableSheet(_("Il file è vuoto: manca anche la riga delle intestazioni."))
    return sheet


def _header(values: list[str]) -> list[tuple[int, str | None]]:
    keys, unknown, seen = [], [], set()
    for i, value in enumerate(values):
        if not value:
            keys.append((i, None))
            continue
        key = HEADER_ALIASES.get(_fold(value))
        if key is None:
            unknown.append(value)
        elif key in seen:
            raise UnreadableSheet(_("La colonna «%(name)s» compare due volte.") % {"name": value})
        seen.add(key)
        keys.append((i, key))
    missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
    parts = []
    if missing:
        parts.append(
            _("Mancano le colonne: %(names)s.") % {"names": ", ".join(f"«{m}»" for m in missing)}
        )
    if unknown:
        parts.append(
            _("Colonne sconosciute: %(names)s.") % {"names": ", ".join(f"«{u}»" for u in unknown)}
        )
    if parts:
        parts.append(_("Usa le intestazioni del modello (prima riga)."))
        raise UnreadableSheet(" ".join(parts))
    return keys


# --- checking -------------------------------------------------------------------------------

DAYS = {
    "lun": "MO", "lunedi": "MO", "mar": "TU", "martedi": "TU", "mer": "WE", "mercoledi": "WE",
    "gio": "TH", "giovedi": "TH", "ven": "FR", "venerdi": "FR", "sab": "SA", "sabato": "SA",
    "dom": "SU", "domenica": "SU",
}  # fmt: skip
RANGE_FINDER = re.compile(r"\d{1,2}(?:[:.]\d{2})?\s*-\s*\d{1,2}(?:[:.]\d{2})?")
TIME_RANGE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*-\s*(\d{1,2})(?:[:.](\d{2}))?$")
COST_WORDS = {
    "gratuito": CostClass.FREE, "gratis": CostClass.FREE, "isee": CostClass.COPAY,
    "compartecipazione": CostClass.COPAY, "a pagamento": CostClass.PAID,
    "pagamento": CostClass.PAID,
}  # fmt: skip
FIELD_COLUMNS = {
    "name": "nome",
    "description": "descrizione",
    "application_process": "come_accedere",
    "cost_class": "costo",
    "cost_amount": "importo",
    "email": "email",
    "address_1": "indirizzo",
    "municipality": "comune",
    "postal_code": "cap",
    "number": "telefono",
    "document": "documenti",
}
SERVICE_EXCLUDE = ["organization", "assured_by", "slug"]
PHONE_EXCLUDE = ["organization", "service", "location", "contact"]
# Ids are fresh UUIDs and foreign keys point at rows read a moment ago: no query per row.
NO_QUERIES = {"validate_unique": False, "validate_constraints": False}


def parse_hours(text: str) -> list[dict]:
    """'lun-ven 9-13; mar,gio 15-18' → [{byday, opens_at, closes_at, closes_next_day}]."""
    found = []
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text))):
        first_digit = re.search(r"\d", part)
        if first_digit is None:
            raise ValueError(part)
        days = _days(part[: first_digit.start()].replace(" ", ""))
        rest = part[first_digit.start() :]
        ranges = RANGE_FINDER.findall(rest)
        leftover = RANGE_FINDER.sub("", rest).replace(",", " ").replace(" e ", " ").strip()
        if not days or not ranges or leftover:
            raise ValueError(part)
        for time_range in ranges:
            m = TIME_RANGE.match(time_range.replace(" ", ""))
            h1, m1, h2, m2 = (int(g or 0) for g in m.groups())
            if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
                raise ValueError(part)
            opens, closes = dt.time(h1, m1), dt.time(h2 % 24, m2)
            found.append(
                {
                    "byday": ",".join(days),
                    "opens_at": opens,
                    "closes_at": closes,
                    "closes_next_day": closes < opens,
                }
            )
    return found


def _days(text: str) -> list[str]:
    days: list[str] = []
    for token in filter(None, _fold(text).split(",")):
        if "-" in token:
            first, _sep, last = token.partition("-")
            if first not in DAYS or last not in DAYS:
                return []
            a, b = WEEKDAY_CODES.index(DAYS[first]), WEEKDAY_CODES.index(DAYS[last])
            if b < a:
                return []
            days.extend(WEEKDAY_CODES[a : b + 1])
        elif token in DAYS:
            days.append(DAYS[token])
        else:
            return []
    return sorted(set(days), key=WEEKDAY_CODES.index)


def _digits(text: str, length: int) -> str:
    """A code that a spreadsheet kept as a number gets back the zeros it lost in front."""
    if text.isdigit() and len(text) < length:
        return text.zfill(length)
    return text


def _split(text: str, separators: str = ";") -> list[str]:
    return [p.strip() for p in re.split(f"[{separators}]", text) if p.strip()]


def organizations_for(user):
    """The organisations `user` may import into: all for network admins, else their own."""
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(operators__user=user)


class _Lookups:
    """Everything a row refers to, read once: rows are then checked without queries."""

    def __init__(self, user):
        self.orgs_by_key: dict[str, Organization | None] = {}
        for org in organizations_for(user).only("id", "name", "tax_code"):
            if org.tax_code:
                self.orgs_by_key[org.tax_code.upper()] = org
            key = _fold(org.name)
            # Two organisations with the same name: only the codice fiscale tells them apart.
            self.orgs_by_key[key] = None if key in self.orgs_by_key else org
        self.terms: dict[str, dict[str, TaxonomyTerm]] = {"famiglie": {}, "aree-utenza": {}}
        for term in TaxonomyTerm.objects.filter(taxonomy__slug__in=self.terms).select_related(
            "taxonomy"
        ):
            by = self.terms[term.taxonomy.slug]
            by[_fold(term.code)] = term
            by[_fold(term.name)] = term
        self.languages = {}
        for lang in Language.objects.all():
            for key in (lang.code, lang.name, lang.native_name):
                self.languages[_fold(key)] = lang
        self.comuni: dict[str, Municipality | None] = {}
        for comune in Municipality.objects.only("istat_code", "name", "postal_codes"):
            self.comuni[comune.istat_code] = comune
            key = _fold(comune.name)
            self.comuni[key] = None if key in self.comuni else comune
        self.verdicts: dict[tuple, dict] = {}

    def clean_once(self, key: tuple, instance, exclude: list[str]) -> dict:
        """`full_clean` once per distinct value: a thousand rows open «lun-ven 9-13» alike."""
        if key not in self.verdicts:
            try:
                instance.full_clean(exclude=exclude, **NO_QUERIES)
                self.verdicts[key] = {}
            except ValidationError as exc:
                self.verdicts[key] = exc.message_dict
        return self.verdicts[key]


@dataclass
class CheckedRow:
    number: int
    service: Service
    families: list
    areas: list
    languages: list
    documents: list[RequiredDocument]
    location: Location | None
    comune_served: Municipality | None
    phone: Phone | None
    schedules: list[Schedule]


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def check_rows(rows: list[tuple[int, dict]], user) -> CheckResult:
    lookups = _Lookups(user)
    existing = {}
    org_ids = {o.pk for o in lookups.orgs_by_key.values() if o is not None}
    for service in Service.objects.filter(organization_id__in=org_ids):
        existing[(service.organization_id, _fold(service.name))] = service
    result, seen = CheckResult(), {}
    for number, row in rows:
        problems: list[RowProblem] = []
        checked = _check_row(number, row, lookups, existing, problems)
        if checked is not None:
            key = (checked.service.organization_id, _fold(checked.service.name))
            if key in seen:
                problems.append(
                    RowProblem(
                        number,
                        COLUMN_BY_KEY["nome"].header,
                        _("Lo stesso servizio è già alla riga %(row)s.") % {"row": seen[key]},
                    )
                )
            seen.setdefault(key, number)
        if problems:
            result.problems.extend(problems)
        elif checked is not None:
            result.rows.append(checked)
    return result


def _check_row(number, row, lookups, existing, problems) -> CheckedRow | None:
    def problem(key: str, text: str) -> None:
        problems.append(RowProblem(number, COLUMN_BY_KEY[key].header, text))

    def fold_errors(errors: dict, default: str) -> None:
        for name, messages in errors.items():
            problem(FIELD_COLUMNS.get(name, default), " ".join(messages))

    for key, value in row.items():
        if FORMULA.search(value):
            problem(key, _("La cella contiene una formula: scrivi il valore, non la formula."))
    if problems:
        return None

    org_key = _digits(row.get("ente", ""), 11)  # Excel drops the zeros in front of a number
    org = lookups.orgs_by_key.get(org_key.upper().replace(" ", "")) or lookups.orgs_by_key.get(
        _fold(org_key)
    )
    if not org_key:
        problem("ente", _("Indica l'ente."))
    elif org is None:
        text = _("Ente «%(name)s» non trovato tra quelli che puoi gestire.")
        problem("ente", text % {"name": org_key})

    name = row.get("nome", "")
    service = existing.get((org.pk, _fold(name))) if org else None
    service = service or Service()
    if org is not None:
        service.organization = org
    cost_text = _fold(row.get("costo", "")) or "gratuito"
    cost_class = COST_WORDS.get(cost_text)
    if cost_class is None:
        problem("costo", _("Scrivi «gratuito», «ISEE» oppure «a pagamento»."))
    amount = None
    if row.get("importo"):
        try:
            amount = Decimal(row["importo"].replace("€", "").replace(" ", "").replace(",", "."))
        except InvalidOperation:
            text = _("«%(value)s» non è un importo in euro.")
            problem("importo", text % {"value": row["importo"]})
    values = {
        "name": name,
        "description": row.get("descrizione", ""),
        "application_process": row.get("come_accedere", ""),
        "cost_class": cost_class or CostClass.FREE,
        "cost_amount": amount,
        "email": row.get("email", ""),
    }
    for attr, value in values.items():
        setattr(service, attr, value)
    try:
        service.full_clean(exclude=SERVICE_EXCLUDE, **NO_QUERIES)
    except ValidationError as exc:
        fold_errors(exc.message_dict, "nome")

    families = _terms(row.get("famiglia", ""), lookups.terms["famiglie"], "famiglia", problem)
    if not families and row.get("famiglia", "") == "":
        problem("famiglia", _("Indica almeno una famiglia di servizi."))
    areas = _terms(row.get("aree", ""), lookups.terms["aree-utenza"], "aree", problem)
    languages = []
    for token in _split(row.get("lingue", ""), ",;"):
        lang = lookups.languages.get(_fold(token))
        if lang is None:
            problem("lingue", _("Lingua «%(name)s» sconosciuta.") % {"name": token})
        else:
            languages.append(lang)

    documents = []
    for text in _split(row.get("documenti", "")):
        doc = RequiredDocument(service=service, document=text)
        fold_errors(lookups.clean_once(("doc", text), doc, ["service"]), "documenti")
        documents.append(doc)

    comune = None
    if row.get("comune"):
        comune = lookups.comuni.get(row["comune"].zfill(6) if row["comune"].isdigit() else "")
        comune = comune or lookups.comuni.get(_fold(row["comune"]))
        if comune is None:
            text = _("Comune «%(name)s» non riconosciuto: usa il codice ISTAT.")
            problem("comune", text % {"name": row["comune"]})
    location = None
    if row.get("indirizzo") or row.get("cap"):
        location = Location(
            organization=org,
            location_type=Location.Type.PHYSICAL,
            name=row.get("indirizzo", "")[:250] or name[:250],
            address_1=row.get("indirizzo", ""),
            postal_code=_digits(row.get("cap", ""), 5),
            municipality=comune,
        )
        if comune is not None or not row.get("comune"):
            key = ("location", location.address_1, location.postal_code, comune)
            errors = lookups.clean_once(key, location, ["organization", "municipality"])
            fold_errors(errors, "indirizzo")

    phone = None
    if row.get("telefono"):
        phone = Phone(service=service, number=row["telefono"])
        fold_errors(lookups.clean_once(("phone", phone.number), phone, PHONE_EXCLUDE), "telefono")

    schedules = []
    if row.get("orari"):
        try:
            parsed = parse_hours(row["orari"])
        except (ValueError, AttributeError):
            text = _("Orari non riconosciuti: scrivi per esempio «%(example)s».")
            problem("orari", text % {"example": "lun-ven 9-13; mar,gio 15-18"})
            parsed = []
        for values in parsed:
            schedule = Schedule(service=service, **values)
            key = ("schedule", *values.values())
            fold_errors(lookups.clean_once(key, schedule, ["service", "location"]), "orari")
            schedules.append(schedule)

    if problems:
        return None
    return CheckedRow(
        number=number,
        service=service,
        families=families,
        areas=areas,
        languages=languages,
        documents=documents,
        location=location,
        comune_served=comune if location is None else None,
        phone=phone,
        schedules=schedules,
    )


def _terms(text: str, by_key: dict, column: str, problem) -> list:
    found = []
    for token in _split(text, ";,"):
        term = by_key.get(_fold(token)) or by_key.get(slugify(token))
        if term is None:
            problem(column, _("«%(name)s» non è tra quelle previste.") % {"name": token})
        else:
            found.append(term)
    return found


# --- writing --------------------------------------------------------------------------------


BATCH = 500
UPDATED_FIELDS = [
    "name", "description", "application_process", "cost_class", "cost_amount", "email",
    "updated_at",
]  # fmt: skip


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def write_rows(rows: list[tuple[int, dict]], user) -> WriteResult:
    """Check again (the catalogue may have changed since the preview) and write all or nothing.

    Writes go in bulk, a few queries per kind of object rather than a dozen per row.
    """
    result = WriteResult()
    with transaction.atomic():
        checked = check_rows(rows, user)
        if checked.problems:
            result.problems = checked.problems
            return result
        _write(checked.rows, result)
    return result


def _write(rows: list[CheckedRow], result: WriteResult) -> None:
    new = [r.service for r in rows if r.service._state.adding]
    old = [r.service for r in rows if not r.service._state.adding]
    result.created, result.updated = len(new), len(old)
    slugs = set(Service.objects.values_list("slug", flat=True))
    for service in new:
        service.slug = _free_slug(service.name, slugs)
    Service.objects.bulk_create(new, batch_size=BATCH)
    now = timezone.now()
    for service in old:
        service.updated_at = now
    Service.objects.bulk_update(old, UPDATED_FIELDS, batch_size=BATCH)

    # What the sheet says replaces what the service had.
    old_ids = [s.pk for s in old]
    for chunk in _chunks(old_ids):
        for m2m in ("families", "areas", "languages"):
            getattr(Service, m2m).through.objects.filter(service_id__in=chunk).delete()
        RequiredDocument.objects.filter(service_id__in=chunk).delete()
        Schedule.objects.filter(service_id__in=chunk).delete()
        Phone.objects.filter(service_id__in=chunk, contact=None).delete()

    links: dict[str, list] = {"families": [], "areas": [], "languages": []}
    served, documents, schedules, phones = [], [], [], []
    Through = {name: getattr(Service, name).through for name in links}  # noqa: N806
    for row in rows:
        service = row.service
        links["families"] += [
            Through["families"](service_id=service.pk, taxonomyterm_id=t.pk) for t in row.families
        ]
        links["areas"] += [
            Through["areas"](service_id=service.pk, taxonomyterm_id=t.pk) for t in row.areas
        ]
        links["languages"] += [
            Through["languages"](service_id=service.pk, language_id=lang.pk)
            for lang in row.languages
        ]
        if row.comune_served is not None:
            served.append(
                Service.service_area_municipalities.through(
                    service_id=service.pk, municipality_id=row.comune_served.pk
                )
            )
        for doc in row.documents:
            doc.service = service
            documents.append(doc)
        for schedule in row.schedules:
            schedule.service = service
            schedules.append(schedule)
        if row.phone is not None:
            row.phone.service = service
            with contextlib.suppress(phonenumbers.NumberParseException):
                row.phone.number = normalize_phone(row.phone.number)
            phones.append(row.phone)
    for name, objects in links.items():
        Through[name].objects.bulk_create(objects, batch_size=BATCH)
    Service.service_area_municipalities.through.objects.bulk_create(
        served, batch_size=BATCH, ignore_conflicts=True
    )
    RequiredDocument.objects.bulk_create(documents, batch_size=BATCH)
    Schedule.objects.bulk_create(schedules, batch_size=BATCH)
    Phone.objects.bulk_create(phones, batch_size=BATCH)
    _write_locations(rows)


def _write_locations(rows: list[CheckedRow]) -> None:
    """A row's address is a location of its organisation: reused when it exists already."""
    with_location = [r for r in rows if r.location is not None]
    locations: dict[tuple, Location] = {}
    org_ids = {r.service.organization_id for r in with_location}
    for loc in Location.objects.filter(organization_id__in=org_ids):
        locations.setdefault((loc.organization_id, _fold(loc.address_1), loc.municipality_id), loc)
    new, changed, pairs = [], [], []
    for row in with_location:
        loc = row.location
        key = (loc.organization_id, _fold(loc.address_1), loc.municipality_id)
        found = locations.get(key)
        if found is None:
            locations[key] = found = loc
            new.append(loc)
        elif loc.postal_code and found.postal_code != loc.postal_code:
            found.postal_code = loc.postal_code
            changed.append(found)
        pairs.append(ServiceAtLocation(service_id=row.service.pk, location_id=found.pk))
    Location.objects.bulk_create(new, batch_size=BATCH)
    Location.objects.bulk_update(changed, ["postal_code"], batch_size=BATCH)
    ServiceAtLocation.objects.bulk_create(pairs, batch_size=BATCH, ignore_conflicts=True)


def _free_slug(name: str, taken: set) -> str:
    """Like `unique_slug`, against the set of slugs in use instead of a query per try."""
    base = slugify(name)[:100].strip("-") or "voce"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- the template ---------------------------------------------------------------------------

EXAMPLE_ROW = [c.example for c in COLUMNS]


def template_csv() -> bytes:
    """The template as CSV: UTF-8 with BOM (Excel opens it right), semicolons, one example row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow(EXAMPLE_ROW)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """The template as XLSX: headers, one example row, and a second sheet that explains them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Servizi")
    sheet.append(HEADERS)
    sheet.append(EXAMPLE_ROW)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 24
    # Every cell is text: Excel must not turn a CAP or a codice fiscale into a number.
    for row in sheet.iter_rows(min_row=2, max_row=500, max_col=len(COLUMNS)):
        for cell in row:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Istruzioni"))
    guide.append([_("Colonna"), _("Obbligatoria"), _("Che cosa scrivere"), _("Esempio")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        required = _("sì") if column.required else _("no")
        guide.append([column.header, required, str(column.help), column.example])
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["C"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
