"""The project store: one SQLite file = one project (docs/architecture.md, "The store").

All SQL lives behind this package. Callers open a `Store`, read through its repositories
and wrap each user action in ``with store.transaction():``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from annotator.core.store import migrations
from annotator.core.store.annotation_sets import GOLD, AnnotationSets
from annotator.core.store.connection import StoreError, connect, snapshot, transaction
from annotator.core.store.documents import Documents
from annotator.core.store.events import Events
from annotator.core.store.selections import Selections
from annotator.core.store.settings import Settings
from annotator.core.store.spans import Claims, Spans
from annotator.core.store.stats import Stats
from annotator.core.store.suggestions import Suggestions
from annotator.core.store.tokens import Tokens

__all__ = ["GOLD", "Store", "StoreError"]


class Store:
    """An open project file, migrated to the latest version unless opened read-only."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such project file")
        self.conn: sqlite3.Connection = connect(self.path, read_only=read_only)
        if read_only:
            if migrations.current_version(self.conn) != migrations.LATEST:
                raise StoreError(f"{self.path}: a read-only project must already be up to date")
        else:
            migrations.migrate(self.conn)
        self.documents = Documents(self.conn)
        self.sets = AnnotationSets(self.conn)
        self.spans = Spans(self.conn)
        self.claims = Claims(self.conn)
        self.events = Events(self.conn)
        self.settings = Settings(self.conn)
        self.stats = Stats(self.conn)
        self.suggestions = Suggestions(self.conn)
        self.tokens = Tokens(self.conn)
        self.selections = Selections(self.conn)

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn)

    def snapshot(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return snapshot(self.conn)

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
