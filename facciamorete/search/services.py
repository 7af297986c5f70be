"""Need-based search: what a query means, which services answer it, in which order, and why.

`search_services(params)` is the one entry point for pages and the API. The score of a result
is the weighted sum of four parts, each between 0 and 1 (shown to staff as "why this result"):

- text: how well the service's own words match the person's words (bm25 / ts_rank, scaled so
  that the best match scores 1);
- need: how well it answers the needs the lexicon recognised in the query (the concepts'
  catalogue words matched in its text, and its areas and families linked to those concepts);
- distance: how near its nearest location is to the point or comune given (1 at the door,
  0.5 at 5 km, zero when no place was given);
- freshness: how recently its record was checked (1 within six months, 0 after two years).
"""

import datetime as dt
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import Avg
from django.http import QueryDict
from django.utils import timezone

from . import text
from .engines import Groups, Term, get_engine
from .lexicon import Concept, get_lexicon

MAX_CONCEPTS = 3
MAX_RESULTS = 200  # ranked per query: the best 200 matches, the rest is for filters to narrow
WEIGHTS = {"text": 0.5, "need": 0.35, "distance": 0.1, "freshness": 0.05}
HALF_SCORE_KM = 5.0
FRESH_DAYS, STALE_DAYS = 183, 730


@dataclass
class Analysis:
    """A query understood: its words, their corrections and the needs they name."""

    query: str
    words: list[str] = field(default_factory=list)
    groups: Groups = field(default_factory=list)
    corrections: dict[str, list[str]] = field(default_factory=dict)
    concepts: list[Concept] = field(default_factory=list)
    strengths: dict[int, int] = field(default_factory=dict)  # concept id: words that named it

    @property
    def blank(self) -> bool:
        """Nothing to search for (empty, only punctuation or stop words): no text filter."""
        return not self.words

    def concept_groups(self, concept: Concept | None = None) -> Groups:
        concepts = [concept] if concept else self.concepts
        return [(term,) for c in concepts for term in c.keywords]

    @property
    def all_groups(self) -> Groups:
        return list(dict.fromkeys([*self.groups, *self.concept_groups()]))


def analyze(query: str) -> Analysis:
    """Split, stem and correct a query, and find the needs it names; never raises."""
    analysis = Analysis(query=query if isinstance(query, str) else "")
    analysis.words = text.content_words(analysis.query)
    if not analysis.words:
        return analysis
    engine = get_engine()
    lexicon = get_lexicon()
    terms = [Term.of(w) for w in analysis.words]
    known = engine.known(terms)
    unknown = {t.word for t in terms if t not in known and t.word not in lexicon.words}
    matches, named = lexicon.match(analysis.words, fuzzy=unknown)
    analysis.concepts = [concept for concept, _n in matches[:MAX_CONCEPTS]]
    analysis.strengths = {concept.id: n for concept, _n in matches[:MAX_CONCEPTS] for n in [_n]}
    # A query that names needs only in another language is not Italian: its other unknown
    # words are not "corrected" into Italian look-alikes ("chaud" is not "chiude").
    foreign = bool(named) and not any("it" in languages for languages in named.values())
    for term in terms:
        languages = named.get(term.word, {"it"})
        if "it" not in languages:
            continue  # a word of another language that named a need: its concept searches
        if term in known:
            analysis.groups.append((term,))
        elif term.word in unknown and not foreign:
            fixes = engine.corrections(term)
            if fixes:
                analysis.corrections[term.word] = [f.word for f in fixes]
                analysis.groups.append(tuple(fixes))
    return analysis


@dataclass
class Result:
    service_id: uuid.UUID
    score: float
    parts: dict[str, float]


def _scaled(scores: dict) -> dict:
    best = max(scores.values(), default=0) or 1
    return {key: value / best for key, value in scores.items()}


