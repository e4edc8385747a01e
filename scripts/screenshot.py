"""Screenshots of the app's main states on the seed articles, at 1280×800 and 1920×1080.

Runs the real app — `MainWindow` on a fresh project holding the seeds, with the real model's
suggestions materialised through the store — under Xvfb, and drives it as an annotator
would: keys of the keyboard map, a hover over a claim's cue, a search lit up in the
article, a search naming annotations (the list and the span table filtered), and a 17,000-word
article (made from the seeds' sentences) with its scroll-bar
markers. Each state is saved as
`docs/screenshots/<W>x<H>-<NN>-<state>.png`, grabbed from the X screen so that tooltips and
dialogs are in the picture. A close-up of the article view alone (`article-view.png`) is made
for the README. The script re-runs itself under `xvfb-run` (a 1920×1080 virtual screen).

    python scripts/screenshot.py [--out DIR] [--sizes 1280x800,1920x1080]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANNOTATOR = "screenshots"
SCREEN = "1920x1080x24"
HOVER_WAIT_MS = 1500  # longer than Qt's tooltip wake-up delay
LONG_WORDS = 17_000   # the long article of issue 15
LONG_TITLE = "Report 0"


def _under_xvfb() -> None:
    """Re-execute this script on its own virtual X display: the same screen size, fonts and
    no window manager on every machine, and nothing drawn on the user's desktop."""
    if os.environ.get("ANNOTATOR_SCREENSHOT_CHILD"):
        return
    if shutil.which("xvfb-run") is None:
        sys.exit("screenshot.py: needs xvfb-run (Debian/Ubuntu package 'xvfb')")
    env = {**os.environ, "ANNOTATOR_SCREENSHOT_CHILD": "1", "QT_QPA_PLATFORM": "xcb"}
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}", sys.executable, *sys.argv]
    sys.exit(subprocess.run(command, env=env).returncode)


def _compact(path: Path) -> None:
    """A 256-colour palette (ImageMagick, when installed): a third of the size, same look."""
    convert = shutil.which("convert") or shutil.which("magick")
    if convert:
        subprocess.run([convert, str(path), "-dither", "None", "-colors", "256", f"PNG8:{path}"],
                       check=True)


def _long_article(folder: Path) -> Path:
    """A 17,000-word article of the seeds' sentences, as a file to import."""
    sys.path.insert(0, str(ROOT))  # the benchmarks' corpus maker, beside the package
    from benchmarks.corpus import articles

    (article,) = articles(1, words=LONG_WORDS, seed=15)
    path = folder / "long-article.txt"
    path.write_text(article["text"], encoding="utf-8")
    return path


def prepare_project(path: Path) -> None:
    """The seeds imported, and the model's suggestions materialised for every article."""
    from annotator.core.importers import import_paths
    from annotator.core.paths import seeds_dir
    from annotator.core.project import open_project
    from annotator.core.suggest.materialise import ensure_suggestions, project_model
    from annotator.core.suggest.pipeline import load_pipeline

    store = open_project(path)
    import_paths(store, [seeds_dir(), _long_article(path.parent)], annotator=ANNOTATOR)
    nlp = load_pipeline(project_model(store))
    for doc_id in store.documents.ids_in_order():
        ensure_suggestions(store, doc_id, ANNOTATOR, nlp=nlp)
    store.close()


