"""A project's connection to its server, shaped as the repositories use SQLite's: one
`execute` and `executemany` that take ``?`` placeholders, an `in_transaction` flag, and the
server's errors raised as the store's own.

The repositories write their SQL once, in the part SQLite and PostgreSQL share, and branch
on `dialect` only where the two differ (docs/architecture.md, "The store"). JSON columns are
read as text, as SQLite returns them, so rows look the same from both backends.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import pq
from psycopg.types.string import TextLoader

from annotator.core.store.connection import BUSY_TIMEOUT_MS
from annotator.core.store.errors import NotAProject, StoreAccessDenied, StoreReadOnly
from annotator.core.store.location import Location
from annotator.core.store.postgres import migrations
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


class ProjectConnection:
    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection, where: str):
        self.raw = conn
        self.where = where
        for json_type in ("json", "jsonb"):
            conn.adapters.register_loader(json_type, TextLoader)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    @property
    def user(self) -> str:
        """The login role this connection works as: the annotator's name on a server."""
        return self.raw.info.user

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> psycopg.Cursor:
        try:
            if parameters:
                return self.raw.execute(to_format(sql), parameters)
            return self.raw.execute(sql)
        except psycopg.Error as exc:
            raise translate(exc, self.where) from exc

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> psycopg.Cursor:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(to_format(sql), parameters)
        except psycopg.Error as exc:
            raise translate(exc, self.where) from exc
        return cursor

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
        self.raw.close()


def open_project(location: Location, *, read_only: bool = False) -> ProjectConnection:
    """A connection to the project at `location`, migrated to the latest version unless
    `read_only` (where an older schema is refused: upgrading it is an admin's write)."""
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
    return ProjectConnection(conn, where)


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

