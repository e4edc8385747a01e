"""Opening the project for a command that only reads it (`stats`, `export`)."""

from __future__ import annotations

from annotator.core.project import open_project
from annotator.core.store import Store, StoreReadOnly


def open_for_reading(db: str | None) -> Store:
    """The project opened for writing where it can be (so it is upgraded and caches what
    it computes), read-only where its file or folder cannot be written."""
    try:
        return open_project(db)
    except StoreReadOnly:
        return open_project(db, read_only=True)
