"""Project → Team agreement… on a real project (both backends): measured off the UI thread,
the matrix switches between exact and overlapping F1, labels show α_U, and a click on a
document row opens it in the workspace."""

from __future__ import annotations

from agreement_data import add_document, annotate
from PySide6.QtCore import Qt
from test_gui_session import open_window

from annotator.gui.agreement_dialog import AgreementDialog

TIMEOUT_MS = 60_000


def _project(store) -> tuple[str, str]:
    paris = add_document(store, "Alice met Bob Smith in Paris on Monday.", "Paris")
    annotate(store, paris, "alice", [(0, 5, "PERSON"), (10, 19, "PERSON"), (23, 28, "GPE")])
    annotate(store, paris, "bob", [(0, 5, "PERSON"), (10, 13, "PERSON"), (23, 28, "GPE")])
    home = add_document(store, "Carol went home.", "Home")
    annotate(store, home, "alice", [(0, 5, "PERSON")])
    annotate(store, home, "bob", [(0, 5, "PERSON")])
    return paris, home


def _open(qtbot, window) -> AgreementDialog:
    entry = next(a for a in window.menuBar().actions() if a.text() == "&Project").menu()
    action = next(a for a in entry.actions() if a.text() == "Team agreement…")
    action.trigger()
    dialog = window.findChild(AgreementDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT_MS)
    return dialog


def test_the_dialog_shows_the_figures_and_opens_a_document(qtbot, store):
    paris, home = _project(store)
    window = open_window(qtbot, store, suggest=False)
    with qtbot.waitSignal(window.workspace.opened, timeout=TIMEOUT_MS):
        window.workspace.open(home)
    dialog = _open(qtbot, window)
    assert "Over 2 document(s) finished by at least two of alice, bob" in dialog.summary.text()
    # the matrix: overlap first ("Bob Smith" against "Bob" counts), then exact
    assert dialog.matrix.item(0, 1).text() == "1.00"
    dialog.kind.setCurrentIndex(dialog.kind.findData("exact"))
    # exact: 3 of 4 and 4 entities agree (Alice, Paris, Carol): 2·3 / 8
    assert dialog.matrix.item(0, 1).text() == dialog.matrix.item(1, 0).text() == "0.75"
    labels = {dialog.labels.item(r, 0).text(): dialog.labels.item(r, 1).text()
              for r in range(dialog.labels.rowCount())}
    assert labels["GPE"] == "1.00" and set(labels) == {"GPE", "PERSON"}
    assert dialog.chart.chart().series()[0].count() == 2  # α_U and F1, a bar per label
    # least agreement first: Paris; a click opens it
    assert dialog.documents.item(0, 1).text() == "Paris"
    with qtbot.waitSignal(window.workspace.opened, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.documents.viewport(), Qt.MouseButton.LeftButton,
                         pos=dialog.documents.visualItemRect(dialog.documents.item(0, 1))
                         .center())
    assert window.workspace.doc_id == paris


def test_nothing_to_compare_says_so(qtbot, store):
    doc = add_document(store, "Carol went home.")
    annotate(store, doc, "alice", [(0, 5, "PERSON")])
    window = open_window(qtbot, store, suggest=False)
    dialog = _open(qtbot, window)
    assert dialog.summary.text() == ("Nothing to compare: agreement needs two annotators "
                                     "who finished the same documents, and the comparison "
                                     "has only alice.")
    assert dialog.documents.rowCount() == 0
