"""What an export reads: the chosen annotation set of every included document, with the
document, its cached tokens, its decided spans and its claims.

Each is one query in the same order (documents in import order; spans by start, then id;
claims by id), so a reader walks them in step, as a bare `SELECT` would, instead of
asking page after page. Which set is chosen is written once (`_chosen`), so the queries
always agree: an annotator's own set, or for `latest` (annotator None) per document a
finished set before an unfinished one, gold before other annotators, then the most recently
changed (the oldest set on a tie). Only sets in the given statuses count; excluded documents
never do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from annotator.core.model import Claim, Document
from annotator.core.store import _rows
from annotator.core.store.annotation_sets import GOLD

SET_COLUMNS = "a.id, a.annotator, a.status, a.cats, a.updated_at"
TOKEN_COLUMNS = "t.tokenizer, t.starts, t.ends, t.ws, t.json"
_DOCUMENT_COLUMNS = ", ".join(f"d.{c.strip()}" for c in _rows.DOCUMENT_COLUMNS.split(","))
_CLAIM_COLUMNS = ", ".join(f"c.{c.strip()}" for c in _rows.CLAIM_COLUMNS.split(","))


class Chosen(NamedTuple):
    """A chosen set with its document, and the blobs of the document's cached tokens (None
    when there are none) with the tokenizer that made them."""

    doc: Document
    set_id: int
    annotator: str
    status: str
    cats: dict[str, Any]
    updated_at: str
    tokenizer: str | None
    token_blobs: tuple[bytes, bytes, bytes, bytes] | None


class Selections:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def count(self, annotator: str | None, statuses: Sequence[str], *, uncached_by: str
              ) -> tuple[int, int]:
        """How many documents are chosen, and how many of them have no tokens cached by the
        tokenizer `uncached_by` (one pass for both)."""
        chosen, params = _chosen(annotator, statuses)
        return self._conn.execute(
            f"SELECT count(*), count(*) - count(t.doc_id) {chosen} LEFT JOIN document_tokens t "
            f"ON t.doc_id = d.id AND t.tokenizer = ? WHERE {_INCLUDED}",
            [*params, uncached_by]).fetchone()

    def documents(self, annotator: str | None, statuses: Sequence[str], *,
                  tokens: bool = True) -> Iterator[Chosen]:
        """The chosen sets with their documents and, unless `tokens` is false, the blobs
        of the documents' cached tokens."""
        chosen, params = _chosen(annotator, statuses)
        if tokens:
            columns, tokens_join = TOKEN_COLUMNS, "LEFT JOIN document_tokens t ON t.doc_id = d.id"
        else:
            columns, tokens_join = "NULL, NULL, NULL, NULL, NULL", ""
        n = len(_rows.DOCUMENT_COLUMNS.split(","))
        for row in self._conn.execute(
                f"SELECT {_DOCUMENT_COLUMNS}, {SET_COLUMNS}, {columns} {chosen} {tokens_join} "
                f"WHERE {_INCLUDED} ORDER BY d.num", params):
            set_id, annotator_, status, cats, updated_at, tokenizer = row[n:n + 6]
            yield Chosen(_rows.document(row[:n]), set_id, annotator_, status, _rows.loads(cats),
                         updated_at, tokenizer, row[n + 6:] if tokenizer else None)

    def entities(self, annotator: str | None, statuses: Sequence[str]
                 ) -> Iterator[tuple[int, int, int, str, int]]:
        """Accepted entity spans of the chosen sets as plain (set_id, start, end, label, id)
        rows, by start (accepted entities do not overlap): most of what an export reads, so
        the rows carry nothing else and the three in the middle are the exported part as
        they stand."""
        chosen, params = _chosen(annotator, statuses)
        return self._conn.execute(  # by the spans_accepted_entities index, in its order
            f"SELECT s.set_id, s.start, s.\"end\", s.label, s.id {chosen} "
            f"CROSS JOIN spans s ON s.set_id = a.id WHERE {_INCLUDED} "
            "AND s.layer = 'entity' AND s.state = 'accepted' ORDER BY d.num, s.start", params)

    def other_decided_spans(self, annotator: str | None, statuses: Sequence[str]
                            ) -> Iterator[tuple[Any, ...]]:
        """The other decided spans of the chosen sets (rejected entities, claims' parts) as
        plain (set_id, id, start, end, label, is_entity, is_accepted) rows, the last two 0
        or 1."""
        chosen, params = _chosen(annotator, statuses)
        return self._conn.execute(
            "SELECT s.set_id, s.id, s.start, s.\"end\", s.label, s.layer = 'entity', "
            f"s.state = 'accepted' {chosen} CROSS JOIN spans s ON s.set_id = a.id "
            f"WHERE {_INCLUDED} AND s.state != 'suggested' "  # as spans_other_decided says
            "AND NOT (s.layer = 'entity' AND s.state = 'accepted') ORDER BY d.num, s.start, "
            "s.id", params)

    def claims(self, annotator: str | None, statuses: Sequence[str]) -> Iterator[Claim]:
        """The claims of the chosen sets."""
        chosen, params = _chosen(annotator, statuses)
        return map(_rows.claim, self._conn.execute(
            f"SELECT {_CLAIM_COLUMNS} {chosen} CROSS JOIN claims c ON c.set_id = a.id "
            f"WHERE {_INCLUDED} ORDER BY d.num, c.id", params))

    def without_tokens(self, annotator: str | None, statuses: Sequence[str], tokenizer: str,
                       *, after: int = 0, limit: int = 256) -> list[tuple[int, str, str]]:
        """(num, id, text) of the next `limit` chosen documents after import number `after`
        whose tokens are not cached by `tokenizer` (a page at a time: the caller caches
        them before it asks for the next page, and memory stays flat)."""
        chosen, params = _chosen(annotator, statuses)
        return self._conn.execute(
            f"SELECT d.num, d.id, d.text {chosen} {_UNCACHED} AND d.num > ? ORDER BY d.num "
            "LIMIT ?", [*params, tokenizer, after, limit]).fetchall()


_INCLUDED = "d.curation = 'included'"
_UNCACHED = ("LEFT JOIN document_tokens t ON t.doc_id = d.id AND t.tokenizer = ? "
             f"WHERE {_INCLUDED} AND t.doc_id IS NULL")


def _chosen(annotator: str | None, statuses: Sequence[str]) -> tuple[str, list[Any]]:
    """The FROM clause of the chosen sets: `d` the document, `a` its set. `CROSS JOIN`
    keeps SQLite on documents first (in import order), looking each set up by (document,
    annotator); left to choose, it read all of an annotator's sets for each document."""
    marks = ",".join("?" * len(statuses))
    if annotator is None:
        join = ("CROSS JOIN annotation_sets a ON a.id = (SELECT x.id FROM annotation_sets x "
                f"WHERE x.doc_id = d.id AND x.status IN ({marks}) ORDER BY "
                "x.status = 'done' DESC, x.annotator = ? DESC, x.updated_at DESC, x.id "
                "LIMIT 1)")
        params: list[Any] = [*statuses, GOLD]
    else:
        join = ("CROSS JOIN annotation_sets a ON a.doc_id = d.id AND a.annotator = ? "
                f"AND +a.status IN ({marks})")
        params = [annotator, *statuses]
    return f"FROM documents d {join}", params
