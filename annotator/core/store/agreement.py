"""What agreement reads: the finished sets of documents that two or more of the chosen
annotators finished, with their accepted entities, claims and document labels
(docs/architecture.md, "Agreement").

Read a page of documents at a time by import number (keyset paging), so memory stays flat
on both backends (a server's cursor would otherwise bring every row at once); the caller
holds one snapshot around the pages, so they add up to one state of the project. A set's
entities and claims come with its row, aggregated as JSON by the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson

from annotator.core.store import _rows

DONE = "done"

# SQLite's unary `+` keeps a column out of the index choice: a page of sets is found by
# (document, annotator), not among every finished set of the annotators.
_NO_INDEX = {"sqlite": "+", "postgresql": ""}
_JSON_ROWS = {"sqlite": "json_group_array(json_array({}))",
              "postgresql": "coalesce(json_agg(json_build_array({})), '[]')::text"}


def _aggregate(dialect: str, columns: str, rest: str) -> str:
    return f"(SELECT {_JSON_ROWS[dialect].format(columns)} {rest})"


def _part(alias: str) -> str:
    """Start and end of a claim's source or cue span, NULL unless it is accepted."""
    return ", ".join(f"CASE WHEN {alias}.state = 'accepted' THEN {alias}.{column} END"
                     for column in ("start", '"end"'))


def _compared(annotators: Sequence[str]) -> tuple[str, list[Any]]:
    """The condition on `d` of a document compared: included, and finished by two or more
    of `annotators`."""
    marks = ",".join("?" * len(annotators))
    where = ("d.curation = 'included' AND (SELECT count(*) FROM annotation_sets a "
             f"WHERE a.doc_id = d.id AND a.annotator IN ({marks}) AND a.status = ?) >= 2")
    return where, [*annotators, DONE]


class ComparedDocument(NamedTuple):
    num: int
    id: str
    title: str
    length: int  # characters


class FinishedSet(NamedTuple):
    """One annotator's finished work on a document: accepted entities [start, end, label]
    in text order; claims [content start, end, type, source start, end, cue start, end]
    (None for a missing or undecided source or cue) with accepted contents; labels."""

    doc_id: str
    annotator: str
    cats: dict[str, Any]
    entities: list[list[Any]]
    claims: list[list[Any]]


class Agreement:
    def __init__(self, conn):
        self._conn = conn
        dialect = conn.dialect
        self._entities = _aggregate(
            dialect, 's.start, s."end", s.label',
            "FROM spans s WHERE s.set_id = a.id AND s.layer = 'entity' "
            "AND s.state = 'accepted'")
        self._claims = _aggregate(
            dialect, f'cs.start, cs."end", c.type, {_part("ss")}, {_part("us")}',
            "FROM claims c JOIN spans cs ON cs.id = c.content_span_id "
            "LEFT JOIN spans ss ON ss.id = c.source_span_id "
            "LEFT JOIN spans us ON us.id = c.cue_span_id "
            "WHERE c.set_id = a.id AND cs.state = 'accepted'")
        self._no_index = _NO_INDEX[dialect]

    def finished_counts(self) -> dict[str, int]:
        """How many documents (included ones) each annotator has finished."""
        return dict(self._conn.execute(
            "SELECT a.annotator, count(*) FROM annotation_sets a JOIN documents d "
            "ON d.id = a.doc_id WHERE a.status = ? AND d.curation = 'included' "
            "GROUP BY a.annotator ORDER BY a.annotator", [DONE]).fetchall())

    def count(self, annotators: Sequence[str]) -> int:
        """How many included documents at least two of `annotators` finished."""
        where, params = _compared(annotators)
        return self._conn.execute(f"SELECT count(*) FROM documents d WHERE {where}",
                                  params).fetchone()[0]

    def documents(self, annotators: Sequence[str], *, after: int = 0, limit: int = 500
                  ) -> list[ComparedDocument]:
        """The next `limit` of those documents after import number `after`, in import
        order."""
        where, params = _compared(annotators)
        rows = self._conn.execute(
            f"SELECT d.num, d.id, d.title, d.n_chars FROM documents d WHERE {where} "
            "AND d.num > ? ORDER BY d.num LIMIT ?", [*params, after, limit]).fetchall()
        return [ComparedDocument(*row) for row in rows]

    def finished_sets(self, doc_ids: Sequence[str], annotators: Sequence[str]
                      ) -> list[FinishedSet]:
        """The sets of `annotators` that are done on these documents, by document and
        annotator."""
        found: list[FinishedSet] = []
        names = ",".join("?" * len(annotators))
        for chunk, marks in _rows.in_chunks(doc_ids):
            for doc_id, annotator, cats, entities, claims in self._conn.execute(
                    f"SELECT a.doc_id, a.annotator, a.cats, {self._entities}, {self._claims} "
                    f"FROM annotation_sets a WHERE a.doc_id IN ({marks}) AND "
                    f"{self._no_index}a.annotator IN ({names}) AND {self._no_index}a.status = ?",
                    [*chunk, *annotators, DONE]):
                spans = orjson.loads(entities)
                spans.sort()  # the aggregate's order is not promised
                found.append(FinishedSet(doc_id, annotator, _rows.loads(cats), spans,
                                         orjson.loads(claims)))
        found.sort(key=lambda s: (s.doc_id, s.annotator))
        return found
