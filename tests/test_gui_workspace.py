"""The window beyond the keyboard happy path: mouse, document labels, skip/flag, help sheets,
navigation with undo across documents, resume, emoji offsets, search, cancelling suggestions.

These windows run without the model (`suggest=False`); suggestions are rows added as the
suggester would add them, so every test knows exactly what is on screen.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QTextBrowser

from annotator.core.importers import import_paths
from annotator.core.project import current_schema
from annotator.core.store import Store
from annotator.core.project_settings import DONE_ASKS, MEMORY_SHARED
from locks import impatient, locked_by_another
from test_gui_session import answer_next_question, open_window, press

pytestmark = pytest.mark.usefixtures("qapp")
WORDS = ("Syria", "Israel", "Paris")


def suggest(store: Store, doc_id: str, annotator: str = "ann") -> dict[str, int]:
    """Suggested GPE spans on the first occurrence of each of WORDS found in the text."""
    set_id = store.sets.ensure(doc_id, annotator, current_schema(store).hash).id
    text = store.documents.text(doc_id)
    found = {}
    for word in WORDS:
        at = text.find(word)
        if at >= 0:
            found[word] = store.spans.add(set_id, at, at + len(word), layer="entity", label="GPE",
                                          origin="model:test@1", state="suggested",
                                          score=0.8).id
    return found


@pytest.fixture
def docs(seeded):
    ids = seeded.documents.ids_in_order()
    spans = {doc_id: suggest(seeded, doc_id) for doc_id in ids}
    return seeded, ids, spans


def state(store, span_id):
    return store.spans.get(span_id).state


def test_mouse_click_focuses_buttons_decide_and_right_click_relabels(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    syria = spans[ids[0]]["Syria"]
    (mark,) = [m for m in window.article.marks().for_span(syria) if m.kind == "entity"]
    rect = window.article.canvas.fragments(mark)[0]
    qtbot.mouseClick(window.article.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center().toPoint())
    assert window.workspace.focused == syria
    assert window.spans_panel.view.selectionModel().selectedRows()[0].row() == \
        window.spans_panel.model.row_of(syria)
    qtbot.mouseClick(window.spans_panel.accept_button, Qt.MouseButton.LeftButton)
    assert state(store, syria) == "accepted"
    israel = spans[ids[0]]["Israel"]
    assert window.workspace.focused == israel  # the next suggestion
    qtbot.mouseClick(window.spans_panel.reject_button, Qt.MouseButton.LeftButton)
    assert state(store, israel) == "rejected"

    paris = spans[ids[0]]["Paris"]
    window.article.spanContextMenuRequested.emit(paris, QPoint(50, 50))
    menu = [m for m in window.findChildren(QMenu) if m.isVisible()][-1]
    label_as = next(a for a in menu.actions() if a.text() == "Label as").menu()
    next(a for a in label_as.actions() if a.text().startswith("LOC")).trigger()
    span = store.spans.get(paris)
    assert (span.label, span.state) == ("LOC", "accepted")


def test_document_labels_as_radio_buttons_with_undo(qtbot, docs):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    set_id = window.workspace.target.set_id
    buttons = window.doc_labels.buttons
    qtbot.mouseClick(buttons[("relevance", "relevant")], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons[("genre", "analysis")], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons[("relevance", "irrelevant")], Qt.MouseButton.LeftButton)
    assert store.sets.get(set_id).cats == {"relevance": "irrelevant", "genre": "analysis"}
    assert not buttons[("relevance", "relevant")].isChecked()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.sets.get(set_id).cats == {"relevance": "relevant", "genre": "analysis"}
    assert buttons[("relevance", "relevant")].isChecked()


def test_skip_and_flag_with_a_note_open_the_next_todo(qtbot, docs, monkeypatch):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    press(qtbot, window, Qt.Key.Key_S,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert store.sets.find(ids[0], "ann").status == "skipped"
    assert window.workspace.doc_id == ids[1]
    monkeypatch.setattr(window, "ask_text", lambda title, label: "text is cut off")
    press(qtbot, window, Qt.Key.Key_F,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    flagged = store.sets.find(ids[1], "ann")
    assert (flagged.status, flagged.note) == ("flagged", "text is cut off")
    assert window.workspace.doc_id == ids[2]
    monkeypatch.setattr(window, "ask_text", lambda title, label: None)  # cancelled
    press(qtbot, window, Qt.Key.Key_F,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert store.sets.find(ids[2], "ann").status == "todo"  # viewing it wrote nothing


def test_done_asks_unless_the_annotator_turned_asking_off(qtbot, docs):
    """Ctrl+Enter with undecided suggestions says how many it will accept and asks (Enter
    confirms, Esc keeps the document open); "don't ask me again" or the View menu turn it
    off for this annotator; the status bar counts what is left all along."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    assert window.status.undecided.text() == "3 undecided left"
    asked = []
    answer_next_question(qtbot, Qt.Key.Key_Escape, asked=asked)
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Accept the 3 suggestions still undecided and finish?"]
    assert store.sets.find(ids[0], "ann").status == "todo" and window.workspace.doc_id == ids[0]
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_X)
    assert window.status.undecided.text() == "2 undecided left"
    answer_next_question(qtbot, tick=True, asked=asked)  # yes, and don't ask me again
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked[1] == "Accept the 2 suggestions still undecided and finish?"
    assert store.sets.find(ids[0], "ann").status == "done"
    assert {state(store, i) for i in spans[ids[0]].values()} == {"accepted", "rejected"}
    ask = window.shortcuts["ask_done"]
    assert ask in window.menuBar().actions()[4].menu().actions() and not ask.isChecked()
    assert window.workspace.doc_id == ids[1]
    assert window.status.undecided.text() == "3 undecided left"
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # no question
    assert store.sets.find(ids[1], "ann").status == "done"
    assert len(asked) == 2
    ask.trigger()  # View → Ask before Done: on again, and remembered for the next window
    window.close()
    again = open_window(qtbot, store, suggest=False)
    assert again.shortcuts["ask_done"].isChecked()


