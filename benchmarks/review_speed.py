"""Review: the merged picture of a 5,000-word article that 3 annotators × 300 entities (and
claims) finished opens in < 50 ms; a decision is durable in < 20 ms.

The picture is timed as the review view will get it: the document's sets and contents read
from the project file (`work.load_one`) and merged (`merged_picture`). A decision is one op
on gold through the one road — rights checked, gold stamped, event written, WAL commit with
synchronous=FULL — alternating between two annotators' versions of a label conflict, then
its undo. The same decision is timed again through the review window (offscreen): Enter on
a focused label conflict until the window has redrawn the article and the Conflicts tab
(events processed), and Ctrl+Z likewise. Whole commands (`annotator review queue --json`, `accept-agreed`) are timed in a fresh
process, as a user runs them.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = 5_000
SPANS = 300
CLAIMS = 20
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP")
QUEUE_DOCS = 1_000


def _project(path: Path) -> str:
    """One article, finished by alice, bob and carol with disagreements of every kind."""
    from annotator.core.identity import doc_id_for
    from annotator.core.project import current_schema, open_project
    from benchmarks.corpus import articles

    store = open_project(path)
    article = next(articles(1, words=WORDS))
    doc_id = doc_id_for(article["text"])
    with store.transaction():
        store.documents.insert_many([{"id": doc_id, "text": article["text"],
                                      "title": article["meta"]["title"]}])
    text = store.documents.text(doc_id)
    words = [m.span() for m in re.finditer(r"\w+", text)]
    step = len(words) // SPANS
    schema = current_schema(store).hash
    for n, name in enumerate(("alice", "bob", "carol")):
        with store.transaction():
            aset = store.sets.ensure(doc_id, name, schema)
            for i in range(SPANS):
                start, end = words[i * step]
                label = LABELS[i % len(LABELS)]
                if n == 1 and i % 10 == 1:
                    label = LABELS[(i + 1) % len(LABELS)]  # bob labels differently
                if n == 2 and i % 20 == 2:
                    end = words[i * step + 1][1]  # carol takes the next word too
                if n == 2 and i % 20 == 3:
                    continue  # carol leaves it out
                store.spans.add(aset.id, start, end, layer="entity", label=label,
                                origin="human", state="accepted")
            for i in range(CLAIMS):
                first = words[i * step * (SPANS // CLAIMS) + 2]
                last = words[i * step * (SPANS // CLAIMS) + 8]
                content = store.spans.add(aset.id, first[0], last[1], layer="claim",
                                          label="indirect" if n or i % 3 else "direct_quote",
                                          origin="human", state="accepted")
                source = store.spans.add(aset.id, *words[i * step * (SPANS // CLAIMS) + 9],
                                         layer="source", label="SOURCE", origin="human",
                                         state="accepted")
                store.claims.add(aset.id, content.id, type=content.label,
                                 source_span_id=source.id)
            store.sets.update(aset.id, status="done", cats={"relevance": "relevant"})
    store.close()
    return doc_id


def _queue_project(path: Path) -> None:
    """QUEUE_DOCS short articles, each finished by two annotators who differ now and then."""
    from annotator.core.identity import doc_id_for
    from annotator.core.project import open_project
    from benchmarks.corpus import articles, entities

    store = open_project(path)
    docs = [(doc_id_for(a["text"]), a) for a in articles(QUEUE_DOCS, words=600)]
    with store.transaction():
        store.documents.insert_many([{"id": i, "text": a["text"], "title": a["meta"]["title"]}
                                     for i, a in docs])
        for n, (doc_id, article) in enumerate(docs):
            for who in ("alice", "bob"):
                aset = store.sets.ensure(doc_id, who, None)
                for k, (start, end, label) in enumerate(entities(article["text"], 30)):
                    if who == "bob" and (k + n) % 7 == 0:
                        label = "LOC" if label != "LOC" else "GPE"
                    store.spans.add(aset.id, start, end, layer="entity", label=label,
                                    origin="human", state="accepted")
                store.sets.update(aset.id, status="done")
    store.close()


def _percentile(times: list[float], share: float) -> float:
    return sorted(times)[int(len(times) * share)]


def _command(path: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", *args, "--db", str(path)],
                   check=True, capture_output=True)
    return (time.perf_counter() - started) * 1000


def _through_window(path: Path, repeats: int) -> tuple[list[float], list[float]]:
    """Enter on label conflicts, then Ctrl+Z as often, through the review window; each
    timed until Qt has processed what the decision posted (the redraw)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from annotator.core.review.picture import LABEL
    from annotator.core.store import Store
    from annotator.gui.review.window import ReviewWindow

    app = QApplication.instance() or QApplication([])
    store = Store(path)
    window = ReviewWindow(store, "rita", suggest=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    review = window.workspace.review
    labels = [n for n, c in enumerate(review.conflicts) if c.kind == LABEL][:repeats]

    def step(verb) -> float:
        started = time.perf_counter()
        verb()
        app.processEvents()
        return (time.perf_counter() - started) * 1000

    takes = []
    for n in labels:
        window.workspace.review.focused = n
        window.workspace.review.shown[n] = 1
        takes.append(step(window.actions.accept))
    undos = [step(window.actions.undo) for _ in labels]
    window._leaving = True  # closing asks nothing
    window.close()
    store.close()
    return takes, undos


def main(repeats: int = 60) -> None:
    from annotator.core.ops import Session
    from annotator.core.review import decide
    from annotator.core.review.picture import LABEL, merged_picture
    from annotator.core.review.work import load_one
    from annotator.core.store import Store
    from benchmarks._report import table, timed, verdict, write_section

    load = os.getloadavg()[0]  # other work on the machine makes the tail of the timings
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review.db"
        doc_id = _project(path)
        queue = min(_command(path, "review", "queue", "--json") for _ in range(3))
        store = Store(path)
        picture_times = timed(lambda: merged_picture(load_one(store, doc_id).works), repeats)
        picture = merged_picture(load_one(store, doc_id).works)
        session = Session("rita", role="reviewer")
        target = decide.start_review(store, session, doc_id, None)
        conflict = next(c for c in picture.conflicts if c.kind == LABEL)
        ops, turn = [], [0]

        def take():
            turn[0] = 1 - turn[0]
            op = decide.take(session, store, target, conflict, turn[0])
            op.apply(store)
            ops.append(op)

        take_times = timed(take, repeats)
        undo_times = timed(lambda: ops.pop().undo(store), repeats)
        store.close()
        accept = _command(path, "review", "accept-agreed", "--annotator", "rita")
        window_takes, window_undos = _through_window(path, repeats)
        big = Path(tmp) / "queue.db"
        _queue_project(big)
        big_queue = min(_command(big, "review", "queue", "--json") for _ in range(3))
        big_accept = _command(big, "review", "accept-agreed", "--annotator", "rita")
    kinds = {}
    for c in picture.conflicts:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    median = statistics.median
    rows = [[what, f"{median(times):.1f}", f"{_percentile(times, 0.9):.1f}", f"{min(times):.1f}",
             f"< {target}", verdict(median(times) < target)]
            for what, times, target in (
                ("merged picture (read + merge)", picture_times, 50),
                ("take a version (one op on gold, committed)", take_times, 20),
                ("undo it", undo_times, 20),
                (f"Enter through the review window, redrawn ({len(window_takes)} conflicts)",
                 window_takes, 20),
                ("Ctrl+Z through the review window, redrawn", window_undos, 20))]
    body = (f"One {WORDS:,}-word article finished by 3 annotators, each with {SPANS} entities "
            f"and {CLAIMS} claims with sources; the picture has {picture.agreed} agreed items "
            f"and {len(picture.conflicts)} conflicts ("
            + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            + f"). {repeats} runs each, milliseconds (load average {load:.1f} on the machine "
              "when it started):\n\n"
            + table(["what", "median", "p90", "best", "target", ""], rows)
            + f"\n\nWhole commands in a fresh process (Python start and imports included): "
              f"`annotator review queue --json` **{queue:.0f} ms** (best of 3), "
              f"`annotator review accept-agreed` on it **{accept:.0f} ms**. On a project of "
              f"{QUEUE_DOCS:,} 600-word articles each finished by two annotators (30 entities "
              f"each): `annotator review queue --json` **{big_queue:.0f} ms** (best of 3), "
              f"`annotator review accept-agreed` **{big_accept / 1000:.1f} s** (one action per "
              "document).\n")
    write_section("review_speed", "Review", body)
    print(body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
