"""The article view, offscreen: offsets over emoji, clicks, selection, what is drawn, keys left alone.

Spans and claims are made through a real project file and read back, as the window does.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import (QColor, QContextMenuEvent, QImage, QKeySequence, QMouseEvent,
                           QShortcut, QTextCursor)
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from annotator.core.importers import import_paths
from annotator.core.project import current_schema
from annotator.gui.article_view import ArticleView
from annotator.gui.article_view.marks import EntityMarks, build_marks
from annotator.gui.article_view.painting import BOX_PAD, FOCUS_COLOR, FOCUS_PEN
from annotator.gui.offsets import OffsetMap

# Emoji before and inside the spans, so that every Qt position after them is shifted.
TEXT = ("Breaking 😀 news 👍🏽\tfrom Damascus:\u00a0“We welcome this,” said Ahmed al\u2011Sharaa "
        "of Syria 🇸🇾 on Tuesday.\n\nThe US Department of State confirmed it.\n")


def _at(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def article(store, tmp_path):
    """A stored document with suggested, accepted and rejected entities and one full claim."""
    schema = current_schema(store)
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    import_paths(store, [tmp_path / "article.txt"], annotator="tester")
    (doc_id,) = store.documents.ids_in_order()
    assert store.documents.text(doc_id) == TEXT
    sid = store.sets.ensure(doc_id, "tester", schema.hash).id
    add = store.spans.add
    with store.transaction():
        ids = {
            "damascus": add(sid, *_at(TEXT, "Damascus"), layer="entity", label="GPE",
                            origin="model:test@1", state="suggested", score=0.9).id,
            "sharaa": add(sid, *_at(TEXT, "Ahmed al\u2011Sharaa"), layer="entity",
                          label="PERSON", origin="human", state="accepted").id,
            "syria": add(sid, *_at(TEXT, "Syria"), layer="entity", label="GPE",
                         origin="model:test@1", state="rejected").id,
            "tuesday": add(sid, *_at(TEXT, "Tuesday"), layer="entity", label="DATE",
                           origin="model:test@1", state="accepted").id,
            "state": add(sid, *_at(TEXT, "US Department of State"), layer="entity",
                         label="ORG", origin="model:test@1", state="suggested").id,
            "content": add(sid, *_at(TEXT, "We welcome this,"), layer="claim",
                           label="direct_quote", origin="pattern", state="accepted").id,
            "cue": add(sid, *_at(TEXT, "said"), layer="cue", label="cue", origin="pattern",
                       state="accepted").id,
        }
        claim = store.claims.add(sid, ids["content"], type="direct_quote",
                                 source_span_id=ids["sharaa"], cue_span_id=ids["cue"])
    return {"schema": schema, "spans": store.spans.for_set(sid),
            "claims": store.claims.for_set(sid), "ids": ids, "claim": claim.id,
            "set_id": sid, "store": store}


@pytest.fixture
def view(qtbot, article):
    widget = ArticleView()
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.set_document(TEXT, article["spans"], article["claims"], article["schema"])
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _qt(offset: int) -> int:
    """Qt position of a Python offset, computed independently of the view: UTF-16 units."""
    return len(TEXT[:offset].encode("utf-16-le")) // 2


def _point(view: ArticleView, offset: int) -> QPoint:
    """Viewport pixel in the middle of the character at Python offset `offset`."""
    canvas = view.canvas
    cursor = QTextCursor(canvas.document())
    cursor.setPosition(_qt(offset))
    left = canvas.cursorRect(cursor)
    cursor.setPosition(_qt(offset + 1))
    right = canvas.cursorRect(cursor)
    return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())


def _grab(view: ArticleView) -> QImage:
    """The drawn article, without the blinking text cursor (only drawn while focused)."""
    view.canvas.clearFocus()
    return view.canvas.viewport().grab().toImage()


def _pixel(view: ArticleView, point: QPoint) -> QColor:
    return _grab(view).pixelColor(point)


def _send_mouse(widget: QWidget, kind: QEvent.Type, point: QPoint, buttons) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove \
        else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, QPointF(point), QPointF(widget.mapToGlobal(point)), button,
                        buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_shows_imported_text_unchanged(qtbot, store, tmp_path):
    """\\r\\n is normalised by the importer; tabs, NBSP, curly quotes and emoji stay as they are."""
    source = tmp_path / "a.txt"
    source.write_bytes("Title 😀\r\n\r\nTab\there,\u00a0“quoted” ‘x’ 👍🏽 end\r\n".encode())
    import_paths(store, [source], annotator="tester")
    (doc_id,) = store.documents.ids_in_order()
    stored = store.documents.text(doc_id)
    assert "\r" not in stored
    widget = ArticleView()
    qtbot.addWidget(widget)
    widget.set_document(stored, [], [], current_schema(store))
    shown = widget.canvas.document().toRawText().replace("\u2029", "\n")
    assert shown == stored


def test_layout_formats_leave_the_text_alone(view):
    assert view.canvas.document().toRawText().replace("\u2029", "\n") == TEXT
    assert not view.canvas.document().isUndoAvailable()


def test_marks_sit_at_the_qt_positions_of_the_spans(view, article):
    document = view.canvas.document()
    for mark in view.marks().marks:
        span = next(s for s in article["spans"] if s.id == mark.span_id)
        cursor = QTextCursor(document)
        cursor.setPosition(mark.start)
        cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == TEXT[span.start:span.end]


def test_selected_range_over_emoji_is_in_python_offsets(view, qtbot):
    canvas = view.canvas
    cursor = QTextCursor(canvas.document())
    canvas.setTextCursor(cursor)
    assert view.selected_range() is None
    with qtbot.waitSignal(view.selectionChanged):
        # One key per grapheme: 17, though "👍🏽" is two code points and four UTF-16 units.
        for _ in range(17):
            qtbot.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    start, end = view.selected_range()
    assert TEXT[start:end] == "Breaking 😀 news 👍🏽"
    view.clear_selection()
    assert view.selected_range() is None


def test_mouse_selection_over_emoji_is_in_python_offsets(view):
    start, end = _at(TEXT, "😀 news 👍🏽\tfrom")
    viewport = view.canvas.viewport()
    first, last = _point(view, start), _point(view, end - 1)
    first.setX(first.x() - 3)  # the left half of the first character, the right of the last
    last.setX(last.x() + 3)
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, first, Qt.MouseButton.LeftButton)
    _send_mouse(viewport, QEvent.Type.MouseMove, last, Qt.MouseButton.LeftButton)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, last, Qt.MouseButton.NoButton)
    assert view.selected_range() == (start, end)


def test_select_range_round_trips(view):
    start, end = _at(TEXT, "👍🏽\tfrom Damascus")
    view.select_range(start, end)
    assert view.selected_range() == (start, end)
    assert view.canvas.textCursor().selectedText() == TEXT[start:end]


@pytest.mark.parametrize(("needle", "key"), [
    ("Damascus", "damascus"), ("Sharaa", "sharaa"), ("Department", "state"),
    ("welcome", "content"), ("said", "cue")])
def test_clicking_a_span_emits_its_id(view, qtbot, article, needle, key):
    offset = TEXT.index(needle) + 1
    with qtbot.waitSignal(view.spanClicked) as signal:
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                         pos=_point(view, offset))
    assert signal.args == [article["ids"][key]]


def test_clicking_plain_text_or_a_hidden_reject_emits_nothing(view, qtbot):
    for needle in ("news", "Syria "):
        with qtbot.assertNotEmitted(view.spanClicked):
            qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                             pos=_point(view, TEXT.index(needle) + 1))


def test_context_menu_on_a_span_is_requested_with_its_id(view, qtbot, article):
    viewport = view.canvas.viewport()
    point = _point(view, TEXT.index("Tuesday") + 2)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    with qtbot.waitSignal(view.spanContextMenuRequested) as signal:
        QApplication.sendEvent(viewport, event)
    assert signal.args == [article["ids"]["tuesday"], viewport.mapToGlobal(point)]


def test_rejected_spans_are_hidden_until_shown(view, qtbot, article):
    rejected = article["ids"]["syria"]
    point = _point(view, TEXT.index("Syria") + 1)
    assert not view.marks().for_span(rejected)
    plain = _pixel(view, point + QPoint(0, -7))
    view.set_show_rejected(True)
    assert [m.state for m in view.marks().for_span(rejected)] == ["rejected"]
    with qtbot.waitSignal(view.spanClicked) as signal:
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == [rejected]
    view.set_show_rejected(False)
    assert not view.marks().for_span(rejected)
    assert _pixel(view, point + QPoint(0, -7)) == plain


def test_suggested_boxes_are_lighter_than_accepted_ones(view, article):
    """Sample the box padding left of each span's first character: no glyph is drawn there."""
    def fill(needle: str) -> QColor:
        point = _point(view, TEXT.index(needle))
        cursor = QTextCursor(view.canvas.document())
        cursor.setPosition(_qt(TEXT.index(needle)))
        return _pixel(view, QPoint(view.canvas.cursorRect(cursor).left() - 1, point.y()))

    gpe = QColor(article["schema"].entity("GPE").color)
    person = QColor(article["schema"].entity("PERSON").color)
    accepted, suggested = fill("Ahmed"), fill("Damascus")
    assert accepted == person
    assert suggested != gpe
    assert suggested.lightness() > gpe.lightness()


