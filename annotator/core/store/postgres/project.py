"""A project's connection to its server, shaped as the repositories use SQLite's: one
`execute` and `executemany` that take ``?`` placeholders, an `in_transaction` flag, and the
server's errors raised as the store's own.

The repositories write their SQL once, in the part SQLite and PostgreSQL share, and branch
on `dialect` only where the two differ (docs/architecture.md, "The store"). JSON columns are
read as text, as SQLite returns them, so rows look the same from both backends.

A lost connection (the server restarted, the network dropped) is reopened at the next
statement outside a transaction, with backoff; a transaction it broke is lost whole and
reported as `StoreUnreachable` ("Live updates and reconnects").
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import Loader
from psycopg.types.array import ListBinaryDumper
from psycopg.types.string import TextBinaryLoader, TextLoader

from annotator.core.store.connection import BUSY_TIMEOUT_MS
from annotator.core.store.errors import (NotAProject, StoreAccessDenied, StoreReadOnly,
                                         StoreUnreachable)
from annotator.core.store.location import Location
from annotator.core.store.postgres import migrations
from annotator.core.store.postgres.backoff import Backoff
from annotator.core.store.postgres.connection import connect, translate, translated


@functools.lru_cache(maxsize=1024)
def to_format(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled); quoted
    text and identifiers are left as written."""
    out, quote = [], None
    for char in sql:
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        out.append("%%" if char == "%" else char)
    return "".join(out)


_IDLE = pq.TransactionStatus.IDLE
_LOST = "the connection to the server was lost, and the change under way with it"


class ProjectConnection:
    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection, location: Location, read_only: bool):
        self.raw = _adapted(conn)
        self.where = location.display
        self.user = conn.info.user  # the login: the annotator's name on a server
        self._location, self._read_only = location, read_only
        self._backoff = Backoff()
        self._lost = False  # a transaction of ours died with the connection, not yet closed
        self._closed = False  # closed by us: nothing to reopen

    @property
    def in_transaction(self) -> bool:
        status = self.raw.info.transaction_status
        return self._lost or status not in (_IDLE, pq.TransactionStatus.UNKNOWN)

    def team_role(self) -> str:
        """The strongest team role the login holds (a server administrator counts as an
        admin): what the core checks before the database does."""
        return self.raw.execute(
            "SELECT CASE WHEN pg_has_role('annotator_admin', 'MEMBER') OR rolsuper THEN 'admin' "
            "WHEN pg_has_role('annotator_reviewer', 'MEMBER') THEN 'reviewer' ELSE 'member' END "
            "FROM pg_roles WHERE rolname = current_user").fetchone()[0]

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> psycopg.Cursor | None:
        """Rows come back in binary, the server's own form: no hex for the cached tokens
        (half the bytes of an export's read) and no number parsing. A statement without
        parameters goes as simple query text (a script may hold several)."""
        if parameters:
            return self._run(sql, lambda raw: raw.execute(to_format(sql), parameters,
                                                          binary=True))
        return self._run(sql, lambda raw: raw.execute(sql))

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> psycopg.Cursor:
        rows = list(parameters)  # a retry on a reopened connection sends them again

        def run(raw: psycopg.Connection) -> psycopg.Cursor:
            cursor = raw.cursor()
            cursor.executemany(to_format(sql), rows)
            return cursor
        return self._run(sql, run)

    def _run(self, sql: str, call):
        """Run `call` on the connection. Lost while idle, nothing that counts was sent: the
        connection is reopened and the statement sent once more. Lost inside a transaction,
        the transaction is gone: that is said until the caller closes it (a ROLLBACK, which
        the server has done already)."""
        if self._lost:
            if sql in ("COMMIT", "ROLLBACK"):
                self._lost = False
                if sql == "ROLLBACK":
                    return None
            raise StoreUnreachable(self.where, _LOST)
        if self.raw.closed and not self._closed:
            self.reopen()
        idle = self.raw.info.transaction_status == _IDLE
        try:
            return call(self.raw)
        except psycopg.Error as exc:
            if not self.raw.closed or self._closed:
                raise translate(exc, self.where) from exc
            if not idle:
                self._lost = True
                raise StoreUnreachable(self.where, _LOST) from exc
        self.reopen()
        try:
            return call(self.raw)
        except psycopg.Error as exc:
            raise translate(exc, self.where) from exc

    def reopen(self) -> None:
        """Reopen the lost connection if the backoff allows a try yet (else, as when the
        server does not answer, `StoreUnreachable`)."""
        if not self._backoff.ready():
            raise StoreUnreachable(self.where, "the connection to the server was lost; "
                                   f"trying again in {self._backoff.wait_s():.0f} s")
        self.reconnect()

    def reconnect(self) -> None:
        """Reopen the connection to the same project now (the server is known to be back)."""
        try:
            fresh = _open(self._location, self._read_only)
        except StoreUnreachable:
            self._backoff.failed()
            raise
        self._backoff.succeeded()
        old, self.raw, self._lost = self.raw, _adapted(fresh), False
        old.close()

    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Iterable[Sequence[Any]]) -> None:
        """Stream rows into `table` by ``COPY``, the server's bulk road (names are ours,
        never a user's)."""
        names = ", ".join(f'"{c}"' for c in columns)
        try:
            with self.raw.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            raise translate(exc, self.where) from exc

    @contextlib.contextmanager
    def pipeline(self) -> Iterator[None]:
        """Statements sent without waiting for each answer; a read waits for what it needs
        (`connection.transaction(batched=True)`). An error surfaces where the answers are
        read, as the store's own. A connection lost since is reopened first, as for a
        statement."""
        if self.raw.closed and not self._closed:
            self.reopen()
        try:
            with self.raw.pipeline():
                yield
        except psycopg.Error as exc:
            raise translate(exc, self.where) from exc

    def stream(self, sql: str, parameters: Sequence[Any], batch: int
               ) -> Iterator[list[tuple]]:
        """A query's rows `batch` at a time through a server-side cursor, so a whole table
        never sits in memory; it lives in the caller's transaction."""
        try:
            with self.raw.cursor(name="annotator_stream") as cursor:
                cursor.execute(to_format(sql) if parameters else sql, parameters or None)
                while chunk := cursor.fetchmany(batch):
                    yield chunk
        except psycopg.Error as exc:
            raise translate(exc, self.where) from exc

    def close(self) -> None:
        self._closed = True
        self.raw.close()


