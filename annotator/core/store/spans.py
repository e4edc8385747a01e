"""Spans and the claims built from them. Rejected suggestions stay: they are training signal."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from annotator.core.clock import now_iso
from annotator.core.model import LAYERS, SPAN_STATES, Claim, Span
from annotator.core.store import _rows
from annotator.core.store.errors import StoreIntegrityError


class Spans:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def add(self, set_id: int, start: int, end: int, *, layer: str, label: str, origin: str,
            state: str, score: float | None = None,
            attributes: dict[str, Any] | None = None) -> Span:
        if layer not in LAYERS:
            raise ValueError(f"unknown layer {layer!r}; expected one of {LAYERS}")
        if state not in SPAN_STATES:
            raise ValueError(f"unknown span state {state!r}; expected one of {SPAN_STATES}")
        now = now_iso()
        stored = _rows.dumps(attributes or {})
        cursor = self._conn.execute(
            'INSERT INTO spans (set_id, start, "end", layer, label, origin, state, score, '
            "attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            (set_id, start, end, layer, label, origin, state, score, stored, now, now))
        # The row as stored, made from what was inserted: reading it back was a good part of
        # an add, and imports and suggestions add spans by the thousand (docs/benchmarks.md).
        return Span(cursor.fetchone()[0], set_id, start, end, layer, label, origin, state,
                    None if score is None else float(score), _rows.loads(stored))

    def get(self, span_id: int) -> Span:
        row = self._conn.execute(
            f"SELECT {_rows.SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
        if row is None:
            raise KeyError(f"span {span_id}")
        return _rows.span(row)

    def for_set(self, set_id: int, *, layer: str | None = None) -> list[Span]:
        sql = f"SELECT {_rows.SPAN_COLUMNS} FROM spans WHERE set_id = ?"
        params: list[Any] = [set_id]
        if layer:
            sql += " AND layer = ?"
            params.append(layer)
        sql += ' ORDER BY start, "end", id'
        return [_rows.span(r) for r in self._conn.execute(sql, params)]

    def touching(self, set_id: int, start: int, end: int, *, layer: str) -> list[Span]:
        """The set's spans of `layer` sharing a character with start:end: what an overlap
        check needs to read, not the whole set (an article can hold thousands of spans)."""
        rows = self._conn.execute(
            f"SELECT {_rows.SPAN_COLUMNS} FROM spans WHERE set_id = ? AND start < ? "
            'AND "end" > ? AND layer = ? ORDER BY start, "end", id', (set_id, end, start, layer))
        return [_rows.span(r) for r in rows]

    def update(self, span_id: int, **fields: Any) -> None:
        """Change state, label, score, attributes or the offsets of one span. Nothing is read
        back: on a server the statement then rides with the action's others (one round trip,
        `core/actions.py`)."""
        if "state" in fields and fields["state"] not in SPAN_STATES:
            raise ValueError(f"unknown span state {fields['state']!r}")
        _rows.update_fields(self._conn, "spans", span_id, fields, json_fields=("attributes",),
                            allowed={"state", "label", "score", "attributes", "start", "end",
                                     "layer", "origin"})

    def delete(self, span_id: int) -> None:
        self._conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))

    def new_ids(self, count: int) -> Sequence[int]:
        """Ids for the next `count` spans of `insert_grouped` (`_rows.new_ids`)."""
        return _rows.new_ids(self._conn, "spans", count)

    def insert_grouped(self, groups: list[tuple[int, list[tuple]]], ids: Sequence[int]) -> None:
        """Store new spans in bulk, attributes empty: groups of (set_id, rows), a row being
        (the place of its id in `ids`, from `new_ids`; start, end, layer, label, origin, state,
        score). An import stores spans by the hundred thousand: in a file by multi-row
        INSERTs (a statement a row opens a statement journal each, for the triggers that may
        abort it; SQLite unpacking a JSON array was slower: docs/benchmarks.md), their ends
        checked against the texts once for all (`_bounds_checked_once`); on a server, by
        ``COPY``, whose trigger checks them once a statement."""
        now = now_iso()
        rows = [(ids[row[0]], set_id, *row[1:]) for set_id, group in groups for row in group]
        if not rows:
            return
        if self._conn.dialect != "sqlite":
            self._conn.copy_rows("spans", _BULK_COLUMNS, [(*row, "{}", now, now) for row in rows])
            return
        with self._bounds_checked_once(ids[0], ids[-1]):
            for start in range(0, len(rows), _ROWS):
                chunk = rows[start:start + _ROWS]
                self._conn.execute(
                    f"INSERT INTO spans ({_INSERTED}) VALUES "
                    + ", ".join([_ROW_MARKS] * len(chunk)),
                    [value for row in chunk for value in (*row, now, now)])

    @contextlib.contextmanager
    def _bounds_checked_once(self, first: int, last: int) -> Iterator[None]:
        """Spans inserted meanwhile, with ids first..last, checked to end inside their texts
        by one statement, as a server does, instead of by the trigger a row: it looked up the
        set and the document of every span (docs/benchmarks.md). The trigger is dropped and
        made again inside the caller's transaction: DDL is transactional in SQLite, so no
        other connection ever sees it gone, and a failed write takes the drop back with it."""
        (trigger,) = self._conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (_BOUNDS_TRIGGER,)).fetchone()
        self._conn.execute(f"DROP TRIGGER {_BOUNDS_TRIGGER}")
        try:
            yield
            if self._conn.execute(_BEYOND_TEXT, (first, last)).fetchone():
                raise StoreIntegrityError(self._conn.where,
                                          "span end lies beyond the document text")
        finally:
            self._conn.execute(trigger)

    def defer_memory(self, set_ids: list[int]) -> None:
        """Leave the corpus memory of these sets' entity spans to `count_memory` (migration
        12): the per-span triggers read the document's text once per span."""
        if self._conn.dialect == "sqlite":
            self._conn.executemany("INSERT INTO entity_memory_deferred (set_id) VALUES (?) "
                                   "ON CONFLICT (set_id) DO NOTHING", [(i,) for i in set_ids])
        elif set_ids:  # one statement on a server, not one a set
            self._conn.execute("INSERT INTO entity_memory_deferred (set_id) "
                               "SELECT unnest(?::bigint[]) ON CONFLICT (set_id) DO NOTHING",
                               (set_ids,))

    def count_memory(self, rows: list[tuple[str, str, str, int, int]]) -> None:
        """Add the deferred sets' decided entities to the corpus memory, counted by their
        writer from the texts in hand as (text, label, annotator, accepted, rejected), and
        stop deferring them: before the transaction ends."""
        if self._conn.dialect == "sqlite":
            self._conn.executemany(
                "INSERT INTO entity_memory AS m (text, label, annotator, accepted, rejected) "
                f"VALUES (?, ?, ?, ?, ?) {_ADD_COUNTS}", rows)
        elif rows:  # one statement on a server, not one a row
            self._conn.execute(
                "INSERT INTO entity_memory AS m (text, label, annotator, accepted, rejected) "
                "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::int[]) "
                f"{_ADD_COUNTS}", tuple(map(list, zip(*rows))))
        self._conn.execute("DELETE FROM entity_memory_deferred")


