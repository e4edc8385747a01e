"""The suggestion cache and the corpus memory the suggester learns from.

The cache holds one payload per (document, model key, schema hash), so re-running the
suggester does no work and a new model or schema gets fresh rows. The memory is what
annotators decided on entity spans, counted per (annotator, surface text, label) by triggers
on `spans` inside every write (migration `entity_memory`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from annotator.core.clock import now_iso
from annotator.core.store import _rows


# Per model: entity suggestions by label, claims by type, read from the JSON payloads.
_LABEL_COUNTS = {
    "sqlite": "SELECT s.model, json_extract(j.value, '$.label'), count(*) FROM suggestions s, "
              "json_each(s.payload, '$.spans') j GROUP BY 1, 2 "
              "UNION ALL "
              "SELECT s.model, 'claim:' || json_extract(j.value, '$.type'), count(*) "
              "FROM suggestions s, json_each(s.payload, '$.claims') j GROUP BY 1, 2 "
              "ORDER BY 1, 2",
    "postgresql": "SELECT s.model, j.value ->> 'label', count(*) FROM suggestions s, "
                  "jsonb_array_elements(s.payload -> 'spans') j GROUP BY 1, 2 "
                  "UNION ALL "
                  "SELECT s.model, 'claim:' || (j.value ->> 'type'), count(*) "
                  "FROM suggestions s, jsonb_array_elements(s.payload -> 'claims') j "
                  "GROUP BY 1, 2 ORDER BY 1, 2",
}


class Suggestions:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def get(self, doc_id: str, model: str, schema_hash: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            "SELECT payload FROM suggestions WHERE doc_id = ? AND model = ? AND schema_hash = ?",
            (doc_id, model, schema_hash)).fetchone()
        return _rows.loads(row[0]) if row else None

    def put_many(self, model: str, schema_hash: str,
                 payloads: Iterable[tuple[str, dict[str, Any]]]) -> int:
        """Store (doc_id, payload) pairs; an existing row for the same key is replaced."""
        now = now_iso()
        cursor = self._conn.executemany(
            "INSERT INTO suggestions (doc_id, model, schema_hash, payload, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id, model, schema_hash) "
            "DO UPDATE SET payload = excluded.payload, created_at = excluded.created_at",
            ((doc_id, model, schema_hash, _rows.dumps(payload), now)
             for doc_id, payload in payloads))
        return cursor.rowcount

    def missing(self, model: str, schema_hash: str) -> list[str]:
        """Ids of documents (in import order) without a cached payload for this key."""
        return [r[0] for r in self._conn.execute(
            "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM suggestions s "
            "WHERE s.doc_id = d.id AND s.model = ? AND s.schema_hash = ?) ORDER BY d.num",
            (model, schema_hash))]

    def count(self, model: str | None = None, schema_hash: str | None = None) -> int:
        sql, params = "SELECT count(*) FROM suggestions WHERE true", []
        for column, value in (("model", model), ("schema_hash", schema_hash)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return self._conn.execute(sql, params).fetchone()[0]

    def label_counts(self) -> dict[str, dict[str, int]]:
        """Per model key: cached entity suggestions by label and claims by type."""
        out: dict[str, dict[str, int]] = {}
        for model, label, n in self._conn.execute(_LABEL_COUNTS[self._conn.dialect]):
            out.setdefault(model, {})[label] = n
        return out

    def was_materialised(self, set_id: int, model: str) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM suggestions_materialised WHERE set_id = ? AND model = ?",
            (set_id, model)).fetchone() is not None

    def mark_materialised(self, set_id: int, model: str, schema_hash: str, n_spans: int) -> None:
        self._conn.execute(
            "INSERT INTO suggestions_materialised (set_id, model, schema_hash, n_spans, "
            "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (set_id, model) DO NOTHING",
            (set_id, model, schema_hash, n_spans, now_iso()))

    def memory(self, texts: Iterable[str], annotator: str | None
               ) -> list[tuple[str, str, int, int]]:
        """(text, label, accepted, rejected) for those of `texts` that were decided on as
        entities: by `annotator`, or summed over every annotator when it is None. Read from
        the `entity_memory` aggregates the triggers on `spans` keep current, one index probe
        per text: the cost follows the document, not the size of the project."""
        texts = list(set(texts))
        if self._conn.dialect == "sqlite":
            sql = ("SELECT m.text, m.label, sum(m.accepted), sum(m.rejected) "
                   "FROM json_each(?) j JOIN entity_memory m ON m.text = j.value WHERE true")
            params: list[Any] = [_rows.dumps(texts)]
        else:
            sql = ("SELECT m.text, m.label, sum(m.accepted)::int, sum(m.rejected)::int "
                   "FROM entity_memory m WHERE m.text = ANY(?)")
            params = [texts]
        if annotator is not None:
            sql += " AND m.annotator = ?"
            params.append(annotator)
        return self._conn.execute(sql + " GROUP BY m.text, m.label", params).fetchall()
