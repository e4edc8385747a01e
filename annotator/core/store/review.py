"""What review reads (docs/architecture.md, "Review"): every person's annotation set per
document with when it last changed, and the decided contents of many sets at once.

"Last changed" is the latest of the set's own row, its spans' and claims' rows, and the
events its annotator recorded on the document (a deleted span leaves no row, but its event
stays), review actions excepted: a change after the gold set was reviewed marks the
document "changed since review" without any column of its own. The contents are what an
export takes: accepted entities, and claims whose content span is accepted, with their
accepted source and cue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from annotator.core.store import _rows
from annotator.core.store.annotation_sets import GOLD

MODEL = "model"  # the model's cached suggestions are never anyone's finished work


class SetRow(NamedTuple):
    """One annotation set of a document, as the review queue needs it."""

    doc_id: str
    num: int
    title: str
    curation: str
    set_id: int
    annotator: str
    status: str
    schema_hash: str | None
    cats: dict[str, Any]
    reviewed_by: str | None
    updated_at: str
    rows_changed_at: str  # the latest of the set's, its spans' and its claims' rows
    logged_at: str | None  # the annotator's latest event on the document, review aside


class ClaimRow(NamedTuple):
    """A claim's content range and type, with its source and cue ranges (None: none)."""

    start: int
    end: int
    type: str
    source: tuple[int, int] | None
    cue: tuple[int, int] | None


class Review:
    def __init__(self, conn):
        self._conn = conn

    def sets(self, doc_ids: Sequence[str] | None = None) -> list[SetRow]:
        """The sets of people and of gold (not the model's), documents in import order;
        only those of `doc_ids` when given."""
        sql = ("SELECT d.id, d.num, d.title, d.curation, a.id, a.annotator, a.status, "
               "a.schema_hash, a.cats, a.reviewed_by, a.updated_at, "
               "(SELECT max(s.updated_at) FROM spans s WHERE s.set_id = a.id), "
               "(SELECT max(c.updated_at) FROM claims c WHERE c.set_id = a.id), "
               "(SELECT max(e.ts) FROM events e WHERE e.doc_id = a.doc_id "
               "AND e.annotator = a.annotator AND e.action NOT LIKE 'review.%') "
               "FROM annotation_sets a JOIN documents d ON d.id = a.doc_id "
               "WHERE a.annotator <> ?")
        if doc_ids is None:
            rows = self._conn.execute(sql + " ORDER BY d.num, a.annotator", (MODEL,)).fetchall()
        else:
            rows = []
            for chunk, marks in _rows.in_chunks(list(doc_ids)):
                rows += self._conn.execute(f"{sql} AND d.id IN ({marks})",
                                           [MODEL, *chunk]).fetchall()
            rows.sort(key=lambda r: (r[1], r[5]))
        return [SetRow(*row[:8], _rows.loads(row[8]), row[9], row[10],
                       max(t for t in (row[10], row[11], row[12]) if t is not None), row[13])
                for row in rows]

    def entities(self, set_ids: Iterable[int]) -> dict[int, list[tuple[int, int, str]]]:
        """Each set's accepted entities as (start, end, label), in text order."""
        found: dict[int, list[tuple[int, int, str]]] = {}
        for chunk, marks in _rows.in_chunks(list(set_ids)):
            for set_id, start, end, label in self._conn.execute(
                    f'SELECT set_id, start, "end", label FROM spans WHERE set_id IN ({marks}) '
                    "AND layer = 'entity' AND state = 'accepted' ORDER BY set_id, start, \"end\"",
                    chunk):
                found.setdefault(set_id, []).append((start, end, label))
        return found

    def claims(self, set_ids: Iterable[int]) -> dict[int, list[ClaimRow]]:
        """Each set's claims whose content is accepted, in text order of their contents."""
        found: dict[int, list[ClaimRow]] = {}
        for chunk, marks in _rows.in_chunks(list(set_ids)):
            for row in self._conn.execute(
                    'SELECT c.set_id, cs.start, cs."end", c.type, ss.start, ss."end", '
                    "ss.state = 'accepted', us.start, us.\"end\", us.state = 'accepted' "
                    "FROM claims c JOIN spans cs ON cs.id = c.content_span_id "
                    "LEFT JOIN spans ss ON ss.id = c.source_span_id "
                    "LEFT JOIN spans us ON us.id = c.cue_span_id "
                    f"WHERE c.set_id IN ({marks}) AND cs.state = 'accepted' "
                    'ORDER BY c.set_id, cs.start, cs."end", c.id', chunk):
                set_id, start, end, type_, s0, s1, s_ok, c0, c1, c_ok = row
                found.setdefault(set_id, []).append(ClaimRow(
                    start, end, type_, (s0, s1) if s_ok else None, (c0, c1) if c_ok else None))
        return found


__all__ = ["GOLD", "ClaimRow", "Review", "SetRow"]
