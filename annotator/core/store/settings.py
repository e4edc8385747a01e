"""Project settings (JSON values by key) and the schemas the project has used."""

from __future__ import annotations

import sqlite3
from typing import Any

from annotator.core.clock import now_iso
from annotator.core.store import _rows

CURRENT_SCHEMA = "schema_hash"


class Settings:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def get(self, key: str, default: Any = None) -> Any:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return _rows.loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        self._conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, _rows.dumps(value)))

    def add_schema(self, schema_hash: str, name: str, version: str, body: dict[str, Any]) -> None:
        """Record a schema by hash (idempotent) and make it the project's current one."""
        self.keep_schema(schema_hash, name, version, body)
        self.set(CURRENT_SCHEMA, schema_hash)

    def keep_schema(self, schema_hash: str, name: str, version: str,
                    body: dict[str, Any]) -> None:
        """Record a schema by hash (idempotent) without making it current: one that imported
        work was made under."""
        self._conn.execute(
            "INSERT INTO schemas (hash, name, version, body, added_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (hash) DO NOTHING",
            (schema_hash, name, version, _rows.dumps(body), now_iso()))

    def schema_body(self, schema_hash: str | None = None) -> dict[str, Any] | None:
        """The stored body of a schema (default: the current one), or None if there is none."""
        schema_hash = schema_hash or self.get(CURRENT_SCHEMA)
        if schema_hash is None:
            return None
        row = self._conn.execute("SELECT body FROM schemas WHERE hash = ?",
                                 (schema_hash,)).fetchone()
        return _rows.loads(row[0]) if row else None

    def schema_bodies(self) -> dict[str, dict[str, Any]]:
        """Every schema the project has used, by hash (an export names each set's)."""
        return {h: _rows.loads(body) for h, body in
                self._conn.execute("SELECT hash, body FROM schemas ORDER BY added_at, hash")}