def test_focusing_a_span_draws_a_thick_outline_around_it(view, article):
    before = _grab(view)
    start, end = _at(TEXT, "Tuesday")
    view.set_focused_span(article["ids"]["tuesday"])
    after = _grab(view)
    changed = [(x, y) for y in range(after.height()) for x in range(after.width())
               if before.pixel(x, y) != after.pixel(x, y)]
    assert changed
    left, right = _point(view, start), _point(view, end - 1)
    assert all(left.x() - 20 < x < right.x() + 60 and abs(y - left.y()) < 20 for x, y in changed)
    dark = [after.pixelColor(x, y) for x, y in changed]
    assert any(c.lightness() < QColor(FOCUS_COLOR).lightness() + 30 for c in dark)
    view.set_focused_span(None)
    assert _grab(view) == before


def test_focusing_a_claim_links_its_source_and_cue(view, article):
    ids = article["ids"]
    assert view.canvas.linked() == frozenset()
    view.set_focused_span(ids["content"])
    assert view.canvas.linked() == {article["claim"]}
    linked = {m.span_id: m.kind for m in view.marks().marks
              if article["claim"] in m.claim_ids}
    assert linked == {ids["content"]: "claim", ids["sharaa"]: "source", ids["cue"]: "cue"}
    view.set_focused_span(ids["sharaa"])  # the source is an entity: it links its claim too
    assert view.canvas.linked() == {article["claim"]}


