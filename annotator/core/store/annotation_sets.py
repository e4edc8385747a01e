"""Annotation sets: the work of one annotator (or `gold`) on one document, with its status."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from annotator.core.clock import now_iso
from annotator.core.model import SET_STATUSES, AnnotationSet
from annotator.core.store import _rows

GOLD = "gold"
_UPDATABLE = {"status", "note", "cats", "reviewed_by", "schema_hash", "updated_at",
              "task_hash"}


class AnnotationSets:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def get(self, set_id: int) -> AnnotationSet:
        row = self._conn.execute(
            f"SELECT {_rows.SET_COLUMNS} FROM annotation_sets WHERE id = ?", (set_id,)).fetchone()
        if row is None:
            raise KeyError(f"annotation set {set_id}")
        return _rows.annotation_set(row)

    def find(self, doc_id: str, annotator: str) -> AnnotationSet | None:
        row = self._conn.execute(
            f"SELECT {_rows.SET_COLUMNS} FROM annotation_sets WHERE doc_id = ? AND annotator = ?",
            (doc_id, annotator)).fetchone()
        return _rows.annotation_set(row) if row else None

    def ensure(self, doc_id: str, annotator: str, schema_hash: str | None) -> AnnotationSet:
        """The annotator's set for a document, created (status todo) on first use."""
        now = now_iso()
        self._conn.execute(
            "INSERT INTO annotation_sets (doc_id, annotator, schema_hash, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id, annotator) DO NOTHING",
            (doc_id, annotator, schema_hash, now, now))
        found = self.find(doc_id, annotator)
        assert found is not None
        return found

    def with_work(self, doc_ids: Iterable[str]) -> set[tuple[str, str]]:
        """(doc_id, annotator) of these documents' sets that hold work: a status past todo,
        or spans."""
        found: set[tuple[str, str]] = set()
        for chunk, marks in _rows.in_chunks(list(doc_ids)):
            found.update(self._conn.execute(
                f"SELECT a.doc_id, a.annotator FROM annotation_sets a WHERE a.doc_id IN ({marks})"
                " AND (a.status != 'todo' OR EXISTS (SELECT 1 FROM spans s WHERE s.set_id = a.id))",
                chunk))
        return found

    def ensure_many(self, keys: list[tuple[str, str]], schema_hash: str | None
                    ) -> dict[tuple[str, str], int]:
        """`ensure` for many (doc_id, annotator) at once: their set ids, in a few statements."""
        now = now_iso()
        if self._conn.dialect == "sqlite":
            self._conn.executemany(
                "INSERT INTO annotation_sets (doc_id, annotator, schema_hash, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id, annotator) DO NOTHING",
                [(doc_id, annotator, schema_hash, now, now) for doc_id, annotator in keys])
        else:  # one statement, not one a set: an import makes them by the ten thousand
            self._conn.execute(
                "INSERT INTO annotation_sets (doc_id, annotator, schema_hash, created_at, "
                "updated_at) SELECT k.doc_id, k.annotator, ?, ?, ? "
                "FROM unnest(?::text[], ?::text[]) AS k (doc_id, annotator) "
                "ON CONFLICT (doc_id, annotator) DO NOTHING",
                (schema_hash, now, now, [k[0] for k in keys], [k[1] for k in keys]))
        wanted, ids = set(keys), {}
        for chunk, marks in _rows.in_chunks(sorted({doc_id for doc_id, _ in keys})):
            for set_id, doc_id, annotator in self._conn.execute(
                    f"SELECT id, doc_id, annotator FROM annotation_sets WHERE doc_id IN ({marks})",
                    chunk):
                if (doc_id, annotator) in wanted:
                    ids[(doc_id, annotator)] = set_id
        return ids

    def update_many(self, changes: dict[int, dict[str, Any]]) -> None:
        """`update` for many sets (set id → fields), a statement per shape of change, without
        reading them back. A server takes each shape's rows in one statement, as JSON typed
        by the table's own columns."""
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        now = now_iso()
        for set_id, fields in changes.items():
            if fields.get("status", "todo") not in SET_STATUSES:
                raise ValueError(f"unknown status {fields['status']!r}")
            values = {"updated_at": now, **fields}
            shapes.setdefault(tuple(values), []).append({**values, "id": set_id})
        for names, rows in shapes.items():
            unknown = set(names) - _UPDATABLE
            if unknown:
                raise ValueError(f"cannot update annotation_sets fields {sorted(unknown)}")
            if self._conn.dialect == "sqlite":
                assignments = ", ".join(f'"{name}" = ?' for name in names)
                self._conn.executemany(
                    f"UPDATE annotation_sets SET {assignments} WHERE id = ?",
                    [[_rows.dumps(row[n]) if n == "cats" else row[n] for n in names]
                     + [row["id"]] for row in rows])
            else:
                assignments = ", ".join(f'"{name}" = v."{name}"' for name in names)
                self._conn.execute(
                    f"UPDATE annotation_sets a SET {assignments} FROM "
                    "jsonb_populate_recordset(NULL::annotation_sets, ?::jsonb) v "
                    "WHERE a.id = v.id", (_rows.dumps(rows),))

    def update(self, set_id: int, **fields: Any) -> AnnotationSet:
        """Change status, note, cats, reviewed_by or schema_hash (and, for an import that
        keeps when the work was done, updated_at); returns the set as it now is."""
        if "status" in fields and fields["status"] not in SET_STATUSES:
            raise ValueError(f"unknown status {fields['status']!r}; expected one of {SET_STATUSES}")
        _rows.update_fields(self._conn, "annotation_sets", set_id, fields, json_fields=("cats",),
                            allowed=_UPDATABLE)
        return self.get(set_id)

    def touch(self, set_id: int, actor: str, *,
              expected: int | None = None) -> tuple[str, int] | None:
        """Record an edit of the set in one statement: bump its version and, on gold, stamp
        `actor` as its reviewer. With `expected`, gold is touched only while its version is
        still that one (the check costs no extra round trip). Returns the set's annotator and
        new version; None when no row was touched (gone, stale, or hidden from this login)."""
        sql = ("UPDATE annotation_sets SET version = version + 1, "
               "reviewed_by = CASE WHEN annotator = ? THEN ? ELSE reviewed_by END, "
               "updated_at = CASE WHEN annotator = ? THEN ? ELSE updated_at END WHERE id = ?")
        params: list[Any] = [GOLD, actor, GOLD, now_iso(), set_id]
        if expected is not None:
            sql += " AND (annotator <> ? OR version = ?)"
            params += [GOLD, expected]
        row = self._conn.execute(sql + " RETURNING annotator, version", params).fetchone()
        return (row[0], row[1]) if row else None

    def annotators(self) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT DISTINCT annotator FROM annotation_sets ORDER BY annotator")]

    def status_counts(self, annotator: str) -> dict[str, int]:
        """How many of the annotator's sets are in each status (the status bar's done/total)."""
        return dict(self._conn.execute(
            "SELECT status, count(*) FROM annotation_sets WHERE annotator = ? GROUP BY status",
            (annotator,)).fetchall())

    def finished_on(self, doc_id: str) -> list[AnnotationSet]:
        """The people's finished sets of a document (not gold's), the latest changed first."""
        return [_rows.annotation_set(r) for r in self._conn.execute(
            f"SELECT {_rows.SET_COLUMNS} FROM annotation_sets WHERE doc_id = ? "
            "AND status = 'done' AND annotator != ? ORDER BY updated_at DESC, id",
            (doc_id, GOLD))]
