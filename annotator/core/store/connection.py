"""Opening a project file (a server's project: `postgres.project`): pragmas every connection needs, the transaction helpers, and the
one place where SQLite's errors become the store's own (`errors`).

Write transactions start with ``BEGIN IMMEDIATE`` so that two processes on the same file
queue on the busy timeout instead of failing half-way when a read turns into a write.

Opening writes nothing: `connect` only reads, so a file that turns out not to be a project
(another program's database, a random or damaged file) is left exactly as it was; a caller
that has checked it switches the connection to writing with `prepare_writes`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from annotator.core.store.errors import (NotAProject, StoreBusy, StoreDamaged, StoreError,
                                         StoreFull, StoreIntegrityError, StoreReadOnly)
from annotator.core.store.location import Location

BUSY_TIMEOUT_MS = 5000


class _Connection(sqlite3.Connection):
    """Every statement of the repositories goes through `execute` or `executemany`, so
    translating errors here keeps SQLite's exceptions inside the store."""

    where = "the project"
    dialect = "sqlite"
    user = None  # a project file has no login: the annotator names themselves

    def execute(self, sql, parameters=(), /):
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise translate(exc, self.where) from exc

    def executemany(self, sql, parameters, /):
        try:
            return super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            raise translate(exc, self.where) from exc


def translate(exc: sqlite3.Error, where: str) -> StoreError:
    """The store's error for an SQLite error raised while using the project at `where`."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusy(where)
    if primary == sqlite3.SQLITE_CONSTRAINT or isinstance(exc, sqlite3.IntegrityError):
        return StoreIntegrityError(where, str(exc))
    if primary == sqlite3.SQLITE_READONLY:
        return StoreReadOnly(where, "the file or its folder is read-only")
    if primary == sqlite3.SQLITE_FULL:
        return StoreFull(where)
    if primary == sqlite3.SQLITE_NOTADB:
        return NotAProject(where, "it is not an SQLite database")
    if primary == sqlite3.SQLITE_CORRUPT:
        return StoreDamaged(where, str(exc))
    if primary == sqlite3.SQLITE_CANTOPEN:
        return StoreError(f"{where} cannot be opened ({exc})")
    return StoreError(f"{where}: {exc}")


def connect(location: str | Path | Location, *, read_only: bool = False,
            shared: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are opened explicitly by `transaction`)
    that has written nothing yet. `shared`: another thread may close it (`Store.for_thread`).

    Read-only, the file is opened ``mode=ro``; in a folder nobody can write, where SQLite
    could not keep the shared-memory file a read-only reader of a WAL project needs, it is
    opened ``immutable`` instead: nobody can be changing it there."""
    location = Location.parse(location)
    path, where = location.path, location.display
    if path.is_dir():
        raise NotAProject(where, "it is a folder")
    if path.exists() and not os.access(path, os.R_OK):
        raise StoreError(f"{where} cannot be read: this user has no permission to read it")
    if read_only:
        target, uri = _read_only_uri(path, where), True
    else:
        _check_writable(path, where)
        path.parent.mkdir(parents=True, exist_ok=True)
        target, uri = str(path), False
    try:
        conn = sqlite3.connect(target, uri=uri, isolation_level=None,
                               timeout=BUSY_TIMEOUT_MS / 1000, factory=_Connection,
                               check_same_thread=not shared)
    except sqlite3.Error as exc:
        raise translate(exc, where) from exc
    conn.where = where
    try:
        set_lock_wait(conn, BUSY_TIMEOUT_MS)
        conn.execute("PRAGMA foreign_keys = ON")
    except StoreError:
        conn.close()
        raise
    return conn


def set_lock_wait(conn, milliseconds: int) -> None:
    """How long this connection's writes wait for another's lock before they are busy (at
    least a millisecond: a server's 0 would mean for ever)."""
    milliseconds = max(1, int(milliseconds))
    if conn.dialect == "sqlite":
        conn.execute(f"PRAGMA busy_timeout = {milliseconds}")
    else:
        conn.execute(f"SET lock_timeout = '{milliseconds}ms'")


def prepare_writes(conn: sqlite3.Connection) -> None:
    """Switch a connection to a checked project (or an empty file) to how we write."""
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed action survives a crash of the app *and* of the machine.
    conn.execute("PRAGMA synchronous = FULL")


def _read_only_uri(path: Path, where: str) -> str:
    if not path.exists():
        raise StoreError(f"{where} does not exist")
    folder_writable = os.access(path.parent, os.W_OK)
    wal_left = path.with_name(path.name + "-wal").exists()
    mode = "mode=ro" if folder_writable or wal_left else "immutable=1"
    return f"{path.absolute().as_uri()}?{mode}"


def _check_writable(path: Path, where: str) -> None:
    """Refuse before opening what this process may not write: SQLite would open it anyway
    and fail at the first change, with the window already full of work that cannot be kept."""
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreReadOnly(where, "the file is read-only (exporting it still works)")
    folder = path.absolute().parent
    while not folder.exists():
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        raise StoreReadOnly(where, f"its folder {folder} is read-only, and the project's "
                                   "journal is written beside it")


# SQLite: take the write lock at once, so that a read turning into a write cannot fail
# half-way. PostgreSQL locks rows as they are written; its default snapshot lasts one
# statement, so a snapshot asks for one that lasts the transaction.
_BEGIN_WRITE = {"sqlite": "BEGIN IMMEDIATE", "postgresql": "BEGIN"}
_BEGIN_SNAPSHOT = {"sqlite": "BEGIN",
                   "postgresql": "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"}


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, *,
                batched: bool = False) -> Iterator[sqlite3.Connection]:
    """One user action = one transaction; nested calls join the outer one via a savepoint.

    `batched` (a server's connection, no COPY inside): the statements go in one pipeline,
    so that BEGIN rides with the first one read back and whatever is not read back rides
    with COMMIT: an edit costs the round trips it reads, plus one."""
    with _translated(conn):
        if conn.in_transaction:
            conn.execute("SAVEPOINT nested")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO SAVEPOINT nested")
                    conn.execute("RELEASE SAVEPOINT nested")
                raise
            conn.execute("RELEASE SAVEPOINT nested")
            return
        pipeline = getattr(conn, "pipeline", None)
        try:
            with pipeline() if batched and pipeline else contextlib.nullcontext():
                conn.execute(_BEGIN_WRITE[conn.dialect])
                yield conn
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # also when COMMIT itself failed (a full disk)
                conn.execute("ROLLBACK")
            raise


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Reads that must see one state of the project (an export walks its queries in step,
    twice for a split, while the annotator may go on working): one read transaction. Inside
    a transaction already, that one is the snapshot."""
    if conn.in_transaction:
        yield conn
        return
    with _translated(conn):
        conn.execute(_BEGIN_SNAPSHOT[conn.dialect])
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")


@contextlib.contextmanager
def _translated(conn: sqlite3.Connection) -> Iterator[None]:
    """Errors raised while reading rows (not by `execute`) translated too."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, getattr(conn, "where", "the project")) from exc
