"""The workspace as issue 15 asks for it: keys that always reach the article, claims you can
see, search inside the article, markers for long articles, bulk steps and table filters.

Keys go to `QApplication.focusWidget()` (or, for a window Qt has not activated yet, the
window's own focus widget): the widget a real key press would reach, never a slot.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from annotator.gui.article_view.painting import arc_ends
from test_gui_article_view import article, view
from test_gui_session import open_window
from test_gui_workspace import docs, state

pytestmark = pytest.mark.usefixtures("qapp")
FIXTURES = (article, view, docs)  # the other modules' fixtures, shared by name


def key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, *, window=None) -> None:
    """One real key press: to the application's focus widget, or to the focus widget of a
    window that is shown but not active (where the keyboard goes just after launch)."""
    target = window.focusWidget() if window is not None else QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def test_keys_typed_before_the_window_is_active_act_on_the_article(qtbot, docs):
    """Issue 15, bug 1: launch, Tab, Enter, Enter, 8 — the 8 landed in the search box. Before
    Qt made the window active its shortcuts did not fire, and Tab walked the focus chain."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    for pressed in (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_8):
        key(qtbot, pressed, window=window)
    syria, israel, paris = (spans[ids[0]][w] for w in ("Syria", "Israel", "Paris"))
    first_two = sorted((syria, israel, paris), key=lambda i: store.spans.get(i).start)
    assert [state(store, i) for i in first_two[:2]] == ["accepted", "accepted"]
    assert store.spans.get(first_two[2]).label == "EVENT"  # 8, on the focused span
    assert window.documents.search.text() == ""
    assert window.focusWidget() is window.article.canvas


def test_a_fresh_launch_keeps_tab_enter_and_8_on_the_article(qtbot, file_seeded):
    """Issue 15, bug 1 as reported: a new project, the app started as `annotator gui` starts
    it (`app.Shell`, the real suggester), then Tab, Tab, Enter, Enter, 8, each to the widget
    a real key reaches. (Also checked with real X key events: xdotool under Xvfb.)"""
    from annotator.gui.app import Shell
    from test_gui_session import wait_for_suggestions

    shell = Shell(file_seeded, "ann")
    window = shell.window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    wait_for_suggestions(qtbot, window)
    reached = []
    for pressed in (Qt.Key.Key_Tab, Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Return,
                    Qt.Key.Key_8):
        target = QApplication.focusWidget() or window.focusWidget()
        reached.append(target)
        qtbot.keyClick(target, pressed)
    assert set(reached) == {window.article.canvas}
    assert window.documents.search.text() == ""
    assert [e.action for e in file_seeded.events.list(annotator="ann")] == [
        "document.start", "span.accept", "span.accept", "span.relabel"]
    assert window.workspace.span(window.workspace.focused).label == "EVENT"
    for _ in range(12):  # Tab never walks into the filters, however often it is pressed
        qtbot.keyClick(QApplication.focusWidget() or window.focusWidget(), Qt.Key.Key_Tab)
        assert (QApplication.focusWidget() or window.focusWidget()) is window.article.canvas
    window.documents.runner.wait()


