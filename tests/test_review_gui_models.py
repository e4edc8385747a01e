"""The review mode's models without a window (what is settled, shown, drawn; the queue's
rows) and its window parts that need no keyboard session: entering review mode, who may,
the report dialog."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from annotator.core.model import Event, Span
from annotator.core.review.picture import LABEL, ONLY_ONE, merged_picture
from annotator.core.review.queue import CHANGED, QueueEntry
from annotator.core.review.work import Work
from annotator.gui.review import state as review_state
from annotator.gui.review.conflicts_panel import ConflictsModel, ConflictsPanel
from annotator.gui.review.queue_model import ReviewQueueModel, cell
from annotator.gui.review.queue_panel import left_out_text
from annotator.gui.review.report_dialog import report_html
from annotator.gui.review.state import ReviewState, conflict_key, decided_keys, initials

TEXT = "Kurdistan24 said Syria agreed."
KURDISTAN = (0, 11, "ORG")
SYRIA = (17, 22, "GPE")


def picture():
    return merged_picture([Work("alice", (KURDISTAN, SYRIA)),
                           Work("bob", ((0, 11, "GPE"),))])


def event(action: str, payload: dict) -> Event:
    return Event(1, "", "rita", None, "d", action, payload)


def test_initials_grow_where_they_would_clash():
    assert initials(["alice", "anna", "bob"]) == {"alice": "A", "anna": "AN", "bob": "B"}


def test_a_decision_stands_until_it_is_undone():
    take = {"layer": "entity", "range": [0, 11], "name": None}
    assert decided_keys([event("review.take", take)]) == {("entity", (0, 11), None)}
    assert decided_keys([event("review.take", take), event("review.take.undo", take)]) == set()
    assert decided_keys([event("review.take", take), event("review.take.undo", take),
                         event("review.take", take)]) == {("entity", (0, 11), None)}
    assert decided_keys([event("span.add", take)]) == set()


def test_decisions_count_each_event_once():
    """A decision read with the document and announced again after (another process's,
    published once a reload had read it) is one decision; its undo takes it back."""
    take = event("review.take", {"layer": "entity", "range": [0, 11], "name": None})
    undo = replace(take, id=2, action="review.take.undo")
    decisions = review_state.Decisions([take, event("span.add", {})])
    decisions.add(take)
    assert decisions.keys() == {("entity", (0, 11), None)}
    decisions.add(undo)
    decisions.add(undo)
    assert decisions.keys() == set()
    decisions.add(replace(take, id=3))
    assert decisions.keys() == {("entity", (0, 11), None)}


def test_what_settles_a_conflict():
    p = picture()
    label, only = p.conflicts
    assert (label.kind, only.kind) == (LABEL, ONLY_ONE)
    fresh = ReviewState.build(TEXT, p, None, reviewed=False, decided=set(), confirmed=set())
    assert fresh.settled == set() and fresh.open_conflicts == 2
    by_event = ReviewState.build(TEXT, p, Work("gold", ((0, 11, "GPE"),)), reviewed=False,
                                 decided={conflict_key(label)}, confirmed=set())
    assert by_event.settled == {0}
    assert by_event.shown[0] == 1  # gold's version (bob's) is the one shown
    own_fix = ReviewState.build(TEXT, p, Work("gold", ((0, 11, "FAC"),)), reviewed=False,
                                decided=set(), confirmed={conflict_key(only)})
    assert own_fix.settled == {0, 1}
    reviewed = ReviewState.build(TEXT, p, None, reviewed=True, decided=set(), confirmed=set())
    assert reviewed.settled == {0, 1}


def test_gold_reaching_into_a_region_from_far_before_settles_it():
    """Gold's own item that starts well before a conflict and runs into it counts there,
    however long it is; one that ends before the region does not."""
    p = picture()
    long_one = Work("gold", ((0, 3, "ORG"), (12, 22, "EVENT")))
    state = ReviewState.build(TEXT, p, long_one, reviewed=False, decided=set(),
                              confirmed=set())
    assert state.settled == {0, 1}
    short_one = Work("gold", ((12, 16, "EVENT"),))  # "said": before Syria
    state = ReviewState.build(TEXT, p, short_one, reviewed=False, decided=set(),
                              confirmed=set())
    assert state.settled == set()


def test_tab_visits_open_conflicts_first_and_arrows_cycle_versions():
    state = ReviewState.build(TEXT, picture(), None, reviewed=False, decided=set(),
                              confirmed={conflict_key(picture().conflicts[0])})
    assert state.step(+1) == 1 and state.step(+1) == 1  # only the open one, wrapping
    state.settled.add(1)
    assert state.step(+1) == 0 and state.step(-1) == 1  # all settled: every conflict
    assert state.cycle(+1) == 1 and state.cycle(+1) == 0
    assert "version 1 of 2: GPE \"Syria\" (alice)" in state.describe_focus()


def test_the_shown_version_is_drawn_where_gold_lacks_it():
    state = ReviewState.build(TEXT, picture(), Work("gold"), reviewed=False, decided=set(),
                              confirmed=set())
    gold = [Span(7, 1, 0, 11, "entity", "PERSON", "human", "accepted")]
    spans, claims = state.display(gold, [])
    drawn = [(s.start, s.end, s.label, s.state) for s in spans if s.id < 0]
    assert drawn == [(0, 11, "ORG", "suggested"), (17, 22, "GPE", "suggested")]
    assert spans[0] is gold[0] and claims == []
    state.focused = 0
    state.cycle(+1)
    spans, _ = state.display(gold, [])
    assert [(s.start, s.label) for s in spans if s.id < 0] == [(0, "GPE"), (17, "GPE")]
    assert state.focus_span(spans) == next(s.id for s in spans if s.id < 0)
    state.settled = {0, 1}
    state.focused = None
    assert state.display(gold, [])[0] == gold  # settled and not focused: gold alone


def test_a_decision_repaints_the_rows_it_changed_and_a_new_picture_resets(qapp):
    model = ConflictsModel()
    state = ReviewState.build(TEXT, picture(), None, reviewed=False, decided=set(),
                              confirmed=set())
    state.focused = 0
    model.set_state(state)
    assert model.rowCount() == 2 and model.shown_rows[0][0].startswith("»A ORG")
    resets, repainted = [], []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda first, last: repainted.append((first.row(), last.row())))
    settled = ReviewState.build(TEXT, picture(), Work("gold", ((0, 11, "GPE"),)),
                                reviewed=False, decided={conflict_key(picture().conflicts[0])},
                                confirmed=set())
    settled.focused = 1  # the conflict settled, the focus on the next one
    model.set_state(settled)
    assert resets == [] and repainted == [(0, 0), (1, 1)]
    assert [row[1] for row in model.shown_rows] == ["✓", "●"]
    assert model.shown_rows[1][0] == '»A GPE "Syria" (alice)« vs B nothing (bob)'
    model.set_state(settled)  # nothing changed: nothing repainted
    assert repainted == [(0, 0), (1, 1)]
    other = merged_picture([Work("alice", (SYRIA,)), Work("bob", ())])
    model.set_state(ReviewState.build(TEXT, other, None, reviewed=False, decided=set(),
                                      confirmed=set()))
    assert resets == [True] and model.rowCount() == 1


def test_the_panel_counts_follow_decisions_under_the_legend(qapp):
    panel = ConflictsPanel()
    panel.show_state(ReviewState.build(TEXT, picture(), None, reviewed=False, decided=set(),
                                       confirmed=set()))
    legend = panel.legend.text()
    assert "alice" in legend and "bob" in legend
    assert panel.counts.text() == "2 conflicts, 2 open; agreement 0%"
    panel.show_state(ReviewState.build(TEXT, picture(), None, reviewed=False,
                                       decided={conflict_key(picture().conflicts[0])},
                                       confirmed=set()))
    assert panel.counts.text() == "2 conflicts, 1 open; agreement 0%"
    assert panel.legend.text() == legend


def entry(doc_id: str, agreement: float, state: str = "to review") -> QueueEntry:
    return QueueEntry(doc_id, f"title {doc_id}", ("alice", "bob"), agreement, state, 2,
                      ("bob",) if doc_id == "b" else ())


def test_the_queue_model_rows(qapp):
    model = ReviewQueueModel()
    model.set_entries([entry("a", 0.25), entry("b", 0.5, CHANGED), entry("c", 1.0)])
    assert [model.doc_id(r) for r in range(model.total())] == ["a", "b", "c"]
    assert [model.data(model.index(1, c)) for c in range(model.columnCount())] == [
        "title b", "alice, bob ⚑", "50%", "2", CHANGED]
    assert "under another schema: bob" in model.data(model.index(1, 0), 3)
    model.set_ids(["c", "a"])  # a search's matches, kept in queue order
    assert [model.doc_id(r) for r in range(model.total())] == ["a", "c"]
    assert model.row_of("c") == 1 and model.row_of("b") is None
    assert cell(entry("x", 0.375), "agreement") == "38%"


def test_the_left_out_sentence():
    assert left_out_text(2, {}) == "2 in the queue"
    assert left_out_text(2, {"one finished annotator": 1, "excluded": 2}) == (
        "2 in the queue; 3 left out: 1 one finished annotator, 2 excluded")


def counts(p, r, f, right, theirs, gold):
    return {"precision": p, "recall": r, "f1": f, "correct": right, "theirs": theirs,
            "gold": gold}


def test_the_report_links_its_examples():
    report = {"documents": 2, "reviewed": 1, "annotators": {"alice": {
        "documents": 2, "versions": {"kept": 3, "of": 4},
        "entities": {"all": counts(0.5, 1.0, 0.6667, 2, 4, 2),
                     "labels": {"ORG": counts(0.5, 1.0, 0.6667, 2, 4, 2)}},
        "claims": {k: counts(1.0, 1.0, 1.0, 1, 1, 1) for k in ("content", "source")},
        "confusions": [{"theirs": "ORG", "gold": "GPE", "count": 2,
                        "examples": ["d0c1d0c1d0c1d0c1", "e2"]}]}}}
    html = report_html(report)
    assert "their version kept in 3 of 4 conflicts" in html
    assert "<td>ORG</td><td>0.50</td><td>1.00</td><td>0.67</td>" in html
    assert "ORG → GPE: 2 times" in html
    assert "<a href='doc:d0c1d0c1d0c1d0c1'>d0c1d0c1d0c1</a>" in html
    assert "No annotator" in report_html({"documents": 0, "reviewed": 0, "annotators": {}})


@pytest.fixture
def queued(seeded):
    from review_work import two_annotators

    doc_id = seeded.documents.ids_in_order()[0]
    two_annotators(seeded, doc_id)
    return seeded, doc_id


def test_ctrl_shift_r_swaps_to_review_mode_and_back(qtbot, qapp, queued):
    from annotator.gui.app import Shell
    from test_review_gui import answering

    store, doc_id = queued
    shell = Shell(store, "rita")  # the shell closes and deletes each window it swaps out
    assert not shell.window.reviewing
    shell.window.shortcuts["review_mode"].trigger()
    assert shell.window.reviewing and shell.window.workspace.doc_id == doc_id
    assert shell.window.documents.model.total() == 1
    asked: list[str] = []
    answering(qtbot, Qt.Key.Key_Return, asked)  # Enter confirms leaving open conflicts
    shell.window.shortcuts["review_mode"].trigger()
    qtbot.addWidget(shell.window)
    assert not shell.window.reviewing
    assert asked == ["5 conflicts not settled yet in this document. Go on anyway?"]


def test_a_member_is_told_review_mode_is_not_theirs(qtbot, qapp, queued, monkeypatch):
    from annotator.gui import workspace
    from annotator.gui.main_window import MainWindow

    store, _ = queued
    monkeypatch.setattr(workspace, "role_on", lambda _store: "member")
    window = MainWindow(store, "mo", suggest=False)
    qtbot.addWidget(window)
    asked = []
    window.reviewRequested.connect(asked.append)
    window.shortcuts["review_mode"].trigger()
    assert asked == []
    assert window.status.message.text() == ("Review mode is for reviewers and admins; mo is a "
                                            "member.")


def test_the_report_dialog_opens_an_example(qtbot, qapp, queued):
    from annotator.core.ops import Session
    from annotator.core.review import decide
    from annotator.core.review.work import load_one
    from annotator.gui.main_window import MainWindow

    store, doc_id = queued
    session = Session("rita", role="reviewer")
    target = decide.start_review(store, session, doc_id, None)
    decide.accept_agreed(session, store, target, merged_picture(load_one(store, doc_id).works)
                         ).apply(store)
    window = MainWindow(store, "rita", suggest=False, start=False)
    qtbot.addWidget(window)
    dialog = window.show_review_report()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert set(dialog.report["annotators"]) == {"alice", "bob"}
    assert "alice" in dialog.body.toPlainText()
    dialog._clicked(QUrl(f"doc:{doc_id}"))
    assert window.workspace.doc_id == doc_id


def test_the_queue_filters_and_searches_as_the_workspace_list(qtbot, qapp, queued):
    from test_review_gui import key, open_review

    store, doc_id = queued
    window = open_review(qtbot, store)
    panel = window.documents
    assert panel.model.total() == 1
    panel.label.setCurrentIndex(panel.label.findData("FAC"))  # nobody used FAC
    qtbot.waitUntil(lambda: panel.model.total() == 0)
    assert "1 without the label asked for" in panel.left_out.text()
    panel.label.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.model.total() == 1)
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is panel.search
    qtbot.keyClicks(panel.search, "zzzzqqq")
    qtbot.waitUntil(lambda: panel.model.total() == 0)
    assert "1 not matching the search" in panel.left_out.text()
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.total() == 1)
    assert panel.model.doc_id(0) == doc_id


def test_picking_another_document_asks_while_conflicts_are_open(qtbot, qapp, seeded):
    from review_work import two_annotators
    from test_review_gui import agreeing, answering, open_review

    ids = seeded.documents.ids_in_order()
    two_annotators(seeded, ids[0])
    agreeing(seeded, ids[1])
    window = open_review(qtbot, seeded)
    assert window.workspace.doc_id == ids[0]
    asked: list[str] = []
    answering(qtbot, Qt.Key.Key_Escape, asked)
    window.documents.view.selectRow(1)
    assert len(asked) == 1 and window.workspace.doc_id == ids[0]
    assert window.documents.view.currentIndex().row() == 0
    answering(qtbot, Qt.Key.Key_Return, asked)  # Enter confirms
    window.documents.view.selectRow(1)
    assert len(asked) == 2 and window.workspace.doc_id == ids[1]