def test_the_projects_rule_asks_everyone_without_a_way_out(qtbot, docs):
    store, ids, spans = docs
    with store.transaction():
        store.settings.set(DONE_ASKS, True)
    window = open_window(qtbot, store, suggest=False)
    window.shortcuts["ask_done"].setChecked(False)  # the annotator's own choice gives way
    boxes = []
    monkey = window.confirm_done
    window.confirm_done = lambda pending, optional: boxes.append(optional) or monkey(
        pending, optional=optional)
    answer_next_question(qtbot)
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert boxes == [False]
    assert store.sets.find(ids[0], "ann").status == "done"


def test_pgdn_leaves_undecided_suggestions_undecided(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_Return)  # the work started: one accepted, two left
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert window.workspace.doc_id == ids[1]
    states = sorted(state(store, i) for i in spans[ids[0]].values())
    assert states == ["accepted", "suggested", "suggested"]
    assert store.sets.find(ids[0], "ann").status == "in_progress"


def test_question_mark_shows_the_whole_keyboard_map_and_f1_the_guidelines(qtbot, docs):
    store, _, _ = docs
    window = open_window(qtbot, store, suggest=False)
    press(qtbot, window, Qt.Key.Key_Question)
    (sheet,) = [d for d in window.findChildren(QDialog) if d.isVisible()]
    text = sheet.findChild(QTextBrowser).toPlainText()
    for key in ("Tab", "Enter or A", "X or Delete", "Shift+A", "Ctrl+Enter", "PgDn", "Ctrl+Z",
                "Ctrl+Shift+Z", "Ctrl+F", "F1", "?"):
        assert key in text
    for hotkey, label in current_schema(store).hotkeys().items():
        assert f"label as {label}" in text
    sheet.close()
    press(qtbot, window, Qt.Key.Key_F1)
    (guide,) = [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert "A named organisation" in guide.findChild(QTextBrowser).toPlainText()


def test_undo_follows_its_document_after_paging_and_work_resumes_there(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_A)
    syria = spans[ids[0]]["Syria"]
    assert state(store, syria) == "accepted"
    press(qtbot, window, Qt.Key.Key_PageDown)
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert window.workspace.doc_id == ids[2]
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert window.workspace.doc_id == ids[1]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.doc_id == ids[0]  # the undo reopened the document it changes
    assert state(store, syria) == "suggested"
    press(qtbot, window, Qt.Key.Key_PageDown)
    window.close()
    with Store(store.location) as again:
        second = open_window(qtbot, again, suggest=False)
        assert second.workspace.doc_id == ids[1]  # the last document this annotator was on
        second.close()


def test_shift_a_accepts_all_in_one_undo_step(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    press(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert {state(store, i) for i in spans[ids[0]].values()} == {"accepted"}
    assert window.workspace.history.depth == 1
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {state(store, i) for i in spans[ids[0]].values()} == {"suggested"}


def test_selection_offsets_over_emoji_and_crlf(qtbot, store, tmp_path):
    text = "Flash 😀👍🏽 report\r\nfrom Damascus:\u00a0“Calm,” said Ahmed\tal\u2011Sharaa 🇸🇾 today."
    (tmp_path / "emoji.txt").write_bytes(text.encode("utf-8"))
    import_paths(store, [tmp_path / "emoji.txt"], annotator="tester")
    window = open_window(qtbot, store, suggest=False)
    stored = window.workspace.text
    assert "\r" not in stored  # newlines normalised on import; offsets count code points
    for word, key, label in (("Damascus", Qt.Key.Key_3, "GPE"), ("today", Qt.Key.Key_7, "DATE")):
        at = stored.index(word)
        window.article.select_range(at, at + len(word) - 2)
        press(qtbot, window, key)
        span = window.workspace.span(window.workspace.focused)
        assert (span.start, span.end, span.label) == (at, at + len(word), label)
        assert stored[span.start:span.end] == word


def test_search_as_you_type_filters_the_list(qtbot, docs):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    model = window.documents.model
    assert model.total() == 5
    qtbot.keyClicks(window.documents.search, "Shaibani")
    qtbot.waitUntil(lambda: model.total() < 5, timeout=5000)
    expected = store.documents.ids_in_order(search="Shaibani")
    assert [model.doc_id(r) for r in range(model.total())] == expected
    window.documents.search.clear()
    qtbot.waitUntil(lambda: model.total() == 5, timeout=5000)


def test_cancelled_suggestions_never_reach_the_document(qtbot, seeded):
    window = open_window(qtbot, seeded, suggest=False, start=False)
    ws = window.workspace
    release = threading.Event()
    ws.runner.start(lambda store: release.wait(30), lambda _: None, lambda _: None)
    ws.suggest = True
    ws.open(seeded.documents.ids_in_order()[0])  # its suggestion task waits behind the blocker
    assert window.status.busy.isVisible()
    qtbot.mouseClick(window.status.cancel, Qt.MouseButton.LeftButton)
    assert not window.status.busy.isVisible()
    release.set()
    assert ws.runner.wait(30_000)
    assert ws.spans == [] and ws.target is None  # nothing shown, nothing started
    assert seeded.sets.find(ws.doc_id, ws.annotator) is None


def test_two_windows_on_one_file_both_write_safely(qtbot, docs):
    store, ids, spans = docs
    first = open_window(qtbot, store, suggest=False)
    with Store(store.location) as other_connection:
        second = open_window(qtbot, other_connection, "bob", suggest=False)
        suggest(other_connection, ids[0], "bob")
        second.workspace.open(ids[0])
        second.actions.focus_next()
        second.actions.accept()
        first.actions.focus_next()
        first.actions.reject()
        assert other_connection.integrity_ok()
        second.close()
    assert state(store, spans[ids[0]]["Syria"]) == "rejected"
    bob = store.sets.find(ids[0], "bob")
    assert [s.state for s in store.spans.for_set(bob.id)] == ["accepted", "suggested", "suggested"]
    assert store.integrity_ok()


def test_enter_in_the_search_box_searches_and_edits_nothing_and_esc_clears_it(qtbot, docs):
    """Issue 15, bugs 2 and 3: Enter typed into the search accepted the focused span; Esc
    left the query in place."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    panel = window.documents
    press(qtbot, window, Qt.Key.Key_Tab)  # a span is focused: Enter would accept it
    focused = window.workspace.focused
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.search, "Kurdistan24")
    with qtbot.waitSignal(panel.model.modelReset, timeout=5000):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.model.total() < len(ids)  # the search ran at once
    assert state(store, focused) == "suggested" and window.workspace.history.depth == 0
    assert panel.search.hasFocus()
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == "" and window.article.canvas.hasFocus()
    qtbot.waitUntil(lambda: panel.model.total() == len(ids), timeout=5000)
    panel.runner.wait()


def test_ctrl_f_searches_and_escape_returns_to_the_article(qtbot, docs):
    store, _, _ = docs
    window = open_window(qtbot, store, suggest=False)
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.documents.search.hasFocus()
    qtbot.keyClicks(window.documents.search, "a1")  # letters and digits type, not act
    assert window.documents.search.text() == "a1"
    assert window.workspace.history.depth == 0
    qtbot.keyClick(window.documents.search, Qt.Key.Key_Escape)
    assert window.article.canvas.hasFocus()
    window.documents.runner.wait()


def test_a_claim_moves_to_a_new_selection_from_its_menu(qtbot, docs):
    store, _, _ = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text = window.workspace, window.workspace.text
    first, second = "joint statement", "Paris talks"
    at = text.index(first)
    window.article.select_range(at, at + len(first))
    press(qtbot, window, Qt.Key.Key_C)
    claim = ws.claim(ws.active_claim)
    at = text.index(second)
    window.article.select_range(at, at + len(second))
    window._span_menu(claim.content_span_id, QPoint(40, 40))
    menu = [m for m in window.findChildren(QMenu) if m.isVisible()][-1]
    next(a for a in menu.actions() if a.text().startswith("Move the claim")).trigger()
    content = store.spans.get(store.claims.get(claim.id).content_span_id)
    assert text[content.start:content.end] == second


def test_the_document_list_reads_rows_a_page_at_a_time_with_counts(qtbot, docs):
    from annotator.core.identity import doc_id_for
    from annotator.gui.models.document_list import PAGE, DocumentListModel

    store, ids, spans = docs
    rows = [{"id": doc_id_for(f"Filler article {i}."), "text": f"Filler article {i}.",
             "title": f"Filler {i}"} for i in range(PAGE * 2)]
    with store.transaction():
        store.documents.insert_many(rows)
    model = DocumentListModel(store, "ann")
    assert (model.total(), model.rowCount()) == (PAGE * 2 + 5, PAGE)
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE * 2
    store.spans.update(spans[ids[0]]["Syria"], state="accepted")
    model.refresh(ids[0])
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[3:] == ["todo", "2", "1", "", ""]  # status, suggested, accepted, done by
    # others, cluster (none)
    assert model.row_of(rows[-1]["id"]) == PAGE * 2 + 4


def test_an_overlapping_entity_replaces_on_the_second_key_press(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    text = window.workspace.text
    syria = spans[ids[0]]["Syria"]
    at = store.spans.get(syria).start
    window.article.select_range(at, at + len("Syria, and"))
    press(qtbot, window, Qt.Key.Key_2)
    assert window.status.message.text() == "overlaps GPE 'Syria' — press 2 again to replace it"
    assert window.workspace.history.depth == 0
    press(qtbot, window, Qt.Key.Key_2)
    assert state(store, syria) == "rejected"  # a replaced suggestion stays, as a rejection
    assert "press 2 again" not in window.status.message.text()  # issue 15, bug 9: stale
    drawn = window.workspace.span(window.workspace.focused)
    assert (drawn.label, text[drawn.start:drawn.end]) == ("ORG", "Syria, and")
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert state(store, syria) == "suggested"
    assert [s.id for s in window.workspace.spans if s.start == at] == [syria]


def test_a_status_filtered_list_follows_the_work(qtbot, docs):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    panel = window.documents
    panel.status.setCurrentIndex(panel.status.findData("todo"))
    qtbot.waitUntil(lambda: panel.model.total() == 5, timeout=5000)  # opening changes nothing
    answer_next_question(qtbot)
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done → ids[1]
    qtbot.waitUntil(lambda: panel.model.total() == 4, timeout=5000)
    assert ids[0] not in [panel.model.doc_id(r) for r in range(panel.model.total())]
    panel.runner.wait()


def test_every_key_of_the_map_is_bound_in_the_window(qtbot, docs):
    from annotator.gui.keyboard import bindings

    store, _, _ = docs
    window = open_window(qtbot, store, suggest=False)
    schema = current_schema(store)
    for binding in bindings(schema):
        name = binding.action if binding.argument is None else \
            f"{binding.action}:{binding.argument}"
        action = window.shortcuts[name]
        assert [k.toString() for k in action.shortcuts()] == \
            [QKeySequence(k).toString() for k in binding.keys]
    design = {"focus_next": "Tab", "focus_previous": "Shift+Tab", "accept": "Return",
              "reject": "X", "accept_all": "Shift+A", "make_claim": "C", "set_source": "S",
              "set_cue": "U", "cycle_type": "T", "done": "Ctrl+Return", "next_document": "PgDown",
              "previous_document": "PgUp", "undo": "Ctrl+Z", "redo": "Ctrl+Shift+Z",
              "search": "Ctrl+F", "guidelines": "F1", "keymap": "?"}
    for name, key in design.items():  # docs/architecture.md, "Keyboard map": all of it
        assert QKeySequence(key) in window.shortcuts[name].shortcuts(), name
    assert {f"label:{label}" for label in schema.labels if schema.entity(label).hotkey} <= \
        set(window.shortcuts)


def test_selecting_a_document_far_down_the_list_shows_its_page(qtbot, docs):
    from annotator.core.identity import doc_id_for
    from annotator.gui.models.document_list import PAGE

    store, _, _ = docs
    rows = [{"id": doc_id_for(f"Filler {i}."), "text": f"Filler {i}.", "title": f"F{i}"}
            for i in range(PAGE * 3)]
    with store.transaction():
        store.documents.insert_many(rows)
    window = open_window(qtbot, store, suggest=False)
    window.workspace.open(rows[-1]["id"])
    model = window.documents.model
    assert model.rowCount() == model.total()
    selected = window.documents.view.selectionModel().selectedRows()
    assert [model.doc_id(i.row()) for i in selected] == [rows[-1]["id"]]


def test_shift_tab_goes_back_and_delete_rejects(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws = window.workspace
    order = [s.id for s in ws.spans]  # text order: the three suggestions
    press(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert ws.focused == order[-1]  # from nothing, backwards: the last one
    press(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert ws.focused == order[-2]
    press(qtbot, window, Qt.Key.Key_Delete)
    assert state(store, order[-2]) == "rejected"
    press(qtbot, window, Qt.Key.Key_Escape)
    assert ws.focused is None


def test_a_locked_project_still_opens_documents_but_refuses_to_save_with_a_message(qtbot,
                                                                                   docs):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    impatient(store)
    with locked_by_another(store):
        window.workspace.open(ids[3])
        assert window.workspace.doc_id == ids[3]  # viewing reads only: no lock needed
        window.actions.focus_next()
        window.actions.accept()
        assert window.status.message.text().startswith("not saved:")
        assert "busy" in window.status.message.text()
        assert window.status.saved.text() == "✗ not saved"
        assert window.workspace.history.depth == 0
    assert {s.state for s in store.spans.for_set(window.workspace.target.set_id)} == \
        {"suggested"}


def test_an_undo_that_cannot_be_saved_keeps_its_step_to_try_again(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws = window.workspace
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_Return)
    first, second = spans[ids[0]]["Syria"], spans[ids[0]]["Israel"]
    impatient(store)
    with locked_by_another(store):
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.status.saved.text() == "✗ not saved"
    assert state(store, second) == "accepted"
    assert ws.history.depth == 2  # the step the file still holds stays, to try again
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (state(store, first), state(store, second)) == ("accepted", "suggested")
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (state(store, first), state(store, second)) == ("suggested", "suggested")


def test_the_menus_hold_the_map_and_the_done_setting(qtbot, docs):
    store, _, _ = docs
    window = open_window(qtbot, store, suggest=False)
    menus = {m.title().replace("&", ""): m for m in
             (a.menu() for a in window.menuBar().actions())}
    assert set(menus) == {"File", "Document", "Annotate", "Edit", "View", "Help", "Project"}
    undo = window.shortcuts["undo"]
    assert undo in menus["Edit"].actions() and not undo.isEnabled()
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_Return)
    assert undo.isEnabled()
    project = {a.text().replace("&", ""): a for a in menus["Project"].actions()}
    ask = next(a for t, a in project.items() if t.startswith("Everyone is asked before"))
    share = next(a for t, a in project.items() if t.startswith("Share corpus memory"))
    ask.trigger()
    assert store.settings.get(DONE_ASKS) is True
    assert not share.isChecked()
    share.trigger()
    assert store.settings.get(MEMORY_SHARED) is True


def test_the_guideline_follows_the_focus_to_claim_parts(qtbot, docs):
    """Issue 15, bug 9: the guideline panel kept GPE while a claim's source was focused."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text = window.workspace, window.workspace.text
    ws.set_focus(spans[ids[0]]["Syria"])
    assert window.labels_panel.guideline.text().startswith("<b>GPE</b>")
    for fragment, key in (("joint statement", Qt.Key.Key_C), ("Paris talks", Qt.Key.Key_S)):
        at = text.index(fragment)
        window.article.select_range(at, at + len(fragment))
        press(qtbot, window, key)
    claim = ws.claim(ws.active_claim)
    ws.set_focus(claim.source_span_id)
    assert window.labels_panel.guideline.text().startswith("<b>SOURCE</b>: who or what")
    ws.set_focus(claim.content_span_id)
    assert window.labels_panel.guideline.text().startswith(f"<b>{claim.type}</b>: ")


def test_an_entity_that_is_a_claims_source_shows_both_guidelines(qtbot, docs):
    """Issue 15, bug 9: with an entity linked as a claim's source, focusing it showed GPE
    alone, as if it were no source."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text, shown = window.workspace, window.workspace.text, window.labels_panel.guideline
    syria = spans[ids[0]]["Syria"]
    at = text.index("joint statement")
    window.article.select_range(at, at + len("joint statement"))
    press(qtbot, window, Qt.Key.Key_C)
    ws.set_focus(syria)
    assert shown.text().startswith("<b>GPE</b>: ") and "SOURCE" not in shown.text()
    press(qtbot, window, Qt.Key.Key_S)  # Syria becomes the claim's source
    ws.set_focus(None)
    ws.set_focus(syria)
    assert shown.text().startswith("<b>GPE</b>: ")
    assert "<br><b>SOURCE</b> of a claim: who or what" in shown.text()


def test_a_fresh_message_is_not_covered_by_the_suggestions_being_ready(qtbot, docs):
    """Issue 15, bug 9: "done — N suggestions accepted" vanished within a second when the
    next document's suggestions arrived."""
    from annotator.core.workflow import Prepared

    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    ws = window.workspace
    ws.open(ids[1])
    ws.message.emit("done — 3 suggestions accepted")
    ws._suggestions_done((ids[1], Prepared(added=3)))
    assert window.status.message.text() == "done — 3 suggestions accepted"
    ws.open(ids[2])  # a new document: what was said before is gone, the news is shown
    assert window.status.message.text() == ""
    ws._suggestions_done((ids[2], Prepared(added=3)))
    assert "suggestions ready" in window.status.message.text()


def test_undo_and_redo_bring_the_focus_back_to_the_span_they_change(qtbot, docs):
    """Issue 15, bug 10: after Enter the focus moves on; Ctrl+Z put the span back but not
    the focus."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws = window.workspace
    press(qtbot, window, Qt.Key.Key_Tab)
    accepted = ws.focused
    press(qtbot, window, Qt.Key.Key_Return)
    assert ws.focused != accepted
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.focused == accepted and state(store, accepted) == "suggested"
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_Z,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert ws.focused == accepted and state(store, accepted) == "accepted"


def test_an_unattributed_claim_with_a_source_is_flagged_in_the_claim_panel(qtbot, docs):
    """Issue 15, bug 4, in the app: the claim panel says the type and the source disagree."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text = window.workspace, window.workspace.text
    for fragment, key in (("joint statement", Qt.Key.Key_C), ("Paris talks", Qt.Key.Key_S)):
        at = text.index(fragment)
        window.article.select_range(at, at + len(fragment))
        press(qtbot, window, key)
    assert "unattributed" not in window.claim_panel.title()
    while ws.claim(ws.active_claim).type != "unattributed":
        press(qtbot, window, Qt.Key.Key_T)
    assert "unattributed, yet it names a source" in window.claim_panel.title()
