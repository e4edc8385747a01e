"""Screenshots of review mode at 1280×800 and 1920×1080, made like `screenshot.py`'s (the
real window under Xvfb, driven by keys, grabbed from the X screen).

The seeds are imported and annotated by alice and bob (the first seed with a disagreement
of every kind, as the review tests make it; the next two with a few label differences), so
the queue, the merged picture and the report all have something to show. Saved as
`docs/screenshots/<W>x<H>-14-review-conflicts.png`, `-15-review-other-version.png` and
`-16-review-report.png`.

    python scripts/screenshot_review.py [--out DIR] [--sizes 1280x800,1920x1080]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent),
                str(Path(__file__).resolve().parent.parent / "tests")]

from screenshot import ROOT, Shooter, _under_xvfb  # noqa: E402

LABELS = ("PERSON", "ORG", "GPE")


def prepare_project(path: Path) -> None:
    from annotator.core.importers import import_paths
    from annotator.core.paths import seeds_dir
    from annotator.core.project import open_project
    from review_work import finish, two_annotators

    store = open_project(path)
    import_paths(store, [seeds_dir()], annotator="screenshots")
    ids = store.documents.ids_in_order()
    two_annotators(store, ids[0])
    for n, doc_id in enumerate(ids[1:3], start=1):
        text = store.documents.text(doc_id)
        words = [m.span() for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", text)][:12]
        for who in ("alice", "bob"):
            finish(store, doc_id, who,
                   [(s, e, LABELS[(i + (who == "bob" and i % (3 + n) == 0)) % 3])
                    for i, (s, e) in enumerate(words)], cats={"genre": "news_report"})
        _review(store, doc_id)
    store.close()


def _review(store, doc_id: str) -> None:
    """Gold for the document, as a reviewer leaves it: alice's version of every conflict."""
    from annotator.core.ops import Session
    from annotator.core.review import decide
    from annotator.core.review.picture import merged_picture
    from annotator.core.review.work import load_one

    session = Session("rita", role="reviewer")
    target = decide.start_review(store, session, doc_id, None)
    picture = merged_picture(load_one(store, doc_id).works)
    decide.accept_agreed(session, store, target, picture).apply(store)
    for conflict in picture.conflicts:
        alices = next(n for n, v in enumerate(conflict.versions) if "alice" in v.holders)
        decide.take(session, store, target, conflict, alices).apply(store)
    decide.mark_reviewed(session, store, target).apply(store)


def review_states(app, project: Path, out: Path, size: tuple[int, int]) -> None:
    from annotator.core.store import Store
    from annotator.gui.review.window import ReviewWindow

    store = Store(project)
    window = ReviewWindow(store, "rita", suggest=False)
    window.setGeometry(0, 0, *size)
    window.show()
    window.activateWindow()
    shoot = Shooter(app, out, f"{size[0]}x{size[1]}", size)
    shoot.count = 13  # after the workspace (1-9), story (10) and curation (11-13) shots
    shoot.wait(600)
    shoot.keys("Tab", "Return")  # Syria: alice's version taken; on to Kurdistan24
    shoot.shot("review-conflicts")
    shoot.keys("Right")
    shoot.shot("review-other-version")
    dialog = window.show_review_report()
    shoot.wait(1500)
    dialog.move(size[0] // 2 - dialog.width() // 2, size[1] // 2 - dialog.height() // 2)
    shoot.shot("review-report")
    dialog.close()
    window._leaving = True  # closing asks nothing here
    window.close()
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--sizes", default="1280x800,1920x1080")
    args = parser.parse_args()
    _under_xvfb()

    from PySide6.QtWidgets import QApplication

    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # the user's remembered window state stays
        app = QApplication.instance() or QApplication(sys.argv[:1])
        for size in sizes:
            project = Path(tmp) / f"review-{size[0]}x{size[1]}.db"
            prepare_project(project)
            review_states(app, project, args.out, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
