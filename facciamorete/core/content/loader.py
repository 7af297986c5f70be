"""Read the shipped content pages and create them as `Page` rows.

A page file is Markdown with a small front matter block of `key: value` lines between two `---`
lines. No YAML: one value per line, optionally in quotes, nothing nested.

    ---
    slug: missione
    title: La nostra missione
    summary: Una o due frasi.
    section: rete
    order: 10
    source_note: Facoltativa, mostrata in fondo alla pagina: da dove viene il testo.
    ---
    ## Un titolo
    Il testo…
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from facciamorete.core.models import Page

PAGES_DIR = Path(__file__).resolve().parent / "pages"

REQUIRED_KEYS = ("slug", "title", "section", "order")
OPTIONAL_KEYS = ("summary", "source_note")
# The fields a shipped file sets. `is_published` is not one of them: it is staff's decision,
# and even --force leaves it as it is.
CONTENT_FIELDS = ("section", "title", "summary", "body", "order", "source_note")


class ContentError(Exception):
    """A shipped page file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class ShippedPage:
    slug: str
    section: str
    title: str
    summary: str
    body: str
    order: int
    source_note: str
    path: Path | None = None

    def values(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def matches(self, page: Page) -> bool:
        """True when the row still holds exactly this shipped text."""
        return all(
            _normalise(getattr(page, name)) == _normalise(value)
            for name, value in self.values().items()
        )


def _normalise(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_page(text: str, name: str = "<testo>", path: Path | None = None) -> ShippedPage:
    """Parse one page file. Raises ContentError, naming `name`, when anything is wrong."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{name}: manca l'intestazione (la prima riga deve essere ---).")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ContentError(f"{name}: l'intestazione non è chiusa da una riga ---.") from None

    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition(":")
        key = key.strip()
        if not sep or not key:
            raise ContentError(f"{name}, riga {number}: attesa una riga «chiave: valore».")
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            raise ContentError(f"{name}, riga {number}: chiave sconosciuta «{key}».")
        if key in meta:
            raise ContentError(f"{name}, riga {number}: chiave «{key}» ripetuta.")
        meta[key] = _unquote(value.strip())

    missing = [key for key in REQUIRED_KEYS if not meta.get(key)]
    if missing:
        raise ContentError(f"{name}: mancano le chiavi {', '.join(missing)}.")
    try:
        order = int(meta["order"])
    except ValueError:
        raise ContentError(f"{name}: «order» deve essere un numero intero.") from None
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    if not body.strip():
        raise ContentError(f"{name}: il testo della pagina è vuoto.")

    page = ShippedPage(
        slug=meta["slug"],
        section=meta["section"],
        title=meta["title"],
        summary=meta.get("summary", ""),
        body=body,
        order=order,
        source_note=meta.get("source_note", ""),
        path=path,
    )
    try:
        Page(**page.values(), slug=page.slug).full_clean(validate_unique=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items()
        )
        raise ContentError(f"{name}: {problems}") from None
    return page


def shipped_pages(directory: Path = PAGES_DIR) -> list[ShippedPage]:
    """Every page file in `directory`, parsed and checked, in (section, order) order."""
    pages = []
    for path in sorted(directory.glob("*.md")):
        page = parse_page(path.read_text(encoding="utf-8"), name=path.name, path=path)
        if page.slug != path.stem:
            raise ContentError(
                f"{path.name}: lo slug «{page.slug}» deve essere uguale al nome del file."
            )
        pages.append(page)
    return sorted(pages, key=lambda page: (page.section, page.order, page.slug))


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # present, left alone (without --force)
    overwritten: list[str] = field(default_factory=list)  # with --force, text was different
    unchanged: list[str] = field(default_factory=list)  # with --force, already the shipped text


def load_pages(
    force: bool = False, only: Iterable[str] | None = None, directory: Path = PAGES_DIR
) -> LoadResult:
    """Create the shipped pages that are missing.

    An existing page (same slug) is never touched, unless `force` is true: then its text is
    replaced by the shipped one (its published flag stays as staff set it). `only` limits the
    run to some slugs. All files are read and checked before anything is written, and the
    writes happen in one transaction.
    """
    pages = shipped_pages(directory)
    if only:
        wanted = set(only)
        unknown = wanted - {page.slug for page in pages}
        if unknown:
            raise ContentError(f"Pagine sconosciute: {', '.join(sorted(unknown))}.")
        pages = [page for page in pages if page.slug in wanted]

    result = LoadResult()
    with transaction.atomic():
        for page in pages:
            row, created = Page.objects.get_or_create(
                slug=page.slug, defaults={"is_published": True, **page.values()}
            )
            if created:
                result.created.append(page.slug)
            elif not force:
                result.kept.append(page.slug)
            elif page.matches(row):
                result.unchanged.append(page.slug)
            else:
                for name, value in page.values().items():
                    setattr(row, name, value)
                row.save()
                result.overwritten.append(page.slug)
    return result
