"""Loading the vocabularies shipped as data: the taxonomies and the languages.

They live beside the territory loader because `load_reference` loads them all in one transaction.
Languages belong to `directory`, above `territory` in the dependency order, so the model is looked
up through the app registry instead of imported.
"""

import json
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from facciamorete.core.models import Taxonomy, TaxonomyTerm
from facciamorete.territory.services import Tally, sync_rows

TAXONOMY_FIELDS = ("name", "description", "uri", "version", "source", "official_codes")
TERM_FIELDS = ("name", "description", "icon", "order")
LANGUAGE_FIELDS = ("name", "native_name")


def taxonomies_dir() -> Path:
    return Path(apps.get_app_config("core").path) / "data" / "taxonomies"


def languages_file() -> Path:
    return Path(apps.get_app_config("directory").path) / "data" / "languages.json"


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from exc


def _too_long(model: type[Model], values: dict) -> list[str]:
    """Fields over their column's length: SQLite would store them, PostgreSQL would refuse."""
    return [
        name
        for name, value in values.items()
        if isinstance(value, str)
        and (limit := getattr(model._meta.get_field(name), "max_length", None))
        and len(value) > limit
    ]


def read_taxonomy(path: Path) -> dict:
    """One taxonomy file, checked enough that a typo fails here and not halfway through a load."""
    data = _read_json(path)
    missing = [k for k in ("slug", *TAXONOMY_FIELDS, "terms") if k not in data]
    codes = [term.get("code") for term in data.get("terms", [])]
    if missing or None in codes or len(codes) != len(set(codes)):
        raise ImproperlyConfigured(f"{path}: campi mancanti {missing} o codici vuoti o ripetuti.")
    too_long = _too_long(Taxonomy, {k: data[k] for k in ("slug", *TAXONOMY_FIELDS)})
    for term in data["terms"]:
        too_long += [f"{term['code']}.{name}" for name in _too_long(TaxonomyTerm, term)]
    if too_long:
        raise ImproperlyConfigured(f"{path}: valori troppo lunghi per il database: {too_long}")
    return data


def taxonomies_load(*, directory: Path | None = None) -> list[Tally]:
    """Upsert taxonomies by slug and their terms by (taxonomy, code); never delete a term."""
    files = [read_taxonomy(path) for path in sorted((directory or taxonomies_dir()).glob("*.json"))]
    taxonomies = {(data["slug"],): {f: data[f] for f in TAXONOMY_FIELDS} for data in files}
    taxonomy_tally = sync_rows(
        Taxonomy, taxonomies, key=("slug",), fields=TAXONOMY_FIELDS, label="Tassonomie"
    )
    ids = dict(
        Taxonomy.objects.filter(slug__in=[d["slug"] for d in files]).values_list("slug", "pk")
    )
    terms = {
        (ids[data["slug"]], term["code"]): {
            "name": term["name"],
            "description": term.get("description", ""),
            "icon": term.get("icon", ""),
            "order": term.get("order", position),
        }
        for data in files
        for position, term in enumerate(data["terms"], start=1)
    }
    term_tally = sync_rows(
        TaxonomyTerm.objects.filter(taxonomy__in=ids.values()),
        terms,
        key=("taxonomy_id", "code"),
        fields=TERM_FIELDS,
        label="Termini delle tassonomie",
    )
    if term_tally.absent:
        term_tally.notes.append(
            f"{term_tally.absent} termini nel database non sono più nei file: lasciati, "
            "perché servizi e organizzazioni possono usarli."
        )
    return [taxonomy_tally, term_tally]


def languages_load(*, path: Path | None = None) -> Tally:
    """Upsert languages by ISO 639-1 code; languages that services use are never removed."""
    language = apps.get_model("directory", "Language")
    data = _read_json(path or languages_file())
    too_long = [item["code"] for item in data["languages"] if _too_long(language, item)]
    if too_long:
        raise ImproperlyConfigured(f"Lingue con valori troppo lunghi per il database: {too_long}")
    wanted = {(item["code"],): {f: item[f] for f in LANGUAGE_FIELDS} for item in data["languages"]}
    return sync_rows(language, wanted, key=("code",), fields=LANGUAGE_FIELDS, label="Lingue")
