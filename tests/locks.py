"""Another connection holding a project's write lock, on either backend, while the store
under test gives up at once instead of waiting its usual few seconds."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from annotator.core.store import Store

# Every table an action writes: an admin's maintenance (a migration, VACUUM FULL) locks so.
TABLES = ("documents, annotation_sets, spans, claims, events, settings, schemas, suggestions, "
          "suggestions_materialised, document_tokens")


def impatient(store: Store) -> None:
    """`store` gives up on a lock at once (SQLite's 0 is 'never wait', PostgreSQL's 'forever')."""
    if store.conn.dialect == "sqlite":
        store.conn.execute("PRAGMA busy_timeout = 0")
    else:
        store.conn.execute("SET lock_timeout = '1ms'")


@contextlib.contextmanager
def locked_by_another(store: Store) -> Iterator[Store]:
    """Inside: another connection to `store`'s project holds the write lock (reads go on)."""
    with Store(store.location) as other, other.transaction():
        if other.conn.dialect != "sqlite":
            other.conn.execute(f"LOCK TABLE {TABLES} IN EXCLUSIVE MODE")
        yield other
