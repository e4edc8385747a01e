"""Assignments: which annotator is to work on which document (docs/architecture.md,
"Handing out work"). The rules — balance, overlap, what never moves — live in
`core/team/assign.py`; this repository only reads and writes the rows."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.clock import now_iso
from annotator.core.store.annotation_sets import GOLD

BATCH = 200  # rows per multi-row INSERT: 4 columns stay under SQLite's 999 variables
_COLUMNS = ("doc_id", "annotator", "assigned_at", "assigned_by")


class Assignments:
    def __init__(self, conn):
        self._conn = conn

    def exists(self) -> bool:
        """Whether the project's work has been handed out at all (one index probe)."""
        return self._conn.execute("SELECT 1 FROM assignments LIMIT 1").fetchone() is not None

    def pairs(self) -> list[tuple[str, str]]:
        """Every (document, annotator) assignment, by document then annotator."""
        return [tuple(row) for row in self._conn.execute(
            "SELECT doc_id, annotator FROM assignments ORDER BY doc_id, annotator")]

    def started(self) -> dict[tuple[str, str], str]:
        """(document, annotator) → status of every person's set that is past `todo`: work
        that has begun stays where it is (gold is a review, not a person's work)."""
        return {(doc_id, annotator): status for doc_id, annotator, status in self._conn.execute(
            "SELECT doc_id, annotator, status FROM annotation_sets "
            "WHERE status <> 'todo' AND annotator <> ?", (GOLD,))}

    def add(self, pairs: Iterable[tuple[str, str]], assigned_by: str) -> int:
        """Record new (document, annotator) assignments; the caller owns the transaction.
        In a file, multi-row INSERTs; on a server, ``COPY``."""
        at = now_iso()
        rows = [(doc_id, annotator, at, assigned_by) for doc_id, annotator in pairs]
        if not rows:
            return 0
        if self._conn.dialect == "sqlite":
            import sqlite_utils  # here, not at the top: it loads numpy, which no command needs

            sqlite_utils.Database(self._conn)["assignments"].insert_all(
                (dict(zip(_COLUMNS, row)) for row in rows), batch_size=BATCH, alter=False)
        else:
            self._conn.copy_rows("assignments", _COLUMNS, rows)
        return len(rows)

    def remove(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Drop these (document, annotator) assignments; returns how many there were."""
        pairs = list(pairs)
        if not pairs:
            return 0
        return self._conn.executemany(
            "DELETE FROM assignments WHERE doc_id = ? AND annotator = ?", pairs).rowcount
