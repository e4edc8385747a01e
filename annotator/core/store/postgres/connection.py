"""Connecting to a project's server, and the one place where psycopg's errors become the
store's own (`errors`).

Passwords reach libpq only its own ways (``PGPASSWORD``, ``~/.pgpass``, a service file):
a URL holding one is refused, since other users of the machine see command lines and
shells keep them. libpq's messages name the host, port, user and database, never the
password, so they may be quoted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg
from psycopg import conninfo

from annotator.core.store.errors import (StoreAccessDenied, StoreBusy, StoreError, StoreFull,
                                         StoreIntegrityError, StoreReadOnly, StoreUnreachable)
from annotator.core.store.location import Location

CONNECT_TIMEOUT_S = 5

# libpq's connection failures carry no SQLSTATE: told apart by their (English) messages.
_UNREACHABLE = ("connection refused", "timeout expired", "no route to host",
                "network is unreachable", "could not connect",
                "the database system is shutting down", "the database system is starting up",
                "the database system is in recovery mode")
_UNKNOWN_HOST = ("failed to resolve host", "could not translate host name")
_NO_PASSWORD = ("no password supplied",)
_BAD_PASSWORD = ("password authentication failed",)
_NOT_ALLOWED = ("no pg_hba.conf entry", "permission denied for database",
                "not permitted to log in")


def connect(location: Location) -> psycopg.Connection:
    """A connection in autocommit mode (transactions are opened explicitly), as the user
    the URL names (or libpq's default user)."""
    where = location.display
    if location.has_password:
        raise StoreError(f"{where}: the URL holds a password, which others on this machine "
                         "could read; remove it and give it by PGPASSWORD or ~/.pgpass")
    try:
        params = conninfo.conninfo_to_dict(location.value)
    except psycopg.ProgrammingError as exc:
        raise _wrong_url(where, _first_line(str(exc))) from exc
    port = params.get("port", "5432")
    if not all(part.isdigit() for part in port.split(",")):
        raise _wrong_url(where, f"the port {port!r} is not a number")
    try:
        return psycopg.connect(location.value, autocommit=True,
                               connect_timeout=CONNECT_TIMEOUT_S, application_name="annotator")
    except psycopg.Error as exc:
        raise connect_failure(exc, where, params) from exc


def _wrong_url(where: str, detail: str) -> StoreError:
    return StoreError(f"{where} is not a valid PostgreSQL URL ({detail}); write it as "
                      "postgresql://USER@HOST:PORT/DATABASE")


def connect_failure(exc: psycopg.Error, where: str, params: dict) -> StoreError:
    """The store's error for a failed connection, one sentence saying what to do."""
    message = str(exc)
    lowered = message.lower()
    user = params.get("user") or "this user"
    server = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
    if any(text in lowered for text in _UNKNOWN_HOST):
        return StoreUnreachable(where, f"the host of {server} is unknown; check the URL")
    if any(text in lowered for text in _UNREACHABLE):
        return StoreUnreachable(where, f"no PostgreSQL server answers at {server}; start it, "
                                       "or check the host and port")
    if any(text in lowered for text in _NO_PASSWORD):
        return StoreAccessDenied(where, f"the server asks for {user}'s password; give it by "
                                        "PGPASSWORD or ~/.pgpass")
    if any(text in lowered for text in _BAD_PASSWORD):
        return StoreAccessDenied(where, f"the password of {user} is wrong, or there is no "
                                        "such user; check PGPASSWORD or ~/.pgpass")
    if "does not exist" in lowered and "role" in lowered:
        return StoreAccessDenied(where, f"the server has no user {user}; ask the team's "
                                        "administrator (annotator team add-user)")
    if "does not exist" in lowered and "database" in lowered:
        return StoreError(f"{where} does not exist: the server has no database "
                          f"{params.get('dbname', '')!r}; create it first (createdb)")
    if any(text in lowered for text in _NOT_ALLOWED):
        return StoreAccessDenied(where, f"{user} may not connect to it; ask the team's "
                                        "administrator (annotator team add-user)")
    return StoreError(f"{where} cannot be opened ({_first_line(message)})")


def translate(exc: psycopg.Error, where: str) -> StoreError:
    """The store's error for a psycopg error raised while using the project at `where`."""
    state = getattr(exc, "sqlstate", None) or ""
    if state.startswith("23"):
        return StoreIntegrityError(where, _first_line(str(exc)))
    if state == "25006":
        return StoreReadOnly(where, "it was opened read-only")
    if state == "42501":
        return StoreAccessDenied(where, _first_line(str(exc)))
    if state in ("40001", "40P01", "55P03"):
        return StoreBusy(where)
    if state.startswith("53"):
        return StoreFull(where)
    if state.startswith(("08", "57P")) or isinstance(exc, psycopg.OperationalError) and not state:
        return StoreUnreachable(where, "the connection to the server was lost")
    return StoreError(f"{where}: {_first_line(str(exc))}")


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "no detail"


@contextlib.contextmanager
def translated(where: str) -> Iterator[None]:
    """psycopg's errors raised inside the block as the store's own."""
    try:
        yield
    except psycopg.Error as exc:
        raise translate(exc, where) from exc