def test_keys_act_on_the_article_whatever_was_clicked_and_esc_returns_there(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws = window.workspace
    QTest.mouseClick(window.documents.status, Qt.MouseButton.LeftButton)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # closes the popup
    key(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.article.canvas
    window.documents.view.setFocus(Qt.FocusReason.MouseFocusReason)
    key(qtbot, Qt.Key.Key_Tab)
    first = min(spans[ids[0]].values(), key=lambda i: store.spans.get(i).start)
    assert ws.focused == first
    key(qtbot, Qt.Key.Key_X)
    assert state(store, first) == "rejected"
    assert window.documents.search.text() == ""


def _phrase_at_bottom(window, words: int) -> tuple[int, int]:
    """Python offsets of `words` words starting on the last full line of the viewport."""
    from PySide6.QtCore import QPointF

    from annotator.gui.article_view.geometry import position_at

    canvas = window.article.canvas
    bottom = canvas.verticalScrollBar().value() + canvas.viewport().height() - 45
    text = window.workspace.text
    start = text.index(" ", position_at(canvas.document(), QPointF(100, bottom))) + 1
    end = start
    for _ in range(words):
        end = text.index(" ", end + 1)
    return start, end


@pytest.mark.parametrize("pressed", [Qt.Key.Key_C, Qt.Key.Key_3])
def test_drawing_on_the_lower_lines_does_not_make_the_article_jump(qtbot, docs, pressed):
    """Issue 15, bug 10: the article jumped 270-450 px after C or drawing an entity."""
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    bar = window.article.canvas.verticalScrollBar()
    assert bar.maximum() > 1000  # the first seed is longer than the window
    bar.setValue(600)
    window.article.select_range(*_phrase_at_bottom(window, 6 if pressed == Qt.Key.Key_C else 1))
    before = bar.value()
    key(qtbot, pressed)
    assert window.workspace.history.depth == 1  # drawn
    assert abs(bar.value() - before) < 60  # at most the underline rows, not a re-centring
    height = window.article.canvas.viewport().height()
    rects = window.article.span_rects(window.workspace.focused)
    assert rects and rects[0].top() >= 0 and rects[-1].bottom() <= height


def test_tab_to_a_span_off_screen_brings_it_to_the_upper_third(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    canvas = window.article.canvas
    canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().maximum())
    key(qtbot, Qt.Key.Key_Tab)
    (rect, *_) = window.article.span_rects(window.workspace.focused)
    assert 0 <= rect.top() <= canvas.viewport().height() / 2


def test_the_claim_panel_says_which_claim_s_and_u_apply_to_when_an_entity_is_focused(qtbot,
                                                                                     docs):
    """Issue 15, bug 9: after focus moved to an entity the claim panel still showed the last
    claim, with nothing saying why; S then linked that entity to it."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text, panel = window.workspace, window.workspace.text, window.claim_panel
    at = text.index("joint statement")
    window.article.select_range(at, at + len("joint statement"))
    key(qtbot, Qt.Key.Key_C)
    claim = ws.claim(ws.active_claim)
    assert panel.hint.isHidden()  # the focus is on the claim itself
    syria = spans[ids[0]]["Syria"]
    window.article.spanClicked.emit(syria)
    assert not panel.hint.isHidden()
    assert panel.hint.text() == ("Focus is outside this claim — S / U link the focused GPE "
                                 "“Syria” to it")
    assert panel.title() == f"Claim #{claim.id}"
    key(qtbot, Qt.Key.Key_S)
    assert store.claims.get(claim.id).source_span_id == syria
    assert panel.hint.isHidden() and panel.fields["source"].text().startswith("Syria")
    key(qtbot, Qt.Key.Key_Escape)
    assert panel.hint.text() == "S / U: the selection becomes this claim's source / cue"


# -- arcs: claims you can see ------------------------------------------------------------------

def test_a_focused_claim_draws_arcs_from_its_source_and_cue_to_its_content(view, article):
    from test_gui_article_view import _grab

    ids, claim = article["ids"], article["claim"]
    assert view.canvas.arcs() == []
    before = _grab(view)
    view.set_focused_span(ids["content"])
    drawn = {(a.claim_id, a.role, a.part.span_id, a.content.span_id) for a in view.canvas.arcs()}
    assert drawn == {(claim, "source", ids["sharaa"], ids["content"]),
                     (claim, "cue", ids["cue"], ids["content"])}
    cue = next(a for a in view.canvas.arcs() if a.role == "cue")
    start, end = arc_ends(cue, view.canvas.fragments)
    (content_rect,) = view.canvas.fragments(cue.content)  # one line: "We welcome this,"
    (cue_rect,) = view.canvas.fragments(cue.part)
    assert start.y() == cue_rect.top() and end.y() == content_rect.top()
    assert content_rect.left() < end.x() < content_rect.right() < start.x()
    view.set_focused_span(None)
    view.set_active_claim(claim)  # the claim S and U apply to keeps its arcs on show
    assert len(view.canvas.arcs()) == 2
    after = _grab(view)
    above = [(x, y) for y in range(int(content_rect.top()) - 30, int(content_rect.top()))
             for x in range(int(end.x()), int(start.x()))
             if before.pixel(x, y) != after.pixel(x, y)]
    assert above  # the curve is drawn over the line, between the two ends
    view.set_active_claim(None)
    assert view.canvas.arcs() == []


def test_a_source_two_claims_share_shows_both_links(view, article):
    from test_gui_article_view import TEXT, _at

    store, sid, ids = article["store"], article["set_id"], article["ids"]
    with store.transaction():
        second = store.spans.add(sid, *_at(TEXT, "The US Department of State confirmed it"),
                                 layer="claim", label="indirect", origin="human",
                                 state="accepted").id
        other = store.claims.add(sid, second, type="indirect", source_span_id=ids["sharaa"]).id
    view.update_spans(store.spans.for_set(sid), store.claims.for_set(sid))
    view.set_focused_span(ids["sharaa"])
    assert {(a.claim_id, a.role, a.content.span_id) for a in view.canvas.arcs()} == {
        (article["claim"], "source", ids["content"]), (other, "source", second),
        (article["claim"], "cue", ids["content"])}
    view.set_focused_span(second)  # the other claim alone: its one link
    assert [(a.claim_id, a.part.span_id) for a in view.canvas.arcs()] == [(other, ids["sharaa"])]


def test_the_window_draws_the_active_claims_arcs_while_an_entity_is_focused(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text = window.workspace, window.workspace.text
    for fragment, pressed in (("joint statement", Qt.Key.Key_C), ("Paris talks", Qt.Key.Key_S)):
        at = text.index(fragment)
        window.article.select_range(at, at + len(fragment))
        key(qtbot, pressed)
    claim = ws.claim(ws.active_claim)
    window.article.spanClicked.emit(spans[ids[0]]["Syria"])
    assert [(a.role, a.part.span_id) for a in window.article.canvas.arcs()] == [
        ("source", claim.source_span_id)]


# -- search inside the article -----------------------------------------------------------------

def test_the_search_lights_up_in_the_article_and_enter_steps_through_the_hits(qtbot, docs):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    text, article = window.workspace.text, window.article
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.documents.search
    qtbot.keyClicks(QApplication.focusWidget(), "Syria")
    assert window.documents.search.text() == "Syria"
    expected = [(m, m + 5) for m in range(len(text)) if text.startswith("Syria", m)
                and (m == 0 or not text[m - 1].isalnum())]
    assert len(expected) > 2 and article.hit_ranges() == expected
    key(qtbot, Qt.Key.Key_Return)
    assert article.current_hit() == 0
    assert window.status.message.text() == f"hit 1 of {len(expected)} in this article"
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert article.current_hit() == 0
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # wraps to the last
    assert article.current_hit() == len(expected) - 1
    (rect, *_) = article.span_rects_of(*expected[-1])
    assert 0 <= rect.top() <= article.canvas.viewport().height()  # scrolled to it
    assert window.workspace.history.depth == 0  # Enter there never accepts a span
    key(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.article.canvas
    assert article.hit_ranges() == []
    key(qtbot, Qt.Key.Key_F3)
    assert window.status.message.text() == "search first (Ctrl+F): its words light up here"
    window.documents.runner.wait()


def test_f3_in_the_article_goes_to_the_next_hit_from_where_the_reader_is(qtbot, docs):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    article = window.article
    article.set_search("the")
    hits = article.hit_ranges()
    bar = article.canvas.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    top = article.canvas.top_position()
    key(qtbot, Qt.Key.Key_F3)
    first = article.current_hit()
    assert article.canvas.hits()[first][0] >= top > article.canvas.hits()[first - 1][0]
    key(qtbot, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert article.current_hit() == first - 1 and len(hits) > first


# -- bulk steps ----------------------------------------------------------------------------------

def test_shift_x_rejects_every_suggestion_alike_and_ctrl_z_takes_it_back(qtbot, docs):
    store, ids, spans = docs
    ws_doc = ids[0]
    text = store.documents.text(ws_doc)
    set_id = store.sets.find(ws_doc, "ann").id
    more = [m.start() for m in re.finditer(r"\bIsrael\b", text)][1:3]  # the first is suggested
    with store.transaction():
        alike = [store.spans.add(set_id, at, at + 6, layer="entity", label="GPE",
                                 origin="model:test@1", state="suggested", score=0.8).id
                 for at in more]
    window = open_window(qtbot, store, suggest=False)
    ws = window.workspace
    first = spans[ws_doc]["Israel"]
    window.article.spanClicked.emit(first)
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert states(store, [first, *alike]) == ["rejected"] * 3
    assert state(store, spans[ws_doc]["Syria"]) == "suggested"
    assert window.status.message.text() == "rejected 3 GPE suggestions of 'Israel'"
    assert ws.span(ws.focused).state == "suggested"  # on to the next undecided
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert states(store, [first, *alike]) == ["suggested"] * 3
    window._span_menu(alike[0], QPoint(40, 40))  # the same from the span's menu
    menu = [m for m in window.findChildren(QMenu) if m.isVisible()][-1]
    next(a for a in menu.actions() if a.text().startswith("Reject every GPE")).trigger()
    assert states(store, [first, *alike]) == ["rejected"] * 3


def states(store, span_ids):
    return [store.spans.get(i).state for i in span_ids]


# -- the span table ------------------------------------------------------------------------------

def test_the_span_table_filters_by_label_state_and_origin(qtbot, docs):
    from annotator.gui.models.span_table import HEADERS

    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    panel, text = window.spans_panel, window.workspace.text

    def rows():
        return [panel.model.span_at(r).id for r in range(panel.model.rowCount())]

    syria, israel, paris = (spans[ids[0]][w] for w in ("Syria", "Israel", "Paris"))
    assert panel.view.isColumnHidden(HEADERS.index("Score"))  # 0.80 everywhere says nothing
    at = text.index("joint statement")
    window.article.select_range(at, at + len("joint"))
    key(qtbot, Qt.Key.Key_1)  # a PERSON of the annotator's own: no score
    drawn = window.workspace.focused
    assert not panel.view.isColumnHidden(HEADERS.index("Score"))
    window.article.spanClicked.emit(syria)
    key(qtbot, Qt.Key.Key_Return)
    labels = panel.filters["label"]
    assert [labels.itemText(i) for i in range(labels.count())] == ["any label", "GPE", "PERSON"]
    panel.set_filter(state="accepted")
    assert set(rows()) == {syria, drawn}
    panel.set_filter(label="GPE", state="suggested")
    assert sorted(rows()) == sorted([israel, paris])
    assert window.workspace.focused == israel  # focus moved on: its row is selected
    assert panel.view.selectionModel().selectedRows()[0].row() == rows().index(israel)
    panel.set_filter(origin="human")
    assert rows() == [drawn]
    key(qtbot, Qt.Key.Key_Return)  # accepting Israel: the table keeps to the filter
    assert rows() == [drawn] and state(store, israel) == "accepted"
    panel.set_filter()
    assert len(rows()) == len(window.workspace.spans)


def test_the_search_names_annotations_for_the_list_and_the_span_table(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    panel, listed = window.spans_panel, window.documents

    def rows():
        return [panel.model.span_at(r).id for r in range(panel.model.rowCount())]

    def documents():
        listed.runner.wait()
        qtbot.waitUntil(lambda: listed.searching.isHidden())
        return [listed.model.doc_id(r) for r in range(listed.model.total())]

    syria, israel, paris = (spans[ids[0]][w] for w in ("Syria", "Israel", "Paris"))
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_X)  # the first in text order rejected
    rejected = next(i for i in (syria, israel, paris) if state(store, i) == "rejected")
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "state:rejected label:gpe")
    key(qtbot, Qt.Key.Key_Return)
    assert documents() == [ids[0]]
    assert rows() == [rejected]
    assert window.article.hit_ranges() == []  # terms are no words of the text
    window.documents.search.clear()
    qtbot.keyClicks(window.documents.search, "lable:GPE")
    key(qtbot, Qt.Key.Key_Return)
    assert listed.problem.text() == ("unknown search key 'lable:' — the known keys are label:, "
                                     "state:, annotator:, origin:")
    assert not listed.problem.isHidden()
    assert documents() == [ids[0]]  # the list stays as it was
    assert len(rows()) == len(window.workspace.spans)
    window.documents.search.clear()
    qtbot.keyClicks(window.documents.search, "origin:model")
    key(qtbot, Qt.Key.Key_Return)
    assert listed.problem.isHidden() and documents() == ids  # the fixture's suggestions
    assert sorted(rows()) == sorted([syria, israel, paris])


def test_f2_corrects_the_title_in_one_undoable_step(qtbot, docs, monkeypatch):
    from annotator.gui.models.document_list import COLUMNS

    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    listed = window.documents.model
    before = store.documents.get(ids[0]).title
    offered = []
    monkeypatch.setattr(window, "ask_text",
                        lambda title, label, text="": offered.append(text) or "Ceasefire talks")
    key(qtbot, Qt.Key.Key_F2)
    assert offered == [before]  # the current title, to edit
    assert store.documents.get(ids[0]).title == "Ceasefire talks"
    assert window.windowTitle().startswith("Ceasefire talks — Annotator")
    qtbot.waitUntil(lambda: listed.data(listed.index(0, COLUMNS.index("title"))) ==
                    "Ceasefire talks")
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.documents.get(ids[0]).title == before
    assert window.windowTitle().startswith(f"{before} — Annotator")
    edit = window.shortcuts["edit_title"]
    assert edit in window.menuBar().actions()[1].menu().actions()  # Document → Edit title…
    window.documents.runner.wait()


def test_a_member_may_not_edit_a_title_and_the_flag_note_shows_in_the_list(qtbot, docs,
                                                                           monkeypatch):
    from annotator.core.rights import MEMBER
    from annotator.gui.models.document_list import COLUMNS

    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    window.workspace.session.role = MEMBER
    monkeypatch.setattr(window, "ask_text", lambda title, label, text="": "← NewsAll fixed")
    key(qtbot, Qt.Key.Key_F2)
    assert window.status.message.text().startswith("only a reviewer or an admin may edit "
                                                   "titles; ann is a member — flag")
    assert store.documents.get(ids[0]).title != "← NewsAll fixed"
    monkeypatch.setattr(window, "ask_text", lambda title, label, text="": "title is a crumb")
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.ShiftModifier)
    listed = window.documents.model
    status = listed.index(listed.row_of(ids[0]), COLUMNS.index("status"))
    assert listed.data(status) == "⚑ flagged"
    assert listed.data(status, Qt.ItemDataRole.ToolTipRole) == "flagged: title is a crumb"
    window.documents.runner.wait()


def test_list_columns_that_say_nothing_hide(qtbot, docs):
    """The seeds are plain text files: no sources — that column hides; one has a date, so
    Date shows (an all-empty one hides: `test_titles.py`)."""
    from annotator.gui.models.document_list import COLUMNS

    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    view = window.documents.view
    assert not view.isColumnHidden(COLUMNS.index("date"))
    assert view.isColumnHidden(COLUMNS.index("source"))
    assert not view.isColumnHidden(COLUMNS.index("title"))
    assert not view.isColumnHidden(COLUMNS.index("status"))  # work columns always show


# -- long articles: markers in the scroll bar ----------------------------------------------------

def test_the_scroll_bar_marks_undecided_suggestions_and_claims(qtbot, docs):
    from annotator.gui.article_view.scroll_markers import UNDECIDED

    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text = window.workspace, window.workspace.text
    bar = window.article.canvas.verticalScrollBar()
    qtbot.waitUntil(lambda: len(bar.markers()) == 3)
    fractions = [m.fraction for m in bar.markers()]
    assert [m.kind for m in bar.markers()] == ["undecided"] * 3
    assert fractions == sorted(fractions) and 0 <= fractions[0] and fractions[-1] < 1
    image = bar.grab().toImage()
    assert any(image.pixelColor(x, y) == UNDECIDED
               for x in range(image.width()) for y in range(image.height()))
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Return)  # one decided: its marker goes
    qtbot.waitUntil(lambda: len(bar.markers()) == 2)
    last = text.rindex("Syria")  # a claim near the end of the article: a marker low down
    window.article.select_range(last, last + len("Syria"))
    key(qtbot, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: [m.kind for m in bar.markers()].count("claim") == 1)
    (claim,) = [m for m in bar.markers() if m.kind == "claim"]
    assert claim.fraction > 0.8
    assert ws.history.depth == 2


def test_the_article_gets_most_of_the_width_and_a_dragged_split_is_remembered(qtbot, docs):
    from annotator.gui.app import settings as user_settings
    from annotator.gui.main_window import GEOMETRY_KEY, SPLITTER_KEY

    store, _, _ = docs
    for remembered in (GEOMETRY_KEY, SPLITTER_KEY):  # Qt reads its settings path once per
        user_settings().remove(remembered)           # process: other tests' windows leak here
    window = open_window(qtbot, store, suggest=False)
    splitter = window.centralWidget()
    sizes = splitter.sizes()
    assert sizes[1] > sum(sizes) / 2
    splitter.setSizes([400, 500, 380])
    dragged = splitter.sizes()
    window.close()
    user_settings().remove(GEOMETRY_KEY)  # the offscreen screen would shrink a restored window
    again = open_window(qtbot, store, suggest=False)
    assert again.centralWidget().sizes() == dragged


def test_the_readme_key_table_names_every_key_of_the_map():
    """Issue 15: the README's key table matches the app."""
    import re as regex

    from conftest import ROOT

    from annotator.gui.keyboard import KEYMAP

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| key | action |"):]
    table = table[:table.index("\n\n")]
    keys = {k.strip() for row in table.splitlines()[2:]
            for k in regex.split(r" / | \(", row.split("|")[1])}
    for binding in KEYMAP:
        shown = binding.shown.split(" (")[0]
        assert shown in keys, binding.action


def test_the_claims_tab_lists_every_claim_and_a_click_focuses_one(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws, text, panel = window.workspace, window.workspace.text, window.claims_panel
    assert panel.model.rowCount() == 0 and window.side_tabs.tabText(1) == "Claims (0)"
    for fragment, pressed in (("Paris talks", Qt.Key.Key_C), ("joint statement", Qt.Key.Key_C),
                              ("Syria", Qt.Key.Key_S)):
        at = text.index(fragment)
        window.article.select_range(at, at + len(fragment))
        key(qtbot, pressed)
    assert window.side_tabs.tabText(1) == "Claims (2)"
    model = panel.model
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    first, second = sorted(ws.claims, key=lambda c: ws.span(c.content_span_id).start)
    assert rows == [["joint statement", "Syria", "—", first.type.replace("_", " "), "accepted"],
                    ["Paris talks", "—", "—", second.type.replace("_", " "), "accepted"]]
    assert panel.view.selectionModel().selectedRows()[0].row() == 0  # the active claim
    window.side_tabs.setCurrentIndex(1)
    rect = panel.view.visualRect(model.index(1, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ws.focused == second.content_span_id and ws.active_claim == second.id
    assert panel.view.selectionModel().selectedRows()[0].row() == 1
    assert QApplication.focusWidget() is window.article.canvas  # keys still act on the article


def test_document_labels_have_keys_shown_on_their_buttons(qtbot, docs):
    store, ids, _ = docs
    window = open_window(qtbot, store, suggest=False)
    set_id = window.workspace.target.set_id
    buttons = window.doc_labels.buttons
    assert buttons[("relevance", "relevant")].text() == "relevant₁"
    assert buttons[("relevance", "relevant")].toolTip() == "Ctrl+1"
    control = Qt.KeyboardModifier.ControlModifier
    key(qtbot, Qt.Key.Key_1, control)
    key(qtbot, Qt.Key.Key_4, control)
    assert store.sets.get(set_id).cats == {"relevance": "relevant", "genre": "news_report"}
    assert buttons[("genre", "news_report")].isChecked()
    key(qtbot, Qt.Key.Key_2, control)
    assert store.sets.get(set_id).cats["relevance"] == "partly_relevant"
    key(qtbot, Qt.Key.Key_2, control)  # the same key again takes it off
    assert store.sets.get(set_id).cats == {"genre": "news_report"}
    key(qtbot, Qt.Key.Key_Z, control)
    assert store.sets.get(set_id).cats["relevance"] == "partly_relevant"
