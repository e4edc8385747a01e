"""Numbered migrations, each a SQL file in ``sql/`` applied in one transaction.

The file records every applied migration in ``migrations`` and its version in
``PRAGMA user_version``; a file newer than this code is refused rather than guessed at, and
so is a database of another program (`check`): only an empty file becomes a project.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from annotator.core.clock import now_iso
from annotator.core.store.connection import transaction
from annotator.core.store.errors import NotAProject, StoreVersionError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available(dialect: str = "sqlite") -> list[Migration]:
    """The migrations of one dialect: SQLite's in ``sql/``, PostgreSQL's, numbered in step,
    in ``sql/postgresql/``."""
    folder = resources.files("annotator.core.store").joinpath("sql")
    if dialect != "sqlite":
        folder = folder.joinpath(dialect)
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and entry.is_file():
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


LATEST = len(available())


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check(conn: sqlite3.Connection) -> int:
    """The version of a project this code can open, 0 for an empty file; reads only.

    A project has our ``migrations`` table and a version; anything else with tables in it
    belongs to someone else and is refused before a single byte of it is changed."""
    where = getattr(conn, "where", "the project")
    version = current_version(conn)
    tables = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if (tables or version) and (version < 1 or "migrations" not in tables):
        raise NotAProject(where, "it is an SQLite database of another program")
    if version > LATEST:
        raise StoreVersionError(where, version, LATEST)
    return version


def migrate(conn: sqlite3.Connection, target: int | None = None) -> list[int]:
    """Bring the file up to `target` (default: latest); return the versions applied."""
    target = LATEST if target is None else target
    version = check(conn)
    applied = []
    for migration in available():
        if version < migration.version <= target:
            with transaction(conn):
                if migration.version == 1:
                    conn.execute("CREATE TABLE IF NOT EXISTS migrations ("
                                 "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                 "applied_at TEXT NOT NULL)")
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (migration.version, migration.name, now_iso()))
                conn.execute(f"PRAGMA user_version = {migration.version}")
            applied.append(migration.version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; `executescript` would commit behind our back."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"incomplete SQL statement in migration: {buffer.strip()[:80]}")
    return statements
