"""The project's caches as one thing to measure and drop: the token cache and the model
output cache (`suggestions`). Both are derived data, rebuilt on demand; which suggestions were
poured into which set (`suggestions_materialised`) is a record of work, not a cache, and stays.
"""

from __future__ import annotations

import sqlite3

from annotator.core.store.errors import StoreError

TABLES = {"tokens": "document_tokens", "suggestions": "suggestions"}


class Caches:
    def __init__(self, conn):
        self._conn = conn

    def clear(self, kind: str) -> int:
        """Delete every row of a cache (`tokens` or `suggestions`); returns how many."""
        return self._conn.execute(f"DELETE FROM {TABLES[kind]}").rowcount

    def size(self) -> int:
        """Bytes of the project's pages in use (free pages left out); on a server, of the
        database."""
        if self._conn.dialect != "sqlite":
            return self._conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        (pages, free, page_size) = self._conn.execute(
            "SELECT page_count, freelist_count, page_size FROM pragma_page_count, "
            "pragma_freelist_count, pragma_page_size").fetchone()
        return (pages - free) * page_size

    def compact(self) -> bool:
        """Give freed pages back to the file system (VACUUM); False when another connection
        is reading or writing the project, and the pages are only reused later. A server
        compacts its tables (VACUUM FULL) when the user owns them (an admin)."""
        if self._conn.dialect != "sqlite":
            return self._vacuum_tables()
        try:
            self._conn.execute("VACUUM")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return False
        return True

    def _vacuum_tables(self) -> bool:
        """VACUUM FULL waits for every reader of the table: give up after a moment, as a
        file does when another window holds it."""
        self._conn.execute("SET lock_timeout = '2s'")
        try:
            for table in TABLES.values():
                self._conn.execute(f"VACUUM FULL {table}")
        except StoreError:
            return False
        finally:
            self._conn.execute("RESET lock_timeout")
        return True