def open_project(location: Location, *, read_only: bool = False) -> ProjectConnection:
    """A connection to the project at `location`, migrated to the latest version unless
    `read_only` (where an older schema is refused: upgrading it is an admin's write)."""
    return ProjectConnection(_open(location, read_only), location, read_only)


def _open(location: Location, read_only: bool) -> psycopg.Connection:
    where = location.display
    conn = connect(location)
    try:
        with translated(where):
            version = migrations.check(conn, where)
            if version == 0:
                raise NotAProject(where, "the database is empty",
                                  "an admin sets a project up there with `annotator team init`")
            if version < migrations.LATEST:
                if read_only:
                    raise StoreReadOnly(where, "it needs an upgrade by this Annotator, which "
                                               "an admin of the team must run")
                _upgrade(conn, where)
            # A write waits for another's lock as long as SQLite's busy timeout, then is busy.
            conn.execute(f"SET lock_timeout = '{BUSY_TIMEOUT_MS}ms'")
            if read_only:
                conn.execute("SET default_transaction_read_only = on")
    except BaseException:
        conn.close()
        raise
    return conn


class _JsonbText(Loader):
    """A binary jsonb read as its text (a version byte, then the text), as SQLite returns
    JSON."""

    format = pq.Format.BINARY

    def load(self, data) -> str:
        return bytes(data[1:]).decode()


def _adapted(conn: psycopg.Connection) -> psycopg.Connection:
    # A list parameter goes as a binary array: psycopg's text form escapes every element in
    # Python and the server parses it back (an import batch's 500 texts: 29 ms against 3 ms).
    conn.adapters.register_dumper(list, ListBinaryDumper)
    for json_type in ("json", "jsonb"):
        conn.adapters.register_loader(json_type, TextLoader)
    conn.adapters.register_loader("json", TextBinaryLoader)
    conn.adapters.register_loader("jsonb", _JsonbText)
    return conn


def _upgrade(conn: psycopg.Connection, where: str) -> None:
    # Imported here: team imports this module's neighbours, not the other way round.
    from annotator.core.store.postgres.team import upgrade

    try:
        upgrade(conn, where)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise StoreAccessDenied(where, "its schema needs an upgrade, which only an admin of "
                                       "the team may run (annotator team init)") from exc
    except psycopg.Error as exc:
        raise translate(exc, where) from exc

