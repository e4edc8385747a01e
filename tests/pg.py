"""A real PostgreSQL server for the tests: one throwaway cluster per test session.

`initdb` and `pg_ctl` (Debian's `postgresql` package) make a cluster in a temporary folder,
listening on a free port of 127.0.0.1 only, with password (SCRAM) authentication as on a
team's server. PostgreSQL refuses to run as root, so under root (CI) the server runs as
`nobody`. Each test gets a fresh database (`CREATE DATABASE`, a few milliseconds) and a
password file (`PGPASSFILE`): URLs carry no passwords, as in real use.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

SUPERUSER = "postgres"
PACKAGE_HINT = ("PostgreSQL's server programs (initdb, pg_ctl) are not installed: install "
                "Debian's `postgresql` package (`apt-get install postgresql`); .ci/run does")
# Durability buys nothing in a throwaway cluster and costs most of its time.
SETTINGS = {"listen_addresses": "'127.0.0.1'", "unix_socket_directories": "''",
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@dataclass
class Server:
    port: int
    password: str  # the superuser's; tests hand it over by PGPASSFILE, never in a URL
    pg_ctl: list[str] = field(default_factory=list)  # the cluster's pg_ctl, as its user

    def stop(self) -> None:
        """Stop the server as an administrator would (fast: sessions are ended)."""
        _run([*self.pg_ctl, "-m", "fast", "-w", "stop"])

    def start(self) -> None:
        _run([*self.pg_ctl, "-w", "start"])

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database), password=self.password, autocommit=True)


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.fail(PACKAGE_HINT, pytrace=False)
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(folder: Path) -> list[str]:
    """The command prefix that runs the server's programs as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    nobody = pwd.getpwnam("nobody")
    for path in (folder, *folder.rglob("*")):
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}",
            "--clear-groups", "--"]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command[-3:])} failed:\n{done.stdout}{done.stderr}",
                    pytrace=False)


@pytest.fixture(scope="session")
def pg_server():
    bin_dir = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    data, log = folder / "data", folder / "server.log"
    server = Server(port=_free_port(), password=secrets.token_urlsafe(16))
    (folder / "pw").write_text(server.password)
    prefix = _as_server_user(folder)
    _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
          f"--pwfile={folder / 'pw'}", "--auth=scram-sha-256", "--encoding=UTF8",
          "--locale=C.UTF-8", "--no-sync"])
    (folder / "pw").unlink()
    settings = {**SETTINGS, "port": str(server.port)}
    with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    server.pg_ctl = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log)]
    server.start()
    try:
        yield server
    finally:
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


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
