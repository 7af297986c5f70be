"""One small interface, two engines: SQLite FTS5 and PostgreSQL full-text search.

An engine receives `Term`s (already normalised and stemmed by `text.py`), never a person's
text, so nothing typed can become an engine operator. It answers four questions: which
services match (as SQL, for filters and counts), how well (scores), which words of a query the
index knows, and which indexed words are closest to a misspelt one.
"""

import abc
import os
import uuid
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from . import text

PREFIX_MIN = 5  # a stem this long is searched as a prefix; shorter ones by their exact forms
MAX_EXPANSIONS = 24


@dataclass(frozen=True)
class Term:
    """One word to look for: its normalised form and its Italian stem."""

    word: str
    stem: str

    @classmethod
    def of(cls, word: str) -> "Term":
        return cls(word, text.stem(word))

    @property
    def prefix(self) -> bool:
        """Long enough to be searched as a beginning of words (else by its exact forms)."""
        return len(self.stem) >= PREFIX_MIN

    @property
    def root(self) -> str:
        """What the word and its stem share: Snowball rewrites some endings ("assistenza" →
        "assistent"), so an index of unstemmed words is searched by this common beginning."""
        return os.path.commonprefix([self.word, self.stem])


# A group is a tuple of alternative Terms (a word and its typo corrections); a query is a list of
# groups, any of which may match (ranking rewards the services that match more of them).
Groups = list[tuple[Term, ...]]


