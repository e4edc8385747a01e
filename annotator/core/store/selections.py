"""What an export reads: the chosen annotation set of every included document, with the
document, its cached tokens, its decided entities and its claims.

Two queries in the same order (documents in import order; claims by id), so a reader walks
them in step, as a bare `SELECT` would, instead of asking page after page. A document's
accepted and rejected entities come with its row, each list aggregated by SQLite as JSON
from a covering index (one row per document instead of one per span: the Python side of
reading 150,000 span rows cost as much as the query). Which set is chosen is written once
(`_chosen`), so the queries always agree: an annotator's own set, or for `latest`
(annotator None) per document a finished set before an unfinished one, gold before other
annotators, then the most recently changed (the oldest set on a tie). Only sets in the given
statuses count; excluded documents never do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import orjson

from annotator.core.model import Document
from annotator.core.store import _rows
from annotator.core.store.annotation_sets import GOLD

_SET_COLUMNS = "a.id, a.annotator, a.status, a.cats, a.updated_at, a.schema_hash, a.task_hash"
_TOKEN_COLUMNS = "t.tokenizer, t.json_zstd"
_DOCUMENT_COLUMNS = ", ".join(f"d.{c.strip()}" for c in _rows.DOCUMENT_COLUMNS.split(","))
Part = tuple[int, int, str] | list[Any]  # (start, end, label); a list when read from JSON


_AGGREGATE = {"sqlite": "json_group_array(json_array(s.start, s.\"end\", s.label))",
              "postgresql": "coalesce(json_agg(json_build_array(s.start, s.\"end\", s.label)), "
                            "'[]')::text"}


def _entities(state: str, dialect: str) -> str:
    """A set's entity spans in `state` as a JSON array of [start, end, label], read from the
    spans_<state>_entities index alone (`state` is one of the two, never user input)."""
    return (f"(SELECT {_AGGREGATE[dialect]} FROM spans s "
            f"WHERE s.set_id = a.id AND s.layer = 'entity' AND s.state = '{state}')")


class Chosen(NamedTuple):
    """A chosen set with its document, its accepted and rejected entities (in text order),
    and the document's cached tokens (their blob, None when there are none) with the
    tokenizer that made them. `schema_hash`: the schema the set was made under; `task_hash`:
    the Prodigy task hash it was imported with (None for work made here)."""

    doc: Document
    set_id: int
    annotator: str
    status: str
    cats: dict[str, Any]
    updated_at: str
    schema_hash: str | None
    task_hash: int | None
    entities: list[Part]
    rejected: list[Part]
    tokenizer: str | None
    token_blob: bytes | None


class ChosenText(NamedTuple):
    """A chosen set with only its document's id and text and its accepted and rejected
    entities (in text order): what a check over the texts needs (`curate.lint`)."""

    doc_id: str
    set_id: int
    text: str
    entities: list[Part]
    rejected: list[Part]


class ChosenClaim(NamedTuple):
    """A claim of a chosen set with its parts, each None unless its span is accepted."""

    set_id: int
    type: str
    attributes: dict[str, Any]
    content: Part | None
    source: Part | None
    cue: Part | None


class Selections:
    def __init__(self, conn):
        self._conn = conn
        self._dialect = conn.dialect

    def count(self, annotator: str | None, statuses: Sequence[str], *,
              uncached_by: str | None = None) -> tuple[int, int]:
        """How many documents are chosen, and how many of them have no tokens cached by the
        tokenizer `uncached_by` (one pass for both; 0 without a tokenizer to ask about)."""
        chosen, params = _chosen(annotator, statuses, self._dialect)
        if uncached_by is None:
            (n,) = self._conn.execute(f"SELECT count(*) {chosen} WHERE {_INCLUDED}",
                                      params).fetchone()
            return n, 0
        return self._conn.execute(
            f"SELECT count(*), count(*) - count(t.doc_id) {chosen} LEFT JOIN document_tokens t "
            f"ON t.doc_id = d.id AND t.tokenizer = ? WHERE {_INCLUDED}",
            [*params, uncached_by]).fetchone()

    def documents(self, annotator: str | None, statuses: Sequence[str], *,
                  tokens: bool = True) -> Iterator[Chosen]:
        """The chosen sets with their documents, entities and, unless `tokens` is false, the
        documents' cached tokens."""
        if tokens:
            columns, tokens_join = _TOKEN_COLUMNS, "LEFT JOIN document_tokens t ON t.doc_id = d.id"
        else:
            columns, tokens_join = "NULL, NULL", ""
        n = len(_rows.DOCUMENT_COLUMNS.split(","))
        for row in self._with_entities(f"{_DOCUMENT_COLUMNS}, {_SET_COLUMNS}", columns,
                                       tokens_join, annotator, statuses):
            (set_id, annotator_, status, cats, updated_at, schema_hash, task_hash, accepted,
             rejected, *tokens) = row[n:]
            entities, rejected = _sorted(accepted), _sorted(rejected)
            yield Chosen(_rows.document(row[:n]), set_id, annotator_, status, _rows.loads(cats),
                         updated_at, schema_hash, task_hash, entities, rejected, *tokens)

    def texts(self, annotator: str | None, statuses: Sequence[str]) -> Iterator[ChosenText]:
        """The chosen sets with their documents' ids and texts and their entities, as
        `documents` chooses them, without the documents' other columns (decoding those
        cost more than the query)."""
        for doc_id, set_id, text, accepted, rejected in self._with_entities(
                "d.id, a.id, d.text", "", "", annotator, statuses):
            yield ChosenText(doc_id, set_id, text, _sorted(accepted), _sorted(rejected))

    def _with_entities(self, columns: str, more: str, join: str, annotator: str | None,
                       statuses: Sequence[str]):
        """Rows of `columns`, the accepted and rejected entities as JSON, then `more`."""
        chosen, params = _chosen(annotator, statuses, self._dialect)
        return self._conn.execute(
            f"SELECT {columns}, {_entities('accepted', self._dialect)}, "
            f"{_entities('rejected', self._dialect)}{', ' if more else ''}{more} {chosen} "
            f"{join} WHERE {_INCLUDED} ORDER BY d.num", params)

    def claims(self, annotator: str | None, statuses: Sequence[str]
               ) -> Iterator[ChosenClaim]:
        """The claims of the chosen sets with their parts, by claim id."""
        chosen, params = _chosen(annotator, statuses, self._dialect)
        parts = ", ".join(f"{p}.start, {p}.\"end\", {p}.label, {p}.state = 'accepted'"
                          for p in ("cs", "ss", "us"))
        for row in self._conn.execute(
                f"SELECT c.set_id, c.type, c.attributes, {parts} {chosen} "
                f"{_FIRST[self._dialect]} claims c ON c.set_id = a.id "
                "JOIN spans cs ON cs.id = c.content_span_id "
                "LEFT JOIN spans ss ON ss.id = c.source_span_id "
                "LEFT JOIN spans us ON us.id = c.cue_span_id "
                f"WHERE {_INCLUDED} ORDER BY d.num, c.id", params):
            yield ChosenClaim(row[0], row[1], _rows.loads(row[2]),
                              *(row[i:i + 3] if row[i + 3] else None for i in (3, 7, 11)))


