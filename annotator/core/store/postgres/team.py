"""Setting up a team's server: the schema, the three roles and their rights
(``sql/postgresql/rights.sql``), and login roles for the people.

A person's login role is their name as an annotator: row-level security compares the sets'
``annotator`` with ``current_user``. Passwords go to the server only as SCRAM verifiers
computed here by libpq, so neither the server's log nor ours ever holds one.
"""

from __future__ import annotations

import re
from importlib import resources

import psycopg
from psycopg import errors, sql

from annotator.core.store.annotation_sets import GOLD
from annotator.core.store.errors import StoreAccessDenied, StoreError
from annotator.core.store.location import Location
from annotator.core.store.postgres import ROLES, migrations
from annotator.core.store.postgres.connection import connect, translate, translated

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,62}$")
_RESERVED = (GOLD, "public")
_RIGHTS = (resources.files("annotator.core.store").joinpath("sql", "postgresql", "rights.sql")
           .read_text(encoding="utf-8"))


def init(location: Location) -> list[int]:
    """Create or upgrade the schema and (re)apply the roles and rights; the migrations
    applied. Run as a server administrator (a superuser, or a role that may create roles
    and owns the database)."""
    where = location.display
    with connect(location) as conn, translated(where):
        return upgrade(conn, where)


def upgrade(conn: psycopg.Connection, where: str) -> list[int]:
    """The migrations this project lacks, then the rights re-applied (they name every
    table, new ones included); the migrations applied."""
    applied = migrations.migrate(conn, where)
    with conn.transaction():
        conn.execute(_RIGHTS)
    return applied


def add_user(location: Location, name: str, role: str, password: str) -> None:
    """A login role `name` with the rights of `role` (one of `ROLES`)."""
    where = location.display
    if role not in ROLES:
        raise StoreError(f"{role!r} is not a team role: choose one of {', '.join(ROLES)}")
    if not _NAME.match(name) or name.lower() in _RESERVED or name.startswith(("annotator_",
                                                                              "pg_")):
        raise StoreError(f"{name!r} cannot be a user name: use up to 63 letters, digits, "
                         "'_', '.' or '-', starting with a letter; not 'gold', and not "
                         "starting with 'annotator_' or 'pg_'")
    if not password:
        raise StoreError("the password is empty: give one (ANNOTATOR_PASSWORD or the prompt)")
    with connect(location) as conn:
        with translated(where):
            if migrations.check(conn, where) == 0:
                raise StoreError(f"{where} has no project yet: run `annotator team init` first")
            verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(),
                                                    b"scram-sha-256").decode()
        try:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(name), sql.Literal(verifier),
                sql.Identifier(f"annotator_{role}")))
        except errors.DuplicateObject as exc:
            raise StoreError(f"{where}: a user {name!r} already exists on this server") from exc
        except errors.UndefinedObject as exc:
            raise StoreError(f"{where} has no team roles yet: run `annotator team init` "
                             "first") from exc
        except errors.InsufficientPrivilege as exc:
            raise StoreAccessDenied(where, "only a server administrator may add users") from exc
        except psycopg.Error as exc:
            raise translate(exc, where) from exc