class Engine(abc.ABC):
    """What every backend answers; SQLite FTS5 and PostgreSQL each implement all of it."""

    vendor = ""

    @abc.abstractmethod
    def match_sql(self, groups: Groups) -> tuple[str, list]:
        """SQL selecting the ids of the services that match any group."""

    @abc.abstractmethod
    def scores(self, groups: Groups, within: tuple[str, list] | None, limit: int) -> dict:
        """{service id: text score > 0} of the best `limit` matches, among `within` if given."""

    @abc.abstractmethod
    def known(self, terms: list[Term]) -> set[Term]:
        """The terms the index has a word for."""

    @abc.abstractmethod
    def corrections(self, term: Term) -> list[Term]:
        """The indexed words nearest to a misspelt one (edit distance ≤ 2)."""

    def id_list(self, ids: list) -> tuple[str, list]:
        """Service ids as SQL for `scores(within=…)`; ("", []) when there are none."""
        if not ids:
            return "", []
        return ", ".join(["%s"] * len(ids)), [self.db_id(i) for i in ids]

    @staticmethod
    def db_id(value: uuid.UUID):
        return value

    @abc.abstractmethod
    def raw(self, groups: Groups, limit: int) -> list:
        """The engine alone, for the benchmark: the best `limit` matches, nothing else."""

    def _fetch(self, sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class SQLiteEngine(Engine):
    vendor = "sqlite"

    @staticmethod
    def db_id(value: uuid.UUID):
        return value.hex  # Django keeps UUIDs as 32 hex characters on SQLite

    # bm25 weights of name, alternate_name, description, details, organization, terms
    WEIGHTS = "10.0, 5.0, 2.0, 1.0, 1.0, 3.0"

    def _expand(self, term: Term) -> list[str]:
        """Exact indexed forms of a short stem ("cas" → casa, case), from the FTS vocabulary."""
        rows = self._fetch(
            "SELECT term FROM search_vocab WHERE term >= %s AND term < %s LIMIT 200",
            [term.root, term.root + "\U0010ffff"],
        )
        forms = [w for (w,) in rows if text.stem(w) == term.stem]
        return list(dict.fromkeys([term.word, *forms]))[:MAX_EXPANSIONS]

    def expression(self, groups: Groups) -> str:
        parts = []
        for group in groups:
            for term in group:
                if len(term.root) >= PREFIX_MIN:
                    parts.append(f'"{term.root}"*')
                else:
                    parts.extend(f'"{form}"' for form in self._expand(term))
        return " OR ".join(dict.fromkeys(parts))

    def match_sql(self, groups):
        sql = (
            "SELECT d.service_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid"
            " WHERE search_fts MATCH %s"
        )
        return sql, [self.expression(groups)]

    def scores(self, groups, within, limit):
        sql = (
            f"SELECT d.service_id, -bm25(search_fts, {self.WEIGHTS}) FROM search_fts"
            " JOIN search_document d ON d.id = search_fts.rowid WHERE search_fts MATCH %s"
        )
        params = [self.expression(groups)]
        if within:
            sql += f" AND d.service_id IN ({within[0]})"
            params += within[1]
        sql += " ORDER BY 2 DESC LIMIT %s"
        rows = self._fetch(sql, [*params, limit])
        return {uuid.UUID(sid): max(score, 1e-9) for sid, score in rows}

    def known(self, terms):
        found = set()
        for term in terms:
            prefix = len(term.root) >= PREFIX_MIN
            low = term.root if prefix else term.word
            high = low + "\U0010ffff" if prefix else low
            rows = self._fetch(
                "SELECT 1 FROM search_vocab WHERE term >= %s AND term <= %s LIMIT 1", [low, high]
            )
            if rows:
                found.add(term)
        return found

    def corrections(self, term):
        limit = text.allowed_distance(term.word)
        if not limit:
            return []
        # Only words with the same first letter: the vocabulary's own index answers that, and
        # people seldom get the first letter wrong.
        first = term.word[0]
        rows = self._fetch(
            "SELECT term FROM search_vocab WHERE term >= %s AND term < %s"
            " AND length(term) BETWEEN %s AND %s",
            [first, chr(ord(first) + 1), len(term.word) - limit, len(term.word) + limit],
        )
        return [Term.of(w) for w in text.closest(term.word, (w for (w,) in rows), limit)]

    def raw(self, groups, limit):
        return self._fetch(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT %s",
            [self.expression(groups), limit],
        )


class PostgreSQLEngine(Engine):
    vendor = "postgresql"

    def expression(self, groups: Groups) -> str:
        # Stems are letters and digits only (text.normalize), so quoting cannot be broken.
        parts = [
            f"'{term.stem}':*" if term.prefix else f"'{term.stem}'"
            for group in groups
            for term in group
        ]
        return " | ".join(dict.fromkeys(parts))

    def match_sql(self, groups):
        sql = (
            "SELECT service_id FROM search_servicedocument"
            " WHERE document @@ to_tsquery('simple', %s)"
        )
        return sql, [self.expression(groups)]

    def scores(self, groups, within, limit):
        sql = (
            "SELECT d.service_id, ts_rank(d.document, q) FROM search_servicedocument d,"
            " to_tsquery('simple', %s) q WHERE d.document @@ q"
        )
        params = [self.expression(groups)]
        if within:
            sql += f" AND d.service_id IN ({within[0]})"
            params += within[1]
        sql += " ORDER BY 2 DESC LIMIT %s"
        rows = self._fetch(sql, [*params, limit])
        return {sid: max(score, 1e-9) for sid, score in rows}

    def known(self, terms):
        if not terms:
            return set()
        patterns = [t.root + "%" if len(t.root) >= PREFIX_MIN else t.word for t in terms]
        rows = self._fetch(
            "SELECT p FROM unnest(%s::text[]) p"
            " WHERE EXISTS (SELECT 1 FROM search_word WHERE word LIKE p)",
            [patterns],
        )
        present = {p for (p,) in rows}
        return {t for t, p in zip(terms, patterns, strict=True) if p in present}

    def corrections(self, term):
        limit = text.allowed_distance(term.word)
        if not limit:
            return []
        rows = self._fetch(
            "SELECT word FROM search_word WHERE word %% %s"
            " ORDER BY similarity(word, %s) DESC LIMIT 50",
            [term.word, term.word],
        )
        return [Term.of(w) for w in text.closest(term.word, (w for (w,) in rows), limit)]

    def raw(self, groups, limit):
        return self._fetch(
            "SELECT service_id FROM search_servicedocument, to_tsquery('simple', %s) q"
            " WHERE document @@ q ORDER BY ts_rank(document, q) DESC LIMIT %s",
            [self.expression(groups), limit],
        )


ENGINES = {"sqlite": SQLiteEngine, "postgresql": PostgreSQLEngine}


def get_engine() -> Engine:
    try:
        return ENGINES[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Nessun motore di ricerca per il database {connection.vendor}: "
            "usa SQLite o PostgreSQL (DATABASE_URL)."
        ) from None
