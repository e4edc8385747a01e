"""A throwaway PostgreSQL cluster on this machine, for the tests (tests/pg.py) and the
benchmarks that run on a server.

`initdb` and `pg_ctl` (Debian's `postgresql` package) make a cluster in a temporary folder,
listening on a free port of 127.0.0.1 only, with password (SCRAM) authentication as on a
team's server. PostgreSQL refuses to run as root, so under root (CI) the server runs as
`nobody`. For the tests durability is off: it buys nothing in a cluster that is thrown away.
A benchmark asks for a `durable` one, set as a Debian install leaves it (`initdb`'s defaults:
every commit flushed, full-page writes), so that its figures are what a team's server does.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

SUPERUSER = "postgres"
PACKAGE_HINT = ("PostgreSQL's server programs (initdb, pg_ctl) are not installed: install "
                "Debian's `postgresql` package (`apt-get install postgresql`); .ci/run does")
SETTINGS = {"listen_addresses": "'127.0.0.1'", "unix_socket_directories": "''"}
# Durability buys nothing in a throwaway cluster and costs most of a test run's time.
NOT_DURABLE = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class ServerUnavailable(RuntimeError):
    """The cluster could not be made or started; the message says why."""


@dataclass
class Server:
    port: int
    password: str  # the superuser's; handed over by PGPASSFILE, never in a URL
    data: Path  # the cluster's folder
    pg_ctl: list[str] = field(default_factory=list)  # the cluster's pg_ctl, as its user

    def stop(self) -> None:
        """Stop the server as an administrator would (fast: sessions are ended)."""
        _run([*self.pg_ctl, "-m", "fast", "-w", "stop"])

    def start(self) -> None:
        _run([*self.pg_ctl, "-w", "start"])

    def cpu_seconds(self) -> float:
        """CPU seconds the server has spent: its postmaster's and those of the backends it
        has reaped (a benchmark on a shared machine counts these as well as wall time)."""
        pid = (self.data / "postmaster.pid").read_text().split()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

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
        raise ServerUnavailable(PACKAGE_HINT)
    return Path(initdb).parent


def free_port() -> int:
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
        raise ServerUnavailable(f"{' '.join(command[-3:])} failed:\n{done.stdout}"
                                f"{done.stderr}")


@contextlib.contextmanager
def throwaway_cluster(*, durable: bool = False) -> Iterator[Server]:
    """A running cluster for the `with` block, stopped and deleted after it; `durable` keeps
    PostgreSQL's default durability (benchmarks), else it is off (tests)."""
    bin_dir = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    try:
        data, log = folder / "data", folder / "server.log"
        server = Server(port=free_port(), password=secrets.token_urlsafe(16), data=data)
        (folder / "pw").write_text(server.password)
        prefix = _as_server_user(folder)
        _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
              f"--pwfile={folder / 'pw'}", "--auth=scram-sha-256", "--encoding=UTF8",
              "--locale=C.UTF-8", "--no-sync"])
        (folder / "pw").unlink()
        settings = {**SETTINGS, **({} if durable else NOT_DURABLE), "port": str(server.port)}
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        server.pg_ctl = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log)]
        server.start()
        try:
            yield server
        finally:
            subprocess.run([*server.pg_ctl, "-m", "immediate", "stop"], capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