class Shooter:
    """Drives one window and saves what the screen shows."""

    def __init__(self, app, out: Path, prefix: str, size: tuple[int, int]):
        self.app, self.out, self.prefix, self.size = app, out, prefix, size
        self.count = 0

    def wait(self, ms: int = 250) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)

    def keys(self, *sequence: str) -> None:
        from PySide6.QtGui import QKeySequence
        from PySide6.QtTest import QTest

        for text in sequence:
            combination = QKeySequence(text)[0]
            target = self.app.focusWidget() or self.app.activeWindow()
            QTest.keyClick(target, combination.key(), combination.keyboardModifiers())
            self.wait(80)

    def shot(self, state: str, *, name: str | None = None) -> Path:
        self.wait()
        self.count += 1
        path = self.out / (name or f"{self.prefix}-{self.count:02d}-{state}.png")
        pixmap = self.app.primaryScreen().grabWindow(0, 0, 0, *self.size)
        if not pixmap.save(str(path), "PNG"):
            raise RuntimeError(f"could not write {path}")
        _compact(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        return path


def app_states(app, project: Path, out: Path, size: tuple[int, int]) -> None:
    from PySide6.QtTest import QTest

    from annotator.core.store import Store
    from annotator.gui.main_window import MainWindow

    store = Store(project)
    window = MainWindow(store, ANNOTATOR, suggest=False)
    window.setGeometry(0, 0, *size)
    window.show()
    window.activateWindow()
    shoot = Shooter(app, out, f"{size[0]}x{size[1]}", size)
    long_id = next(d for d in store.documents.ids_in_order()
                   if (store.documents.get(d).title or "").startswith(LONG_TITLE))
    window.workspace.open(next(d for d in store.documents.ids_in_order() if d != long_id))
    shoot.wait(600)
    shoot.keys("Tab")
    shoot.shot("open-first-suggestion")
    shoot.keys("Return", "Tab", "X", "Tab", "Return", "Tab", "Tab")
    shoot.shot("reviewing")

    workspace = window.workspace
    claim = next((c for c in workspace.claims if c.source_span_id and c.cue_span_id), None)
    if claim is not None:
        workspace.set_focus(claim.content_span_id)
        shoot.shot("claim-focused")
        cue = window.article.span_rects(claim.cue_span_id)[0]
        QTest.mouseMove(window.article.canvas.viewport(), cue.center().toPoint())
        shoot.wait(HOVER_WAIT_MS)
        shoot.shot("claim-hover-tooltip")
        QTest.mouseMove(window.documents, window.documents.rect().center())
    shoot.keys("Ctrl+R")
    shoot.shot("rejected-shown")
    shoot.keys("Ctrl+R", "?")
    shoot.shot("keymap")
    shoot.keys("Escape")
    window.activateWindow()
    shoot.wait(300)
    shoot.keys("Ctrl+F")
    QTest.keyClicks(window.documents.search, "Syria")
    shoot.wait(400)
    shoot.keys("Return", "Return")
    shoot.shot("search-hits-in-article")
    window.documents.search.clear()
    QTest.keyClicks(window.documents.search, "label:GPE state:suggested")
    shoot.wait(400)
    shoot.keys("Return")
    shoot.shot("search-names-annotations")
    shoot.keys("Escape")
    workspace.open(long_id)
    shoot.wait(600)
    shoot.keys("Tab", "Return", "Tab", "X", "Tab")
    window.article.canvas.verticalScrollBar().setValue(
        window.article.canvas.verticalScrollBar().maximum() // 3)
    shoot.shot("long-article-markers")
    window.close()
    store.close()


def article_closeup(app, project: Path, out: Path) -> None:
    """The article view alone on the first seed: suggestions, decisions, a focused claim."""
    from annotator.core.project import current_schema
    from annotator.core.store import Store
    from annotator.gui.article_view import ArticleView

    store = Store(project)
    schema = current_schema(store)
    doc_id = store.documents.ids_in_order()[0]
    set_id = store.sets.find(doc_id, ANNOTATOR).id
    entities = store.spans.for_set(set_id, layer="entity")
    with store.transaction():  # a few decisions, so every state shows
        for i, span in enumerate(entities[:9]):
            store.spans.update(span.id, state="accepted" if i % 3 else "rejected")
    spans, claims = store.spans.for_set(set_id), store.claims.for_set(set_id)
    view = ArticleView()
    view.setGeometry(0, 0, 900, 640)
    view.set_document(store.documents.text(doc_id), spans, claims, schema)
    view.set_show_rejected(True)
    view.show()
    shoot = Shooter(app, out, "article-view", (900, 640))
    shoot.wait(400)  # shown and sized, so that focusing can scroll to the claim
    claim = next((c for c in claims if c.source_span_id and c.cue_span_id), None)
    view.set_focused_span(claim.content_span_id if claim else entities[0].id)
    shoot.shot("closeup", name="article-view.png")
    view.close()
    store.close()


def _reprint(text: str, headline: str) -> str:
    """A syndicated copy: a new headline, the last paragraph dropped."""
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n\n".join([headline, *lines[1:-1]])


def curation_states(app, out: Path, folder: Path, size: tuple[int, int]) -> None:
    """The Story tab and the document list's Cluster column: the seeds (one story) with
    reprints of two of them, grouped by `curate clusters`, one reprint excluded."""
    import orjson

    from annotator.core.curate.clusters import refresh_clusters
    from annotator.core.curate.exclusion import keep_one
    from annotator.core.importers import import_paths
    from annotator.core.paths import seeds_dir
    from annotator.core.project import open_project
    from annotator.core.session import Session
    from annotator.core.suggest.materialise import ensure_suggestions
    from annotator.gui.main_window import MainWindow

    seeds = sorted(seeds_dir().glob("*.txt"))
    copies = [(_reprint(seeds[0].read_text(encoding="utf-8"),
                        "Syria, Israel and US agree on a joint coordination cell"), "AFP"),
              (_reprint(seeds[0].read_text(encoding="utf-8"),
                        "Paris talks end with a US-supervised cell"), "Gulf Wire"),
              (_reprint(seeds[3].read_text(encoding="utf-8"),
                        "What the Paris statement means for southern Syria"), "Levant Daily")]
    (folder / "reprints.jsonl").write_bytes(b"".join(
        orjson.dumps({"text": text, "meta": {"source": source}}) + b"\n"
        for text, source in copies))
    store = open_project(folder / f"curation-{size[0]}.db")
    import_paths(store, [seeds_dir(), folder / "reprints.jsonl"], annotator=ANNOTATOR)
    lead = Session(ANNOTATOR)
    refresh_clusters(store, lead)
    ids = store.documents.ids_in_order()
    keep_one(lead, store, ids[0], "this").apply(store)  # the Gulf Wire and AFP copies go
    ensure_suggestions(store, ids[0], ANNOTATOR)
    window = MainWindow(store, ANNOTATOR, suggest=False)
    window.setGeometry(0, 0, *size)
    window.centralWidget().setSizes([size[0] * 9 // 20, size[0] * 7 // 20, size[0] // 5])
    window.show()
    window.activateWindow()
    window.documents.excluded.setChecked(True)  # the excluded copies, greyed
    window.workspace.open(ids[0])
    window.side_tabs.setCurrentWidget(window.story_panel)
    shoot = Shooter(app, out, f"{size[0]}x{size[1]}", size)
    shoot.wait(800)
    shoot.shot("story-panel", name=f"{size[0]}x{size[1]}-10-story-panel.png")
    window.close()
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--sizes", default="1280x800,1920x1080")
    parser.add_argument("--only", choices=("curation",),
                        help="make only these screenshots (curation: the Story tab)")
    args = parser.parse_args()
    _under_xvfb()

    from PySide6.QtWidgets import QApplication

    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # the user's remembered window state stays as it is
        app = QApplication.instance() or QApplication(sys.argv[:1])
        for size in sizes:
            curation_states(app, args.out, Path(tmp), size)
        if args.only:
            return 0
        prepared = Path(tmp) / "prepared.db"
        print("preparing a project with the seeds and their suggestions…")
        prepare_project(prepared)
        for size in sizes:
            project = Path(tmp) / f"{size[0]}x{size[1]}.db"
            shutil.copy(prepared, project)
            app_states(app, project, args.out, size)
        closeup = Path(tmp) / "closeup.db"
        shutil.copy(prepared, closeup)
        article_closeup(app, closeup, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
