"""A real PostgreSQL server for the tests: one throwaway cluster per test session
(`benchmarks.pgserver`, shared with the benchmarks that run on a server). Each test gets a
fresh database (`CREATE DATABASE`, a few milliseconds) and a password file (`PGPASSFILE`):
URLs carry no passwords, as in real use.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from benchmarks.pgserver import SUPERUSER, Server, ServerUnavailable, throwaway_cluster
from benchmarks.pgserver import free_port as _free_port  # noqa: F401 (tests import it here)


@pytest.fixture(scope="session")
def pg_server():
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(throwaway_cluster())
        except ServerUnavailable as exc:
            pytest.fail(str(exc), pytrace=False)
        yield server


_numbers = itertools.count(1)


@pytest.fixture
def pg_url(pg_server, tmp_path, monkeypatch) -> str:
    """A fresh empty database for this test, as the superuser's URL (without a password:
    libpq finds it in the test's own password file)."""
    name = f"test_{os.getpid()}_{next(_numbers)}"
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{pg_server.password}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    with pg_server.connect() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0")
                      .format(sql.Identifier(name)))
    yield pg_server.url(name)
    with pg_server.connect() as admin, contextlib.suppress(psycopg.Error):
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def add_password(user: str, password: str, server: Server) -> None:
    """Let libpq find `user`'s password as a team member's would: in their password file."""
    with open(os.environ["PGPASSFILE"], "a", encoding="utf-8") as passfile:
        passfile.write(f"127.0.0.1:{server.port}:*:{user}:{password}\n")


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A database set up once as `annotator team init` does (schema, roles, rights), that
    each test's project copies (`CREATE DATABASE … TEMPLATE`, far quicker than migrating)."""
    from annotator.core.store import Location
    from annotator.core.store.postgres.team import init

    name = f"template_{os.getpid()}"
    with pg_server.connect() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0")
                      .format(sql.Identifier(name)))
    with tempfile.TemporaryDirectory() as folder:
        passfile = Path(folder) / "pgpass"
        passfile.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{pg_server.password}\n")
        passfile.chmod(0o600)
        before = os.environ.get("PGPASSFILE")
        os.environ["PGPASSFILE"] = str(passfile)
        try:
            init(Location.parse(pg_server.url(name)))
        finally:
            if before is None:
                del os.environ["PGPASSFILE"]
            else:
                os.environ["PGPASSFILE"] = before
    return name


@pytest.fixture
def pg_project_url(pg_server, pg_template, pg_url) -> str:
    """A fresh team project (set up as by `annotator team init`), as the superuser's URL."""
    name = pg_url.rsplit("/", 1)[1]
    with pg_server.connect() as admin:
        admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(pg_template)))
    return pg_url
