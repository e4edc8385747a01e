"""Review mode driven through the real window (offscreen), keys only: two annotators' work on
the seeds, made through core ops with a disagreement of every kind, reviewed into gold;
then the exported gold is compared exactly. Keys go to `QApplication.focusWidget()`, the
widget a real key press reaches; a question the window asks is answered on its own focus
widget."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.changes import Change
from annotator.core.export import ExportOptions, export_dataset
from annotator.core.review.picture import (BOUNDARY, CLAIM_PART, DOCUMENT_LABEL, LABEL,
                                           ONLY_ONE)
from annotator.core.review.queue import REVIEWED, TO_REVIEW, review_state
from annotator.core.review.work import load_one
from annotator.gui.review.window import ReviewWindow
from review_work import CONTENT, at, finish, rng, two_annotators
from test_workflow import counts

pytestmark = pytest.mark.usefixtures("qapp")
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def open_review(qtbot, store, annotator: str = "rita") -> ReviewWindow:
    window = ReviewWindow(store, annotator, suggest=False)
    # closing at teardown asks nothing (a test that leaves conflicts open ends there)
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "_leaving", True))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    return window


def key(qtbot, pressed, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """One key press to the focus widget (once the window holds the keyboard again after a
    question box closed)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), pressed, modifier)


def answering(qtbot, pressed, asked: list[str]) -> None:
    """Answer the next question box by a key on its focus widget, noting its text."""
    def answer():
        box = next((w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()), None)
        focus = QApplication.focusWidget()
        if box is None or focus is None or not (focus is box or box.isAncestorOf(focus)):
            QTimer.singleShot(20, answer)  # not shown, or not holding the keyboard yet
            return
        asked.append(box.text())
        qtbot.keyClick(focus, pressed)
    QTimer.singleShot(0, answer)


def agreeing(store, doc_id: str) -> tuple[int, int, str]:
    """alice and bob agree on the second seed: its first capitalised word, one genre."""
    text = store.documents.text(doc_id)
    word = re.search(r"[A-Z][a-z]{3,}", text)
    entity = (word.start(), word.end(), "ORG")
    for who in ("alice", "bob"):
        finish(store, doc_id, who, [entity], cats={"genre": "analysis"})
    return entity


