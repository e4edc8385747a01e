"""View → Corroboration of this story… and Project → Dashboard in the window: computed on the
background lane, shown, and (for a claim) a row that opens its report at the claim."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_dashboard import _sessions, _work
from test_gui_session import open_window

from annotator.core.curate.clusters import refresh_clusters
from annotator.core.curate.dashboard import figures
from annotator.core.project import current_schema
from annotator.core.session import Session
from annotator.core.suggest.batch import suggest_corpus

FUSION = "joint fusion mechanism"


def _entry(window, menu_title: str, text: str):
    menu = [a.menu() for a in window.menuBar().actions() if a.text() == menu_title][0]
    (entry,) = [a for a in menu.actions() if a.text() == text]
    return entry


def test_the_corroboration_view_groups_the_seeds_fusion_claims_and_opens_one(qtbot, seeded,
                                                                             nlp):
    suggest_corpus(seeded, nlp, current_schema(seeded))
    refresh_clusters(seeded, Session("lead"))
    window = open_window(qtbot, seeded, "ann", suggest=False)
    assert _entry(window, "&View", "Corroboration of this story…").isEnabled()
    first = seeded.documents.ids_in_order()[0]
    window.workspace.open(first)
    view = window.show_corroboration()
    with qtbot.waitSignal(view.grouped, timeout=60_000):
        pass
    tree = view.tree
    heads = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    fusion = [h for h in heads
              if sum(FUSION in h.child(c).text(1) for c in range(h.childCount())) >= 2]
    assert len(fusion) == 1
    (head,) = fusion
    outlets = {head.child(c).text(0) for c in range(head.childCount())}
    assert len(outlets) >= 3 and head.text(0) == f"{len(outlets)} outlets"
    assert all(head.child(c).text(2) != "—" and head.child(c).text(3) != "—"
               for c in range(head.childCount()))  # each outlet's source and cue
    assert "reports" in view.state.text()
    other = next(head.child(c) for c in range(head.childCount())
                 if head.child(c).data(0, Qt.ItemDataRole.UserRole).doc_id != first)
    claim = other.data(0, Qt.ItemDataRole.UserRole)
    view.show_claim(other)
    assert window.workspace.doc_id == claim.doc_id
    assert window.selection() == (claim.start, claim.end)
    assert window.workspace.text[claim.start:claim.end] == claim.content


def test_before_clustering_the_view_says_what_to_run(qtbot, seeded):
    window = open_window(qtbot, seeded, "ann", suggest=False)
    window.workspace.open(seeded.documents.ids_in_order()[0])
    view = window.show_corroboration()
    with qtbot.waitSignal(view.grouped, timeout=20_000):
        pass
    assert "annotator curate clusters" in view.state.text()
    assert view.tree.topLevelItemCount() == 0


def test_the_dashboard_draws_the_core_figures_and_refreshes_on_f5(qtbot, seeded):
    _work(seeded)
    _sessions(seeded)
    window = open_window(qtbot, seeded, "ann", suggest=False)
    entry = _entry(window, "&Project", "Dashboard")
    dialog = window.show_dashboard()
    with qtbot.waitSignal(dialog.shown, timeout=20_000):
        pass
    assert entry.isEnabled()
    assert dialog.figures == figures(seeded)
    assert dialog.state.text() == "5 documents: 4 included, 1 excluded; 2 done"
    status = dialog.views["by_status"].chart()
    (bars,) = status.series()[0].barSets()
    assert [bars.at(i) for i in range(bars.count())] == [1, 0, 1, 0, 2]
    assert status.axes()[0].categories() == ["todo", "skipped", "flagged", "in progress",
                                             "done"]
    (ann,) = dialog.views["progress"].chart().series()
    assert ann.name() == "ann" and [p.y() for p in ann.points()] == [2, 4]
    assert [p.y() for p in dialog.views["pace"].chart().series()[0].points()] == [4.0, 2.0]
    with seeded.transaction():
        seeded.documents.set_curation(seeded.documents.ids_in_order()[3], "excluded",
                                      "off-topic")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.shown, timeout=20_000):
        qtbot.keyClick(dialog, Qt.Key.Key_F5)
    assert dialog.figures["excluded_by_reason"] == {"duplicate": 1, "off-topic": 1}
    reasons = dialog.views["excluded_by_reason"].chart()
    assert reasons.axes()[0].categories() == ["duplicate", "off-topic"]
