"""The schema on a server: the numbered migrations of ``sql/postgresql/``, in step with
SQLite's (`annotator.core.store.migrations`), each applied in one transaction.

The version is the highest row of ``migrations``. Several desktops may open a project that
needs an upgrade at once: an advisory lock makes them take turns, and each re-reads the
version under it, so every migration runs once.
"""

from __future__ import annotations

import psycopg

from annotator.core.clock import now_iso
from annotator.core.store.errors import NotAProject, StoreVersionError
from annotator.core.store.location import Location
from annotator.core.store.migrations import available
from annotator.core.store.postgres.connection import connect, translated

MIGRATIONS = available("postgresql")
LATEST = len(MIGRATIONS)
_LOCK = 0x616E6E6F  # any constant of ours: the advisory lock the migrating sessions share
_ADVICE = "name an empty database to start a project there (annotator team init)"


def current_version(conn: psycopg.Connection) -> int | None:
    """The project's version, 0 for an empty database, None for another program's data."""
    has_log, n_tables = conn.execute(
        "SELECT to_regclass('migrations') IS NOT NULL, count(*) FROM pg_tables "
        "WHERE schemaname = current_schema()").fetchone()
    if not has_log:
        return 0 if n_tables == 0 else None
    return conn.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()[0]


def check(conn: psycopg.Connection, where: str) -> int:
    """The version of a project this code can open, 0 for an empty database; reads only."""
    version = current_version(conn)
    if version is None:
        raise NotAProject(where, "the database holds tables of another program", _ADVICE)
    if version > LATEST:
        raise StoreVersionError(where, version, LATEST)
    return version


def connect_checked(location: Location) -> psycopg.Connection:
    """A connection to a project this code can open (or to an empty database)."""
    conn = connect(location)
    try:
        with translated(location.display):
            check(conn, location.display)
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: psycopg.Connection, where: str) -> list[int]:
    """Bring the database up to the latest version; return the versions applied."""
    check(conn, where)
    applied = []
    for migration in MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            if check(conn, where) >= migration.version:
                continue
            if migration.version == 1:
                conn.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, "
                             "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            conn.execute(migration.sql)
            conn.execute("INSERT INTO migrations (version, name, applied_at) "
                         "VALUES (%s, %s, %s)", (migration.version, migration.name, now_iso()))
        applied.append(migration.version)
    return applied
