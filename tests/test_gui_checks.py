"""Project → Consistency checks… in the window: findings of the annotator's finished work,
a row that opens its place, and a fix that the window's Undo takes back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from test_gui_session import open_window, press
from test_lint_rules import _at, _finished


def test_a_label_conflict_is_shown_opened_fixed_and_undone(qtbot, seeded):
    store, ids = seeded, seeded.documents.ids_in_order()
    for doc_id, label in zip(ids[:3], ("GPE", "GPE", "LOC")):
        _finished(store, doc_id, [(*_at(store, doc_id, "Paris"), label)], annotator="ann")
    window = open_window(qtbot, store, "ann", suggest=False)
    menu = [a.menu() for a in window.menuBar().actions() if a.text() == "&Project"][0]
    (entry,) = [a for a in menu.actions() if a.text() == "Consistency checks…"]
    dialog = window.show_checks()
    qtbot.waitUntil(lambda: dialog.state.text() != "checking…", timeout=20_000)
    assert entry.isEnabled()
    (row,) = [r for r in range(dialog.table.rowCount())
              if (dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text())
              == ("label_conflict", "Paris")]
    dialog.table.selectRow(row)
    dialog.show_place(row)
    first = dialog.findings[row].spans[0]
    assert window.workspace.doc_id == first["doc_id"]
    assert window.workspace.span(window.workspace.focused).start == first["start"]
    assert dialog.fix_button.isEnabled()
    dialog.fix_button.click()
    qtbot.waitUntil(lambda: dialog.state.text().endswith("finding(s)") and "label_conflict"
                    not in [dialog.table.item(r, 0).text()
                            for r in range(dialog.table.rowCount())], timeout=20_000)
    labels = {store.spans.for_set(store.sets.find(d, "ann").id, layer="entity")[0].label
              for d in ids[:3]}
    assert labels == {"GPE"}
    assert window.workspace.history.undo_label() == "fix 'Paris'"
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    labels = sorted(store.spans.for_set(store.sets.find(d, "ann").id, layer="entity")[0].label
                    for d in ids[:3])
    assert labels == ["GPE", "GPE", "LOC"]
