"""The lexicon of needs at query time: which concepts a query names, in any of its languages.

The lexicon is staff-editable data (`NeedConcept`, `NeedPhrase`); this module keeps a compiled
copy per process and recompiles it when the data changes. A phrase names a concept when every
one of its words is in the query: words are compared by their Snowball stem in the phrase's
language (Italian, English, Romanian, French, Spanish, Arabic), by a shared beginning of four
letters or more where Snowball has no stemmer (Ukrainian, Punjabi), or, for a misspelt word of
five letters or more, within two wrong letters.
"""

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Max

from . import text
from .engines import Term
from .models import NeedConcept, NeedPhrase

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.json"
PREFIX_LANGUAGES = {"uk", "pa"}  # no Snowball stemmer: compare beginnings of words
PREFIX_MIN = 4


@dataclass(frozen=True)
class Concept:
    id: int
    slug: str
    name: str
    icon: str
    keywords: tuple[Term, ...]
    term_ids: frozenset  # TaxonomyTerm ids of its areas and families


def _key(word: str, language: str) -> str:
    return text.stem(word, language) if language in text.STEMMERS else word


def _keys_match(query_key: str, phrase_key: str, language: str) -> bool:
    if query_key == phrase_key:
        return True
    if language not in PREFIX_LANGUAGES:
        return False
    short, long_ = sorted((query_key, phrase_key), key=len)
    return len(short) >= PREFIX_MIN and long_.startswith(short)


@dataclass
class Lexicon:
    concepts: dict[int, Concept] = field(default_factory=dict)
    # (concept id, language, words of the phrase, their keys)
    phrases: list[tuple[int, str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)

    def add_phrase(self, concept_id: int, language: str, phrase: str) -> None:
        words = tuple(text.content_words(phrase))
        if words:
            keys = tuple(_key(w, language) for w in words)
            self.phrases.append((concept_id, language, words, keys))
            self.words.update(words)

    def match(self, words: list[str], fuzzy: set[str] = frozenset()) -> tuple[list, dict]:
        """[(concept, how many query words name it)], best first; {word: languages it named
        a need in}.

        Words in `fuzzy` (unknown to the index) may also match a phrase word of five letters or
        more with one wrong letter (two from eight letters on). A concept whose words are all
        part of a wider match of another concept is dropped: "home care" names elderly care,
        not housing.
        """
        keys_by_language: dict[str, list[tuple[str, str]]] = {}
        covered: dict[int, set[str]] = {}
        used: dict[str, set[str]] = {}
        for concept_id, language, phrase_words, phrase_keys in self.phrases:
            if language not in keys_by_language:
                keys_by_language[language] = [(w, _key(w, language)) for w in words]
            hits = self._hits(
                keys_by_language[language], phrase_words, phrase_keys, fuzzy, language
            )
            if hits:
                covered.setdefault(concept_id, set()).update(hits)
                for hit in hits:
                    used.setdefault(hit, set()).add(language)
        kept = [
            cid
            for cid, hits in covered.items()
            if not any(hits < other for oid, other in covered.items() if oid != cid)
        ]
        kept.sort(key=lambda cid: (-len(covered[cid]), self.concepts[cid].slug))
        return [(self.concepts[cid], len(covered[cid])) for cid in kept], used

    @staticmethod
    def _hits(query, phrase_words, phrase_keys, fuzzy, language) -> list[str]:
        """The query words that cover every word of the phrase, or [] if one is missing."""
        hits = []
        for phrase_word, phrase_key in zip(phrase_words, phrase_keys, strict=True):
            limit = _fuzzy_limit(phrase_word)
            hit = next(
                (
                    w
                    for w, k in query
                    if _keys_match(k, phrase_key, language)
                    or (w in fuzzy and limit and text.edit_distance(w, phrase_word, limit) <= limit)
                ),
                None,
            )
            if hit is None:
                return []
            hits.append(hit)
        return hits


def _fuzzy_limit(word: str) -> int:
    """Wrong letters tolerated against the lexicon: stricter than against the catalogue, as the
    lexicon mixes eight languages and short words of one are near words of another."""
    if len(word) < text.MIN_TYPO_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


_lock = threading.Lock()
_cached: tuple[tuple, Lexicon] | None = None


def _version() -> tuple:
    """Changes whenever the lexicon does: a concept saved (the admin saves it with its phrases),
    a phrase added or removed anywhere."""
    concepts = NeedConcept.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    phrases = NeedPhrase.objects.aggregate(n=Count("id"), last=Max("id"))
    return concepts["n"], concepts["changed"], phrases["n"], phrases["last"]


def _compile() -> Lexicon:
    lexicon = Lexicon()
    for concept in NeedConcept.objects.prefetch_related("areas", "families"):
        keywords = tuple(dict.fromkeys(Term.of(w) for w in text.content_words(concept.keywords)))
        term_ids = frozenset(t.id for t in [*concept.areas.all(), *concept.families.all()])
        lexicon.concepts[concept.id] = Concept(
            concept.id, concept.slug, concept.name, concept.icon, keywords, term_ids
        )
    for concept_id, language, phrase in NeedPhrase.objects.values_list(
        "concept_id", "language", "text"
    ):
        lexicon.add_phrase(concept_id, language, phrase)
    for concept in lexicon.concepts.values():  # its name names it, in Italian
        lexicon.add_phrase(concept.id, "it", concept.name)
    return lexicon


def get_lexicon() -> Lexicon:
    global _cached
    version = _version()
    with _lock:
        if _cached is None or _cached[0] != version:
            _cached = (version, _compile())
        return _cached[1]


# --- Loading the shipped file -----------------------------------------------------------------


def read_file(path: Path = LEXICON_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_lexicon(*, path: Path = LEXICON_FILE, replace: bool = False) -> dict[str, int]:
    """Load the shipped lexicon. Edits made in the staff area are kept unless `replace`.

    New concepts are created; existing ones get the phrases the file adds (never losing the
    ones staff added). With `replace`, concepts in the file are reset to the file's content.
    """
    from facciamorete.core.models import TaxonomyTerm

    data = read_file(path)
    terms = {(t.taxonomy.slug, t.code): t for t in TaxonomyTerm.objects.select_related("taxonomy")}
    counts = {"concepts": 0, "phrases": 0, "missing_terms": 0}
    for order, item in enumerate(data["concepts"]):
        defaults = {
            "name": item["name"],
            "description": item.get("description", ""),
            "icon": item.get("icon", ""),
            "order": order,
            "keywords": " ".join(item.get("keywords", [])),
            "in_orientation": item.get("in_orientation", True),
        }
        concept, created = NeedConcept.objects.get_or_create(slug=item["slug"], defaults=defaults)
        if replace and not created:
            NeedConcept.objects.filter(pk=concept.pk).update(**defaults)
            concept.phrases.all().delete()
        if created or replace:
            counts["concepts"] += 1
            for field_name, taxonomy in (("areas", "aree-utenza"), ("families", "famiglie")):
                linked = [terms.get((taxonomy, code)) for code in item.get(field_name, [])]
                counts["missing_terms"] += linked.count(None)
                getattr(concept, field_name).set([t for t in linked if t])
        for language, phrases in item.get("phrases", {}).items():
            for phrase in phrases:
                _obj, made = NeedPhrase.objects.get_or_create(
                    concept=concept, language=language, text=phrase
                )
                counts["phrases"] += made
        concept.save(update_fields=["updated_at"])
    return counts