def test_hovering_a_claim_part_links_it_and_explains_it(view, article):
    viewport = view.canvas.viewport()
    (cue,) = view.span_rects(article["ids"]["cue"])
    assert cue.contains(QPointF(_point(view, TEXT.index("said") + 1)))
    _send_mouse(viewport, QEvent.Type.MouseMove, cue.center().toPoint(), Qt.MouseButton.NoButton)
    assert view.canvas.linked() == {article["claim"]}
    text = view._tooltip(article["ids"]["cue"])
    assert "“We welcome this,”" in text and "Ahmed al\u2011Sharaa" in text and "direct quote" in text
    _send_mouse(viewport, QEvent.Type.MouseMove, _point(view, TEXT.index("news")),
                Qt.MouseButton.NoButton)
    assert view.canvas.linked() == frozenset()


def test_claim_underlines_that_overlap_get_separate_rows(view, article):
    store, sid = article["store"], article["set_id"]
    with store.transaction():
        store.spans.add(sid, *_at(TEXT, "welcome this"), layer="claim", label="indirect",
                        origin="human", state="suggested")
    view.update_spans(store.spans.for_set(sid), store.claims.for_set(sid))
    rows = sorted(m.row for m in view.marks().marks if m.kind == "claim")
    assert rows == [0, 1]


