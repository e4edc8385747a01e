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
    found = dialog.found
    (row,) = [r for r in range(found.rowCount())
              if (found.text(r, 0), found.text(r, 1)) == ("label_conflict", "Paris")]
    dialog.table.selectRow(row)
    dialog.show_place(row)
    first = dialog.findings[row].spans[0]
    assert window.workspace.doc_id == first["doc_id"]
    assert window.workspace.span(window.workspace.focused).start == first["start"]
    places = dialog.findings[row].spans
    spots = dialog.spots
    assert spots.rowCount() == len(places) == 3
    assert [spots.text(r, 1) for r in range(3)] == [p["label"] for p in places]
    assert spots.data(spots.index(2, 0)) == store.documents.get(places[2]["doc_id"]).title
    dialog.places.setCurrentIndex(spots.index(2, 0))
    dialog.places.setFocus()
    qtbot.keyClick(dialog.places, Qt.Key.Key_Return)  # opens the third place, fixes nothing
    assert window.workspace.doc_id == places[2]["doc_id"]
    focused = window.workspace.span(window.workspace.focused)
    assert (focused.start, focused.end, focused.label) == (places[2]["start"], places[2]["end"],
                                                           places[2]["label"])
    assert dialog.fix_button.isEnabled()
    dialog.fix_button.click()
    qtbot.waitUntil(lambda: dialog.state.text().endswith("finding(s)") and "label_conflict"
                    not in [found.text(r, 0) for r in range(found.rowCount())], timeout=20_000)
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


def test_f_labels_the_missed_mentions_and_ctrl_z_in_the_dialog_takes_it_back(qtbot, seeded):
    store, ids = seeded, seeded.documents.ids_in_order()
    _finished(store, ids[0], [(*_at(store, ids[0], "Paris"), "GPE")], annotator="ann")
    for doc_id in ids[1:3]:
        _finished(store, doc_id, annotator="ann")
    window = open_window(qtbot, store, "ann", suggest=False)
    dialog = window.show_checks()
    qtbot.waitUntil(lambda: dialog.state.text() != "checking…", timeout=20_000)
    (row,) = [r for r, f in enumerate(dialog.findings)
              if (f.rule, f.text) == ("missed_mention", "Paris")]
    missed = dialog.findings[row].spans
    assert {p["doc_id"] for p in missed} >= set(ids[1:3])
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)

    def labelled() -> list[tuple[str, int, int, str]]:
        return sorted((d, s.start, s.end, s.label) for d in ids[:3]
                      for s in store.spans.for_set(store.sets.find(d, "ann").id,
                                                   layer="entity"))

    before = labelled()
    dialog.table.selectRow(row)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F)

    qtbot.waitUntil(lambda: "missed_mention" not in [f.rule for f in dialog.findings],
                    timeout=20_000)
    assert labelled() == sorted([*before, *((p["doc_id"], p["start"], p["end"], "GPE")
                                            for p in missed)])
    assert window.workspace.history.undo_label() == "fix 'Paris'"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labelled() == before
    qtbot.waitUntil(lambda: ("missed_mention", "Paris") in [(f.rule, f.text)
                                                            for f in dialog.findings],
                    timeout=20_000)
