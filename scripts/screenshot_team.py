"""A screenshot of two annotators on one team server: alice's and bob's windows side by side,
each its own process logged in as its own member, and alice's finished document showing in
bob's list ("Done by") as the server announces it.

The server is a throwaway PostgreSQL cluster (`benchmarks.pgserver`, Debian's `postgresql`
package); the team is set up as an administrator would (`team init`, two members, the seed
articles imported, the real model's suggestions materialised for each member on the seed
their window opens). Each window is a process of its own (`--window`), as on two desktops;
alice's is driven by keys of the keyboard map: accept a suggestion, the next, Ctrl+Enter
(done). The screen is grabbed a moment later and saved as
`docs/screenshots/1920x1080-17-two-annotators-one-server.png`. Re-runs itself under
`xvfb-run` like `screenshot.py`.

    python scripts/screenshot_team.py [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from screenshot import ROOT, Shooter, _under_xvfb

NAME = "1920x1080-17-two-annotators-one-server.png"
SIZE = (1920, 1080)
HALF = (SIZE[0] // 2, SIZE[1])
SPLIT = [540, 420, 0]  # list (every column shown), article, side panels (folded away)
DATABASE = "newsroom"
DESKTOPS = {"alice": 0, "bob": 1}  # the seed each one's window opens


def _team(server, folder: Path) -> str:
    """The project with the seeds and two members, each with the model's suggestions on the
    seed their window opens; returns its URL with `{user}` for the login."""
    from annotator.core.importers import import_paths
    from annotator.core.paths import seeds_dir
    from annotator.core.project import open_project
    from annotator.core.store import Location
    from annotator.core.store.postgres.team import add_user, init
    from annotator.core.suggest.materialise import ensure_suggestions, project_model
    from annotator.core.suggest.pipeline import load_pipeline

    passwords = {"postgres": server.password, "alice": secrets.token_urlsafe(12),
                 "bob": secrets.token_urlsafe(12)}
    passfile = folder / "pgpass"
    passfile.write_text("".join(f"127.0.0.1:{server.port}:*:{name}:{password}\n"
                                for name, password in passwords.items()))
    passfile.chmod(0o600)
    os.environ["PGPASSFILE"] = str(passfile)
    with server.connect() as admin:
        admin.execute(f"CREATE DATABASE {DATABASE}")
    admin_url = server.url(DATABASE)
    init(Location.parse(admin_url))
    for name in ("alice", "bob"):
        add_user(Location.parse(admin_url), name, "member", passwords[name])
    store = open_project(admin_url)
    import_paths(store, [seeds_dir()], annotator=store.user)
    nlp = load_pipeline(project_model(store))
    ids = store.documents.ids_in_order()
    store.close()
    url = admin_url.replace("postgres@", "{user}@")
    for name, doc_index in DESKTOPS.items():
        store = open_project(url.format(user=name))
        ensure_suggestions(store, ids[doc_index], name, nlp=nlp)
        store.close()
    return url


def member(url: str, left: int, doc_index: int) -> int:
    """One member's desktop: their window on the left or right half, open on a seed with its
    suggestions; says "ready", then on "finish" (stdin) accepts two suggestions and
    marks the document done by keys, and closes at the end of its input."""
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication

    from annotator.core.project import open_project
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = open_project(url)
    window = MainWindow(store, store.user, suggest=False)
    window.setGeometry(left, 0, *HALF)
    window.centralWidget().setSizes(SPLIT)
    window.show()
    window.workspace.open(store.documents.ids_in_order()[doc_index])
    keys = Shooter(app, Path(), "", SIZE)
    window.activateWindow()
    keys.wait(300)  # no window manager: focus arrives with the X server's answer
    keys.keys("Tab")
    print("ready", flush=True)

    def told() -> None:
        if sys.stdin.readline().strip() == "finish":
            window.activateWindow()
            keys.wait(300)
            keys.keys("Return", "Tab", "Return", "Ctrl+Return")
            print("finished", flush=True)
        else:
            app.quit()
    orders = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    orders.activated.connect(told)
    app.exec()
    window.close()
    store.close()
    return 0


def _desktop(url: str, left: int, doc_index: int) -> subprocess.Popen:
    desktop = subprocess.Popen([sys.executable, __file__, "--window", url, str(left),
                                str(doc_index)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)
    if desktop.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the window of {url} did not start")
    return desktop


def alice_and_bob(out: Path) -> Path:
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(ROOT))  # the benchmarks' throwaway cluster, beside the package
    from benchmarks.pgserver import throwaway_cluster

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp, throwaway_cluster() as server:
        os.environ["XDG_CONFIG_HOME"] = tmp  # no remembered window state in either window
        url = _team(server, Path(tmp))
        desktops = []
        try:
            desktops.append(_desktop(url.format(user="bob"), HALF[0], DESKTOPS["bob"]))
            desktops.append(alice := _desktop(url.format(user="alice"), 0, DESKTOPS["alice"]))
            alice.stdin.write("finish\n")
            alice.stdin.flush()
            if alice.stdout.readline().strip() != "finished":
                raise RuntimeError("alice's window did not finish the document")
            shoot = Shooter(app, out, "", SIZE)
            shoot.wait(2000)  # announced by the server, re-read by bob's window
            path = shoot.shot("two-annotators-one-server", name=NAME)
        finally:
            for desktop in desktops:
                desktop.stdin.close()
                desktop.wait(timeout=60)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--window", nargs=3, help=argparse.SUPPRESS)  # a member's process
    args = parser.parse_args()
    if args.window:
        url, left, doc_index = args.window
        return member(url, int(left), int(doc_index))
    _under_xvfb()
    args.out.mkdir(parents=True, exist_ok=True)
    alice_and_bob(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
