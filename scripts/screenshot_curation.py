"""Screenshots of the curation windows at 1280×800: Project → Consistency checks… and View →
Corroboration of this story… on the seed articles, and Project → Dashboard on a synthetic
team project (the dashboard benchmark's, 3,000 articles).

On the seeds, the model's suggestions are materialised, the stories clustered, and four
articles finished with every suggested entity accepted (so the checks find what the model
labels inconsistently). Saved as `docs/screenshots/1280x800-1N-<state>.png`, grabbed from the
X screen under `xvfb-run` like `screenshot.py`, whose helpers this script uses.

    python scripts/screenshot_curation.py [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT)]

import screenshot as base

SIZE = (1280, 800)
FINISHED = 4  # seeds finished with the model's entities accepted


def seeds_project(path: Path) -> None:
    from annotator.core.curate.clusters import refresh_clusters
    from annotator.core.importers import import_paths
    from annotator.core.paths import seeds_dir
    from annotator.core.project import open_project
    from annotator.core.session import Session
    from annotator.core.suggest.materialise import ensure_suggestions, project_model
    from annotator.core.suggest.pipeline import load_pipeline

    store = open_project(path)
    import_paths(store, [seeds_dir()], annotator=base.ANNOTATOR)
    nlp = load_pipeline(project_model(store))
    ids = store.documents.ids_in_order()
    for doc_id in ids:
        ensure_suggestions(store, doc_id, base.ANNOTATOR, nlp=nlp)
    with store.transaction():
        for doc_id in ids[:FINISHED]:
            found = store.sets.find(doc_id, base.ANNOTATOR)
            for span in store.spans.for_set(found.id, layer="entity"):
                store.spans.update(span.id, state="accepted")
            store.sets.update(found.id, status="done")
    refresh_clusters(store, Session("lead"))
    store.close()


def team_project(path: Path) -> None:
    """The dashboard benchmark's project at 3,000 articles."""
    from benchmarks import dashboard_speed as bench

    bench.WORKED, bench.DONE, bench.EXCLUDED = 1_600, 1_300, 240
    bench._project(path, 3_000, bench.BIG_WORDS)
    bench._work(path)


def _window(store):
    from annotator.gui.main_window import MainWindow

    window = MainWindow(store, base.ANNOTATOR, suggest=False)
    window.setGeometry(0, 0, *SIZE)
    window.show()
    window.activateWindow()
    return window


def _wait_for(shoot: base.Shooter, signal) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    shoot.wait(300)


def curation_states(app, seeds: Path, team: Path, out: Path) -> None:
    from annotator.core.store import Store

    shoot = base.Shooter(app, out, f"{SIZE[0]}x{SIZE[1]}", SIZE)
    store = Store(seeds)
    window = _window(store)
    window.workspace.open(store.documents.ids_in_order()[0])
    shoot.wait(600)
    checks = window.show_checks()
    checks.setGeometry(420, 330, 850, 460)
    shoot.wait(200)
    waited = 0
    while checks.state.text() == "checking…" and waited < 200:
        shoot.wait(100)
        waited += 1
    row = next((r for r, f in enumerate(checks.findings) if f.rule == "label_conflict"), 0)
    checks.table.selectRow(row)
    checks.places.selectRow(0)
    checks.show_place(row, 0)  # the article behind shows the place, its span focused
    shoot.shot("checks", name=f"{SIZE[0]}x{SIZE[1]}-11-checks.png")
    checks.close()
    view = window.show_corroboration()
    view.setGeometry(90, 110, 1150, 640)
    _wait_for(shoot, view.grouped)
    shoot.shot("corroboration", name=f"{SIZE[0]}x{SIZE[1]}-12-corroboration.png")
    view.close()
    window.close()
    store.close()

    store = Store(team)
    window = _window(store)
    shoot.wait(400)
    dashboard = window.show_dashboard()
    dashboard.setGeometry(20, 20, SIZE[0] - 40, SIZE[1] - 40)
    _wait_for(shoot, dashboard.shown)
    shoot.shot("dashboard", name=f"{SIZE[0]}x{SIZE[1]}-13-dashboard.png")
    dashboard.close()
    window.close()
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    base._under_xvfb()

    from PySide6.QtWidgets import QApplication

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # the user's remembered window state stays as it is
        app = QApplication.instance() or QApplication(sys.argv[:1])
        seeds, team = Path(tmp) / "seeds.db", Path(tmp) / "team.db"
        print("preparing the seeds and a team project…")
        seeds_project(seeds)
        team_project(team)
        curation_states(app, seeds, team, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