def gold_record(store, tmp_path, doc_id: str) -> dict:
    result = export_dataset(store, ExportOptions(annotator="gold"), tmp_path / "gold")
    records = [json.loads(line) for line in
               (result.folder / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    return next(r for r in records if r["meta"]["doc_id"] == doc_id)


def test_a_whole_review_by_keyboard(qtbot, seeded, tmp_path):
    ids = seeded.documents.ids_in_order()
    made = two_annotators(seeded, ids[0])
    other = agreeing(seeded, ids[1])
    text = made["text"]
    window = open_review(qtbot, seeded)
    ws = window.workspace
    queue = window.documents.model.entries()
    assert [e.doc_id for e in queue] == [ids[0], ids[1]]  # lowest agreement first
    assert ws.doc_id == ids[0]
    assert "3 left out: 3 no finished annotator" in window.documents.left_out.text()
    # Opening writes nothing: what both agree on is drawn as what gold starts with, and
    # every disagreement is a conflict.
    assert seeded.sets.find(ids[0], "gold") is None and ws.spans == []
    agreed = [at(text, "Paris", "GPE"), at(text, "Tuesday", "DATE")]
    drawn, _ = ws.review.display(ws.spans, ws.claims)
    assert sorted((s.start, s.end, s.label) for s in drawn
                  if s.layer == "entity" and s.state == "accepted") == agreed
    kinds = [c.kind for c in ws.review.conflicts]
    assert kinds == [ONLY_ONE, LABEL, BOUNDARY, CLAIM_PART, DOCUMENT_LABEL]
    assert 'A ORG "Kurdistan24" (alice) vs B GPE "Kurdistan24" (bob)' in \
        window.conflicts_panel.text()

    key(qtbot, Qt.Key.Key_Tab)  # Syria, which only alice has
    assert ws.review.focused == 0
    drawn, _ = ws.review.display(ws.spans, ws.claims)
    [shown] = [s for s in drawn if s.id < 0 and s.id in {m.span_id for m in
                                                          window.article.marks().marks}
               and (s.start, s.end) == rng(text, "Syria")]
    assert shown.state == "suggested" and window.article.canvas._focused == shown.id
    key(qtbot, Qt.Key.Key_X)  # nothing there, as bob has it
    assert ws.review.focused == 1 and 0 in ws.review.settled

    key(qtbot, Qt.Key.Key_Right)  # Kurdistan24: bob's version, shown in place
    assert ws.review.shown[1] == 1
    key(qtbot, Qt.Key.Key_Left)
    key(qtbot, Qt.Key.Key_3)  # GPE: bob's version
    gpe = at(text, "Kurdistan24", "GPE")  # the first write: gold starts with the agreed
    assert set(load_one(seeded, ids[0]).gold_work.entities) >= {gpe, *agreed}
    key(qtbot, Qt.Key.Key_Z, CTRL)
    assert gpe not in load_one(seeded, ids[0]).gold_work.entities and 1 not in ws.review.settled
    key(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert gpe in load_one(seeded, ids[0]).gold_work.entities and 1 in ws.review.settled
    assert ws.review.focused == 2

    key(qtbot, Qt.Key.Key_Right)  # the boundary: bob's "US Department of State"
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Left)  # the claim: the last version, bob's direct quote
    key(qtbot, Qt.Key.Key_Return)
    assert ws.review.focused == 4 and ws.review.open_conflicts == 1

    asked: list[str] = []
    answering(qtbot, Qt.Key.Key_Escape, asked)  # not yet
    key(qtbot, Qt.Key.Key_Return, CTRL)
    assert asked == ["1 conflict not settled yet in this document. Go on anyway?"]
    assert ws.doc_id == ids[0] and review_state(load_one(seeded, ids[0])) == TO_REVIEW
    key(qtbot, Qt.Key.Key_Return)  # the document label: alice's relevance
    assert ws.review.open_conflicts == 0

    key(qtbot, Qt.Key.Key_Escape)  # the ordinary keys on gold: draw an entity
    window.article.select_range(*rng(text, "Israeli"))
    key(qtbot, Qt.Key.Key_5)
    key(qtbot, Qt.Key.Key_Return, CTRL)  # reviewed, nothing asked; the next one opens
    assert len(asked) == 1 and ws.doc_id == ids[1]
    assert review_state(load_one(seeded, ids[0])) == REVIEWED
    key(qtbot, Qt.Key.Key_Return, CTRL)
    assert review_state(load_one(seeded, ids[1])) == REVIEWED

    record = gold_record(seeded, tmp_path, ids[0])
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == sorted([
        at(text, "Paris", "GPE"), at(text, "Tuesday", "DATE"), gpe,
        at(text, "US Department of State", "ORG"), at(text, "Israeli", "NORP")])
    [claim] = record["claims"]
    assert claim_ranges(claim) == (rng(text, CONTENT), "direct_quote",
                                   rng(text, "the statement"), rng(text, "According to"))
    assert {k: v for k, v in record["cats"].items() if v} == {"relevance=relevant": 1.0,
                                                              "genre=news_report": 1.0}
    second = gold_record(seeded, tmp_path / "again", ids[1])
    assert [(s["start"], s["end"], s["label"]) for s in second["spans"]] == [other]
    events = [e for e in seeded.events.list(doc_id=ids[0]) if e.action == "review.take"]
    assert [e.payload["taken_from"] for e in events] == [["bob"], ["bob"], ["bob"], ["bob"],
                                                          ["alice"]]


def claim_ranges(claim: dict) -> tuple:
    return ((claim["content"]["start"], claim["content"]["end"]), claim["type"],
            (claim["source"]["start"], claim["source"]["end"]),
            (claim["cue"]["start"], claim["cue"]["end"]))


def test_paging_through_the_queue_writes_nothing(qtbot, seeded):
    """A reviewer who only looks creates no gold: viewing is not working."""
    ids = seeded.documents.ids_in_order()
    two_annotators(seeded, ids[0])
    agreeing(seeded, ids[1])
    before = counts(seeded)
    window = open_review(qtbot, seeded)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Right)
    asked: list[str] = []
    answering(qtbot, Qt.Key.Key_Return, asked)  # leave with its conflicts open
    key(qtbot, Qt.Key.Key_PageDown)
    assert asked and window.workspace.doc_id == ids[1]
    assert counts(seeded) == before and seeded.sets.find(ids[0], "gold") is None


def test_a_decision_keeps_the_picture_and_new_work_remakes_it(qtbot, seeded):
    """A decision changes gold only: the merged picture is not made again for it; a change
    of the annotators' work (here: a third one finishes) is merged at once."""
    ids = seeded.documents.ids_in_order()
    made = two_annotators(seeded, ids[0])
    window = open_review(qtbot, seeded)
    ws = window.workspace
    picture = ws.review.picture
    key(qtbot, Qt.Key.Key_Tab)  # Syria, which only alice has
    key(qtbot, Qt.Key.Key_Return)
    assert 0 in ws.review.settled and ws.review.picture is picture
    finish(seeded, ids[0], "carol", [at(made["text"], "Syria", "GPE")])
    window.changes.changed.emit(Change({ids[0]}, remote=True))  # as the follower tells it
    assert ws.review.picture.annotators == ("alice", "bob", "carol")
    syria = next(n for n, c in enumerate(ws.review.conflicts)
                 if c.start == rng(made["text"], "Syria")[0])
    assert syria in ws.review.settled  # the decision stands


def test_work_changed_elsewhere_shows_at_the_next_decision(qtbot, seeded):
    """Another process relabels alice's Kurdistan24 (she now agrees with bob) while the
    window is open: the next decision, which reloads the review without reading the
    annotators' work again, still sees her set changed and reads it; the event log's record
    of her change, when the window follows it, draws the same picture."""
    ids = seeded.documents.ids_in_order()
    made = two_annotators(seeded, ids[0])
    window = open_review(qtbot, seeded)
    ws = window.workspace
    kurdistan = rng(made["text"], "Kurdistan24")
    assert any((c.start, c.end) == kurdistan for c in ws.review.conflicts)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Return)  # gold is written: the next decision changes gold alone
    alice = seeded.sets.find(ids[0], "alice")
    span = next(s for s in seeded.spans.for_set(alice.id) if (s.start, s.end) == kurdistan)
    with seeded.transaction():  # as her own process writes it, published there only
        seeded.spans.update(span.id, label="GPE")
        seeded.events.append("alice", "span.update", doc_id=ids[0], payload={})
    key(qtbot, Qt.Key.Key_Return)
    assert len(seeded.events.list(doc_id=ids[0], actions=["review.take"])) == 2
    assert not any((c.start, c.end) == kurdistan for c in ws.review.conflicts)
    shown = ws.review.conflicts
    window.changes.follow()
    assert ws.review.conflicts == shown