def test_update_spans_redraws_a_relabelled_span(view, article):
    store, sid, span_id = article["store"], article["set_id"], article["ids"]["tuesday"]
    point = _point(view, TEXT.index("Tuesday") + 1)
    before = _pixel(view, point + QPoint(0, -8))
    with store.transaction():
        store.spans.update(span_id, label="EVENT")
    view.update_spans(store.spans.for_set(sid), store.claims.for_set(sid))
    (mark,) = view.marks().for_span(span_id)
    assert (mark.tag, mark.color) == ("EVENT", article["schema"].entity("EVENT").color)
    assert _pixel(view, point + QPoint(0, -8)) != before


class _KeyRecorder(QObject):
    """Records the key presses that reach a widget (after its children passed them on)."""

    def __init__(self):
        super().__init__()
        self.keys: list[int] = []

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            self.keys.append(event.key())
        return False


def test_keys_of_the_keyboard_map_are_left_to_the_window(qtbot, article):
    """Tab and the action keys reach the window (shortcut or key event); the view keeps none."""
    window = QWidget()
    qtbot.addWidget(window)
    recorder = _KeyRecorder()
    window.installEventFilter(recorder)
    tab = QShortcut(QKeySequence(Qt.Key.Key_Tab), window)
    accept = QShortcut(QKeySequence("A"), window)
    fired = []
    tab.activated.connect(lambda: fired.append("tab"))
    accept.activated.connect(lambda: fired.append("accept"))
    widget = ArticleView()
    layout = QVBoxLayout(window)
    layout.addWidget(widget)
    layout.addWidget(QLineEdit())  # somewhere a focus change could go
    widget.set_document(TEXT, article["spans"], article["claims"], article["schema"])
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # window shortcuts only fire in the active window
    widget.setFocus()
    qtbot.keyClick(widget.canvas, Qt.Key.Key_Tab)
    qtbot.keyClick(widget.canvas, Qt.Key.Key_A)
    assert fired == ["tab", "accept"]
    assert QApplication.focusWidget() is widget.canvas
    keys = [Qt.Key.Key_X, Qt.Key.Key_1, Qt.Key.Key_PageDown, Qt.Key.Key_Return,
            Qt.Key.Key_Delete, Qt.Key.Key_Question]
    for key in keys:
        qtbot.keyClick(widget.canvas, key)
    tab.setEnabled(False)
    qtbot.keyClick(widget.canvas, Qt.Key.Key_Tab)  # no shortcut: passed on, not used inside
    assert recorder.keys == [*keys, Qt.Key.Key_Tab]


def test_navigation_keys_stay_in_the_view(qtbot, view):
    """Shift+arrows select inside the view; they are not passed on."""
    recorder = _KeyRecorder()
    view.installEventFilter(recorder)
    view.canvas.setTextCursor(QTextCursor(view.canvas.document()))
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_End):
        qtbot.keyClick(view.canvas, key, Qt.KeyboardModifier.ShiftModifier)
    assert [k for k in recorder.keys if k != Qt.Key.Key_Shift] == []
    assert view.selected_range() is not None


def test_nothing_is_clipped_at_the_edges_and_wide_panes_keep_a_readable_measure(qtbot, article):
    """A focused span at the very start keeps its outline inside; wide panes centre the text."""
    widget = ArticleView()
    qtbot.addWidget(widget)
    widget.resize(500, 300)
    first = next(s for s in article["spans"] if s.layer == "entity")
    text = TEXT[first.start:]
    moved = [replace(s, start=s.start - first.start, end=s.end - first.start)
             for s in article["spans"] if s.start >= first.start]
    widget.set_document(text, moved, [], article["schema"])
    widget.set_focused_span(first.id)
    widget.show()
    (rect, *_) = widget.span_rects(first.id)
    assert rect.left() - BOX_PAD - FOCUS_PEN >= 0
    assert rect.top() - FOCUS_PEN >= 0
    narrow = rect.left()
    widget.resize(2400, 300)
    (rect, *_) = widget.span_rects(first.id)
    assert rect.left() > narrow + 300  # the column is centred, not stretched to 2400 px


