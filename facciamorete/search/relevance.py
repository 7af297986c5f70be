"""The relevance set: recall@5 and MRR of the search over the demo network, per language."""

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

RELEVANCE_FILE = Path(__file__).parent / "data" / "relevance.json"
CUTOFF = 5


@dataclass
class Outcome:
    query: str
    language: str
    expected: list[str]
    found: list[str]  # slugs, best first (the first CUTOFF * 2)

    @property
    def recall(self) -> float:
        wanted = set(self.expected)
        return len(wanted & set(self.found[:CUTOFF])) / min(len(wanted), CUTOFF)

    @property
    def reciprocal_rank(self) -> float:
        for position, slug in enumerate(self.found, 1):
            if slug in self.expected:
                return 1 / position
        return 0.0


def load_queries(path: Path = RELEVANCE_FILE) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["queries"]


def evaluate(queries: list[dict] | None = None) -> list[Outcome]:
    from .services import search_services

    outcomes = []
    for item in queries or load_queries():
        found = search_services({"q": item["q"]})
        slugs = [service.slug for service in found[: CUTOFF * 2]]
        outcomes.append(Outcome(item["q"], item["lang"], item["expect"], slugs))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, tuple[int, float, float]]:
    """{language or "all": (queries, recall@5, MRR)}."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.language].append(outcome)
        groups["all"].append(outcome)
    return {
        language: (
            len(items),
            sum(o.recall for o in items) / len(items),
            sum(o.reciprocal_rank for o in items) / len(items),
        )
        for language, items in groups.items()
    }


def report(outcomes: list[Outcome], engine: str) -> str:
    lines = [f"Ricerca ({engine}): recall@{CUTOFF} e MRR per lingua"]
    for language, (n, recall, mrr) in sorted(summary(outcomes).items()):
        lines.append(f"  {language:<4} {n:>4} domande  recall@{CUTOFF} {recall:.3f}  MRR {mrr:.3f}")
    misses = [o for o in outcomes if o.recall < 1]
    for o in misses:
        lines.append(f"  ! [{o.language}] {o.query!r}: attesi {o.expected}, trovati {o.found[:5]}")
    return "\n".join(lines)