def _sorted(entities: str) -> list[Part]:
    """A JSON array of entities in text order (SQLite does not promise the aggregate's)."""
    found = orjson.loads(entities)
    found.sort()
    return found


_INCLUDED = "d.curation = 'included'"


# SQLite's `CROSS JOIN` joins in the order written; PostgreSQL's planner is left to choose.
_FIRST = {"sqlite": "CROSS JOIN", "postgresql": "JOIN"}
# SQLite's unary `+` keeps a column out of the index choice; PostgreSQL needs no such hint.
_NO_INDEX = {"sqlite": "+", "postgresql": ""}


def _chosen(annotator: str | None, statuses: Sequence[str], dialect: str
            ) -> tuple[str, list[Any]]:
    """The FROM clause of the chosen sets: `d` the document, `a` its set. `CROSS JOIN`
    keeps SQLite on documents first (in import order), looking each set up by (document,
    annotator); left to choose, it read all of an annotator's sets for each document."""
    marks = ",".join("?" * len(statuses))
    if annotator is None:
        join = (f"{_FIRST[dialect]} annotation_sets a ON a.id = (SELECT x.id "
                f"FROM annotation_sets x WHERE x.doc_id = d.id AND x.status IN ({marks}) ORDER BY "
                "x.status = 'done' DESC, x.annotator = ? DESC, x.updated_at DESC, x.id "
                "LIMIT 1)")
        params: list[Any] = [*statuses, GOLD]
    else:
        join = (f"{_FIRST[dialect]} annotation_sets a ON a.doc_id = d.id AND a.annotator = ? "
                f"AND {_NO_INDEX[dialect]}a.status IN ({marks})")
        params = [annotator, *statuses]
    return f"FROM documents d {join}", params