def test_tags_get_room_after_their_span_and_give_it_back(view, article):
    """The tag's gap is letter spacing on the span's last character: the text stays the same."""
    def width(needle: str) -> int:
        start, end = _at(TEXT, needle)
        cursor = QTextCursor(view.canvas.document())
        cursor.setPosition(_qt(start))
        left = view.canvas.cursorRect(cursor).left()
        cursor.setPosition(_qt(end))
        return view.canvas.cursorRect(cursor).left() - left

    tagged = width("Tuesday")
    store, sid = article["store"], article["set_id"]
    with store.transaction():
        store.spans.delete(article["ids"]["tuesday"])
    view.update_spans(store.spans.for_set(sid), store.claims.for_set(sid))
    plain = width("Tuesday")
    assert tagged - plain == pytest.approx(view.canvas.tag_space("DATE"), abs=3)  # whole px
    assert view.canvas.document().toRawText().replace("\u2029", "\n") == TEXT


def test_spans_that_do_not_fit_the_text_are_refused_by_name(qtbot, article):
    widget = ArticleView()
    qtbot.addWidget(widget)
    with pytest.raises(ValueError, match=r"span \d+ \(entity 'GPE'\): offsets .* do not fit"):
        widget.set_document("short text", article["spans"], [], article["schema"])
    assert widget.marks().marks == ()  # nothing half-shown
    widget.set_document(TEXT, article["spans"], article["claims"], article["schema"])
    assert widget.marks().marks


def test_marks_follow_claims_and_their_states(article):
    """A rejected claim takes its source/cue roles with it; an unlinked cue still shows."""
    ids, schema = article["ids"], article["schema"]
    spans = [replace(s, state="rejected") if s.id == ids["content"] else s
             for s in article["spans"]]
    offsets = OffsetMap(TEXT)
    hidden = build_marks(spans, article["claims"], schema, offsets, show_rejected=False)
    assert {m.kind for m in hidden.for_span(ids["sharaa"])} == {"entity"}  # no source role
    assert hidden.for_span(ids["cue"])[0].claim_ids == ()  # shown as a bare cue
    shown = build_marks(spans, article["claims"], schema, offsets, show_rejected=True)
    assert {m.kind for m in shown.for_span(ids["sharaa"])} == {"entity", "source"}
    assert shown.claims_of_span[ids["cue"]] == (article["claim"],)


def test_kept_entity_marks_are_the_marks_made_afresh(article):
    """A redraw with the text's entity marks kept makes the same marks as one made afresh,
    after a relabel, a removal and a rejection; what did not change is the mark of before."""
    schema, offsets = article["schema"], OffsetMap(TEXT)
    kept = EntityMarks(schema, offsets)
    spans = article["spans"]
    before = build_marks(spans, article["claims"], schema, offsets, show_rejected=False,
                         entity_marks=kept)
    entities = [s for s in spans if s.layer == "entity"]
    relabelled, removed, rejected = entities[0], entities[1], entities[2]
    edited = [replace(s, label="ORG") if s is relabelled else
              replace(s, state="rejected") if s is rejected else s
              for s in spans if s is not removed]
    for show_rejected in (False, True):
        again = build_marks(edited, article["claims"], schema, offsets,
                            show_rejected=show_rejected, entity_marks=kept)
        assert again == build_marks(edited, article["claims"], schema, offsets,
                                    show_rejected=show_rejected)
    unchanged = next(s for s in entities[3:] if s.state != "rejected")
    assert again.for_span(unchanged.id)[0] is before.for_span(unchanged.id)[0]
    assert again.for_span(relabelled.id)[0].tag == "ORG" and not again.for_span(removed.id)


def test_showing_a_rejected_claim_strikes_every_paragraph_it_spans(qtbot, article):
    """Layout formats reach the middle paragraphs of a long span, not just its two ends."""
    text = "First para.\n\nSecond para.\n\nThird para.\n"
    widget = ArticleView()
    qtbot.addWidget(widget)
    claim = replace(next(s for s in article["spans"] if s.layer == "claim"), start=0,
                    end=len(text) - 1, state="rejected")
    widget.set_document(text, [claim], [], article["schema"])
    widget.set_show_rejected(True)
    middle = widget.canvas.document().findBlockByNumber(2)
    assert middle.text() == "Second para."
    formats = middle.layout().formats()
    assert formats and all(f.format.fontStrikeOut() for f in formats)
