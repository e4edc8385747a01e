"""Spans and the claims built from them. Rejected suggestions stay: they are training signal."""

from __future__ import annotations

import sqlite3
from typing import Any

from annotator.core.clock import now_iso
from annotator.core.model import LAYERS, SPAN_STATES, Claim, Span
from annotator.core.store import _rows


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