def _freshness(assured: dt.date | None, today: dt.date) -> float:
    if assured is None:
        return 0.0
    age = (today - assured).days
    if age <= FRESH_DAYS:
        return 1.0
    return max(0.0, 1 - (age - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _nearness(ids, origin) -> dict:
    from facciamorete.directory.models import ServiceAtLocation

    rows = ServiceAtLocation.objects.filter(
        service_id__in=ids, location__latitude__isnull=False
    ).values_list("service_id", "location__latitude", "location__longitude")
    nearest: dict = {}
    for service_id, lat, lon in rows:
        km = distance_km(origin, (float(lat), float(lon)))
        nearest[service_id] = min(km, nearest.get(service_id, km))
    return {sid: 1 / (1 + km / HALF_SCORE_KM) for sid, km in nearest.items()}


def _need_links(ids, concepts: list[Concept]) -> dict:
    """Share of the named concepts whose areas or families the service carries."""
    from facciamorete.directory.models import Service

    wanted = [c.term_ids for c in concepts if c.term_ids]
    if not wanted:
        return {}
    every_term = set().union(*wanted)
    carried: dict = {}
    for m2m in (Service.families.through, Service.areas.through):
        rows = m2m.objects.filter(service_id__in=ids, taxonomyterm_id__in=every_term)
        for service_id, term_id in rows.values_list("service_id", "taxonomyterm_id"):
            carried.setdefault(service_id, set()).add(term_id)
    return {
        sid: sum(bool(terms & w) for w in wanted) / len(wanted) for sid, terms in carried.items()
    }


def _need_scores(engine, analysis: Analysis, within, limit) -> dict:
    """Per concept, how well a service's text matches its catalogue words (scaled to the best),
    averaged over the concepts weighted by how many of the query's words named each."""
    total = sum(analysis.strengths.get(c.id, 1) for c in analysis.concepts if c.keywords)
    combined: dict = {}
    for concept in analysis.concepts:
        if not concept.keywords:
            continue
        weight = analysis.strengths.get(concept.id, 1) / total
        for sid, score in _scaled(
            engine.scores(analysis.concept_groups(concept), within, limit)
        ).items():
            combined[sid] = combined.get(sid, 0.0) + weight * score
    return combined


def _within(engine, queryset, most: int = 5000) -> tuple[str, list]:
    """The services the filters allow, as SQL for the engine: their ids when they are few (the
    filters' joins then run once, not once per engine query), else the filters' subquery."""
    ids = list(queryset.order_by().values_list("id", flat=True)[: most + 1])
    if len(ids) <= most:
        return engine.id_list(ids)
    return queryset.order_by().values("id").query.sql_with_params()


def rank(queryset, analysis: Analysis, *, origin=None, filtered=True, limit=None) -> list[Result]:
    """Rank the services of `queryset` that match `analysis`, best first, with score parts.

    `filtered=False` says the queryset is the whole published catalogue: the engine then
    ranks without a restriction (much faster on a large catalogue) and the queryset only
    drops what the visitor may not see.
    """
    limit = limit or getattr(settings, "SEARCH_MAX_RESULTS", MAX_RESULTS)
    engine = get_engine()
    try:
        within = _within(engine, queryset) if filtered else None
    except EmptyResultSet:  # a filter that can match nothing (an unknown comune)
        return []
    if within == ("", []):
        return []
    text_scores = _scaled(engine.scores(analysis.groups, within, limit)) if analysis.groups else {}
    need_scores = _need_scores(engine, analysis, within, limit)
    candidates = set(text_scores) | set(need_scores)
    if not candidates:
        return []
    rows = dict(queryset.filter(id__in=candidates).values_list("id", "assured_date"))
    links = _need_links(rows, analysis.concepts)
    near = _nearness(rows, origin) if origin else {}
    today = timezone.localdate()
    results = []
    for service_id, assured in rows.items():
        parts = {
            "text": text_scores.get(service_id, 0.0),
            "need": 0.6 * need_scores.get(service_id, 0.0) + 0.4 * links.get(service_id, 0.0),
            "distance": near.get(service_id, 0.0),
            "freshness": _freshness(assured, today),
        }
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        results.append(Result(service_id, round(score, 6), parts))
    results.sort(key=lambda r: (-r.score, str(r.service_id)))
    return results


def origin_of(params) -> tuple[float, float] | None:
    """The point distances are measured from: lat/lon if given, else the comune asked for."""
    from facciamorete.directory.models import Location
    from facciamorete.territory.models import Municipality

    try:
        lat, lon = float(params.get("lat", "")), float(params.get("lon", ""))
    except (TypeError, ValueError):
        lat = lon = None
    if lat is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    code = str(params.get("municipality") or "").strip()[:6]
    if not code:
        return None
    municipality = Municipality.objects.filter(istat_code=code).first()
    if municipality is None:
        return None
    if municipality.latitude is not None and municipality.longitude is not None:
        return float(municipality.latitude), float(municipality.longitude)
    # No coordinates for the comune: the middle of the catalogue's places in it.
    centre = Location.objects.filter(
        municipality=municipality, latitude__isnull=False, longitude__isnull=False
    ).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if centre["lat"] is None:
        return None
    return float(centre["lat"]), float(centre["lon"])


class SearchResults(Sequence):
    """The services found, best first, as a sequence: len() and slicing, so any paginator works.

    Without words in the query there is no ranking: the filtered services come by name. Each
    service taken from a ranked slice carries its `search_result` (score and parts).
    """

    def __init__(self, service_filter, results: list[Result] | None, queryset):
        self.filter = service_filter
        self.analysis: Analysis = service_filter.analysis
        self.results = results or []
        self._queryset = queryset

    @property
    def ranked(self) -> bool:
        return not self.analysis.blank

    def __len__(self) -> int:
        return len(self.results) if self.ranked else self.filter.qs.count()

    def __getitem__(self, index):
        if not self.ranked:
            return self.filter.qs.order_by("name", "id")[index]
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        chosen = self.results[index]
        by_id = self._queryset.in_bulk([r.service_id for r in chosen])
        services = []
        for result in chosen:
            service = by_id.get(result.service_id)
            if service is not None:
                service.search_result = result
                services.append(service)
        return services


def as_query_dict(params) -> QueryDict:
    """A QueryDict from a QueryDict or a dict (a list value gives several values)."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        query.setlist(key, [str(v) for v in values if v is not None])
    return query


def search_services(params, *, queryset=None, limit: int | None = None) -> SearchResults:
    """Search the published catalogue with the `/servizi/` parameters; the API's entry point.

    `params` is a QueryDict or a dict: q, family, area, audience, municipality (ISTAT code),
    district, cost, language, open_now, lat, lon, radius_km. With words in `q` the services
    come in rank order (at most `limit`, default 200 or settings.SEARCH_MAX_RESULTS), the
    nearest first among equals when lat/lon or a comune is given; without words, by name.
    `queryset` (default: published services) may add select_related/prefetch_related for the
    fetched pages, or narrow the catalogue. Invalid values never raise: like the page, they are
    ignored or give no results. Facet counts: `results.filter.facet_counts()`.
    """
    from facciamorete.directory.filters import ServiceFilter
    from facciamorete.directory.models import Service

    params = as_query_dict(params)
    base = Service.objects.published() if queryset is None else queryset
    service_filter = ServiceFilter(params or None, queryset=base)
    if service_filter.analysis.blank:
        return SearchResults(service_filter, None, base)
    ranked = rank(
        service_filter.qs,
        service_filter.analysis,
        origin=origin_of(params or {}),
        filtered=service_filter.has_filters(),
        limit=limit,
    )
    return SearchResults(service_filter, ranked, base)