_ADD_COUNTS = ("ON CONFLICT (text, label, annotator) DO UPDATE "
               "SET accepted = m.accepted + excluded.accepted, "
               "rejected = m.rejected + excluded.rejected")
_BOUNDS_TRIGGER = "spans_inside_text_on_insert"
_BEYOND_TEXT = (  # the furthest end in each set, against its document's length
    'SELECT 1 FROM (SELECT set_id, max("end") AS reach FROM spans WHERE id BETWEEN ? AND ? '
    "GROUP BY set_id) s JOIN annotation_sets a ON a.id = s.set_id "
    "JOIN documents d INDEXED BY documents_length ON d.id = a.doc_id "
    "WHERE s.reach > d.n_chars LIMIT 1")
_BULK_COLUMNS = ("id", "set_id", "start", "end", "layer", "label", "origin", "state", "score",
                 "attributes", "created_at", "updated_at")
_INSERTED = ", ".join(f'"{column}"' for column in _BULK_COLUMNS)
_ROWS = 90  # rows per multi-row INSERT: 11 values each stay under SQLite's 999 variables
_ROW_MARKS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)"



class Claims:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def add(self, set_id: int, content_span_id: int, *, type: str,
            source_span_id: int | None = None, cue_span_id: int | None = None,
            attributes: dict[str, Any] | None = None) -> Claim:
        now = now_iso()
        stored = _rows.dumps(attributes or {})
        cursor = self._conn.execute(
            "INSERT INTO claims (set_id, content_span_id, source_span_id, cue_span_id, type, "
            "attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (set_id, content_span_id, source_span_id, cue_span_id, type, stored, now, now))
        return Claim(cursor.fetchone()[0], set_id, content_span_id, source_span_id, cue_span_id,
                     type, _rows.loads(stored))  # as stored, without reading it back

    def get(self, claim_id: int) -> Claim:
        row = self._conn.execute(
            f"SELECT {_rows.CLAIM_COLUMNS} FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise KeyError(f"claim {claim_id}")
        return _rows.claim(row)

    def for_set(self, set_id: int) -> list[Claim]:
        return [_rows.claim(r) for r in self._conn.execute(
            f"SELECT {_rows.CLAIM_COLUMNS} FROM claims WHERE set_id = ? ORDER BY id", (set_id,))]

    def update(self, claim_id: int, **fields: Any) -> Claim:
        _rows.update_fields(self._conn, "claims", claim_id, fields, json_fields=("attributes",),
                            allowed={"type", "source_span_id", "cue_span_id", "attributes"})
        return self.get(claim_id)

    def delete(self, claim_id: int) -> None:
        self._conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))

    def insert_many(self, rows: list[tuple]) -> None:
        """Store new claims in bulk: rows of (set_id, content_span_id, source_span_id,
        cue_span_id, type, attributes), their spans already stored."""
        now = now_iso()
        full = [(*row[:5], _rows.dumps(row[5] or {}), now, now) for row in rows]
        if self._conn.dialect == "sqlite":
            self._conn.executemany(
                "INSERT INTO claims (set_id, content_span_id, source_span_id, cue_span_id, "
                "type, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", full)
        else:
            self._conn.copy_rows("claims", ("set_id", "content_span_id", "source_span_id",
                                            "cue_span_id", "type", "attributes", "created_at",
                                            "updated_at"), full)
