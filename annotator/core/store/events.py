"""The append-only event log: the audit trail and the source of speed figures."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from annotator.core.clock import now_iso
from annotator.core.model import Event
from annotator.core.store import _rows

CHANNEL = "annotator"  # where a server announces each new event's id (postgres/listen.py)


class Events:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def append(self, annotator: str, action: str, *, doc_id: str | None = None,
               payload: dict[str, Any] | None = None,
               session_id: str | None = None) -> Callable[[], int]:
        """Add an event; returns how to learn its id once the transaction is done. On a
        server the id is read then, with COMMIT's answer, not in a round trip of its own (a
        file's is read at once: SQLite commits no statement still being read); the same
        statement notifies the project's listeners (`NOTIFY` is delivered at commit, so
        only a kept action is announced)."""
        insert = ("INSERT INTO events (ts, annotator, session_id, doc_id, action, payload) "
                  "VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
        if self._conn.dialect == "postgresql":
            insert = f"WITH e AS ({insert}) SELECT id, pg_notify('{CHANNEL}', id::text) FROM e"
        cursor = self._conn.execute(insert, (now_iso(), annotator, session_id, doc_id, action,
                                             _rows.dumps(payload or {})))
        if self._conn.dialect == "sqlite":
            event_id = cursor.fetchone()[0]
            return lambda: event_id
        return lambda: cursor.fetchone()[0]

    def list(self, *, doc_id: str | None = None, annotator: str | None = None,
             action: str | None = None, actions: Sequence[str] | None = None,
             session_id: str | None = None, limit: int | None = None) -> list[Event]:
        """The events matching every filter given, oldest first. `actions`: any of these
        (a document's review decisions among its annotators' many edits, say)."""
        where, params = [], []
        for column, value in (("doc_id", doc_id), ("annotator", annotator), ("action", action),
                              ("session_id", session_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if actions is not None:
            where.append(f"action IN ({', '.join('?' * len(actions)) or 'NULL'})")
            params += actions
        sql = f"SELECT {_rows.EVENT_COLUMNS} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_rows.event(r) for r in self._conn.execute(sql, params)]

    def last_doc(self, annotator: str) -> str | None:
        """The document of the annotator's latest event (where to resume work)."""
        row = self._conn.execute(
            "SELECT doc_id FROM events WHERE annotator = ? AND doc_id IS NOT NULL "
            "AND doc_id IN (SELECT id FROM documents) ORDER BY id DESC LIMIT 1",
            (annotator,)).fetchone()
        return row[0] if row else None

    def session_counts(self, annotator: str, session_id: str,
                       actions: tuple[str, ...]) -> tuple[str | None, dict[str, int]]:
        """(time of the session's first event, count of each of `actions`), both by index."""
        marks = ",".join("?" * len(actions))
        first = self._conn.execute(
            "SELECT min(ts) FROM events WHERE session_id = ? AND annotator = ?",
            (session_id, annotator)).fetchone()[0]
        counts = dict(self._conn.execute(
            f"SELECT action, count(*) FROM events WHERE session_id = ? AND annotator = ? "
            f"AND action IN ({marks}) GROUP BY action", (session_id, annotator, *actions)))
        return first, {action: counts.get(action, 0) for action in actions}

    def last_id(self) -> int:
        """The newest event's id (0 for none): where a follower of the log starts."""
        return self._conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    def after(self, event_id: int, limit: int = 1000) -> list[Event]:
        """Events newer than `event_id`, oldest first (a follower's next read, by the key)."""
        return [_rows.event(r) for r in self._conn.execute(
            f"SELECT {_rows.EVENT_COLUMNS} FROM events WHERE id > ? ORDER BY id LIMIT ?",
            (event_id, limit))]
