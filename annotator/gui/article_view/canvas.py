"""The read-only text surface: Qt lays out and draws the text, the canvas draws marks around it.

The text goes into the QTextDocument once and is never edited to draw; marks are painted in
two passes around QTextEdit's own paint (fills under the text, outlines/underlines/tags over
it), the way code editors draw decorations. The canvas is selectable by mouse and keyboard
but handles only navigation keys: every other key, Tab included, is left to the window whose
keyboard map it is (docs/architecture.md, "Keyboard map").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (QFontMetricsF, QKeyEvent, QKeySequence, QMouseEvent, QPainter,
                           QTextBlockFormat, QTextCursor)
from PySide6.QtWidgets import QTextEdit, QToolTip

from annotator.gui.article_view import painting
from annotator.gui.article_view.geometry import fragments, position_at, visible_range
from annotator.gui.article_view.layout_formats import LayoutFormats
from annotator.gui.article_view.marks import ENTITY, Arc, Mark, MarkSet, arcs, linked_claims
from annotator.gui.article_view.scroll_markers import MarkerBar, markers

LINE_HEIGHT_PERCENT = 175   # room below each line for the claim underline rows
DOCUMENT_MARGIN = 14
SCROLL_MARGIN = 8          # pixels kept between a range scrolled into view and the edge
MARKERS_DELAY_MS = 30      # coalesces the layout changes of one edit into one marker pass
CLICK_SLOP = 4              # pixels a press may move and still count as a click
MEASURE_CHARS = 100         # longest line, in average characters: wider panes get side margins
_NAVIGATION = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
               Qt.Key.Key_Home, Qt.Key.Key_End}
_KIND_PRIORITY = {ENTITY: 0, "source": 1, "cue": 1, "claim": 2}


class Canvas(QTextEdit):
    markClicked = Signal(int)
    markContextMenu = Signal(int, QPoint)

    def __init__(self, tooltip_for: Callable[[int], str], parent=None):
        super().__init__(parent)
        self._tooltip_for = tooltip_for
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setUndoRedoEnabled(False)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        self.viewport().setMouseTracking(True)
        # A scroll bar that comes and goes would resize the viewport, re-lay out the article
        # twice per opening and make the text jump sideways.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setVerticalScrollBar(MarkerBar(self))
        self._markers_timer = QTimer(self, singleShot=True, interval=MARKERS_DELAY_MS)
        self._markers_timer.timeout.connect(self.update_markers)
        self.document().documentLayout().documentSizeChanged.connect(self._markers_timer.start)
        self._marks = MarkSet((), {})
        self._focused: int | None = None
        self._hovered: int | None = None
        self._active_claim: int | None = None
        self._hits: list[tuple[int, int]] = []  # search hits, Qt positions in text order
        self._current_hit: int | None = None
        self._press: QPoint | None = None
        self._tag_font = painting.tag_font(self.font())
        self._tag_widths: dict[str, float] = {}
        self._formats = LayoutFormats(self.document(), self.tag_space)

    # --- content -------------------------------------------------------------------------
    def tag_space(self, label: str) -> float:
        if label not in self._tag_widths:
            self._tag_widths[label] = painting.tag_width(self._tag_font, label)
        return self._tag_widths[label]

    def set_content(self, text: str, marks: MarkSet) -> None:
        """Replace text and marks; the layout formats apply as the text goes in."""
        self._marks = marks
        self._focused = self._hovered = self._active_claim = None
        self._formats.set_marks(marks)
        self.verticalScrollBar().set_markers([])  # the last article's, until the new ones
        doc = self.document()
        doc.clear()
        self._fit_measure()  # before the text goes in, so that it is laid out once
        cursor = QTextCursor(doc)
        spacing = QTextBlockFormat()
        spacing.setLineHeight(LINE_HEIGHT_PERCENT,
                              QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setBlockFormat(spacing)  # blocks created by insertText inherit it
        cursor.insertText(text)
        self.setTextCursor(QTextCursor(doc))
        self.viewport().update()
        self._markers_timer.start()

    def set_marks(self, marks: MarkSet) -> None:
        self._marks = marks
        self._formats.relayout(self._formats.set_marks(marks))
        self.viewport().update()
        self._markers_timer.start()

    def update_markers(self) -> None:
        """The scroll bar's markers from the marks and the layout as they are now."""
        self._markers_timer.stop()
        self.verticalScrollBar().set_markers(markers(self.document(), self._marks))

    def marks(self) -> MarkSet:
        return self._marks

    def set_focused(self, span_id: int | None) -> None:
        self._focused = span_id
        rects = [r for m in self._marks.for_span(span_id) for r in self.fragments(m)] \
            if span_id is not None else []
        if rects:
            self._scroll_into_view(rects[0].united(rects[-1]))
        self.viewport().update()

    def set_active_claim(self, claim_id: int | None) -> None:
        """The claim S and U apply to: its links show wherever the focus is."""
        if claim_id != self._active_claim:
            self._active_claim = claim_id
            self.viewport().update()

    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        self._hits, self._current_hit = hits, None
        self.viewport().update()

    def hits(self) -> list[tuple[int, int]]:
        return self._hits

    def current_hit(self) -> int | None:
        return self._current_hit

    def go_to_hit(self, index: int) -> None:
        """Make hit `index` the current one and scroll it into view."""
        self._current_hit = index
        rects = fragments(self.document(), *self._hits[index])
        if rects:
            self._scroll_into_view(rects[0].united(rects[-1]))
        self.viewport().update()

    def linked(self) -> frozenset[int]:
        linked = linked_claims(self._marks, (self._focused, self._hovered))
        if self._active_claim is None:
            return linked
        return linked | {self._active_claim}

    def arcs(self) -> list[Arc]:
        """The arcs drawn now: those of the claims brought forward."""
        return arcs(self._marks, self.linked())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._tag_font = painting.tag_font(self.font())
            self._tag_widths.clear()
            self._formats.rehighlight()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_measure()

    def _fit_measure(self) -> None:
        """Keep lines readable in a wide pane: centre a column of at most MEASURE_CHARS."""
        widest = QFontMetricsF(self.font()).averageCharWidth() * MEASURE_CHARS
        side = max(float(DOCUMENT_MARGIN), (self.viewport().width() - widest) / 2)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()  # left/right margins replace the document margin there
        if abs(fmt.leftMargin() - side) >= 1:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            frame.setFrameFormat(fmt)

    # --- geometry ------------------------------------------------------------------------
    def _offset(self) -> QPointF:
        return QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def top_position(self) -> int:
        """The Qt position at the top left of what is on screen."""
        return position_at(self.document(), self._offset())

    def fragments(self, mark: Mark) -> list[QRectF]:
        return fragments(self.document(), mark.start, mark.end)

    def _visible_marks(self) -> list[Mark]:
        top = self._offset().y()
        first, last = visible_range(self.document(), top, top + self.viewport().height())
        return [m for m in self._marks.marks if m.start <= last and m.end >= first]

    def _visible_hits(self) -> tuple[list[list[QRectF]], list[QRectF]]:
        """Rectangles of the hits on screen, and of the current hit: a long article may hold
        thousands of hits, only those between the first and last visible positions count."""
        if not self._hits:
            return [], []
        top = self._offset().y()
        first, last = visible_range(self.document(), top, top + self.viewport().height())
        rects: list[list[QRectF]] = []
        current: list[QRectF] = []
        for i in range(max(0, bisect_left(self._hits, (first, 0)) - 1), len(self._hits)):
            start, end = self._hits[i]
            if start > last:
                break
            if end < first:
                continue
            pieces = fragments(self.document(), start, end)
            if i == self._current_hit:
                current = pieces
            else:
                rects.append(pieces)
        return rects, current

    def mark_at(self, point: QPoint) -> Mark | None:
        """The mark drawn under a viewport point: the smallest entity first, claims last."""
        doc_point = QPointF(point) + self._offset()
        position = position_at(self.document(), doc_point)
        hits = [m for m in self._marks.marks if m.start <= position + 1 and m.end >= position - 1
                and any(painting.hit_rect(m, r).contains(doc_point) for r in self.fragments(m))]
        return min(hits, key=lambda m: (_KIND_PRIORITY[m.kind], m.end - m.start), default=None)

    def _scroll_into_view(self, rect: QRectF) -> None:
        """Scroll as little as shows the whole range (with its underline rows); only a range
        off screen is brought to a third of the height, with what leads up to it above.

        Re-centring whatever touched an edge made the article jump 270-450 px when a claim
        or entity was drawn on the lower lines (issue 15, bug 10).
        """
        bar = self.verticalScrollBar()
        top, height = bar.value(), self.viewport().height()
        bottom = rect.bottom() + painting.ROW_STEP * 3
        if bottom < top or rect.top() > top + height:
            bar.setValue(int(rect.top() - height / 3))
        elif rect.top() < top:
            bar.setValue(int(rect.top() - SCROLL_MARGIN))
        elif bottom > top + height:
            bar.setValue(int(min(rect.top() - SCROLL_MARGIN, bottom + SCROLL_MARGIN - height)))

    # --- painting ------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        marks = self._visible_marks()
        cache: dict[Mark, list[QRectF]] = {}

        def frags(mark: Mark) -> list[QRectF]:
            if mark not in cache:
                cache[mark] = self.fragments(mark)
            return cache[mark]

        linked = self.linked()
        painter = QPainter(self.viewport())
        painter.translate(-self._offset())
        painting.paint_under(painter, marks, frags, linked)
        painting.paint_hits(painter, *self._visible_hits())  # over the boxes, under the text
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.translate(-self._offset())
        painting.paint_over(painter, marks, frags, linked, self._focused, self._tag_font,
                            self.tag_space)
        painting.paint_arcs(painter, arcs(self._marks, linked), frags, self._tag_font)
        painter.end()

    # --- input ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (event.key() in _NAVIGATION or event.matches(QKeySequence.StandardKey.Copy)
                or event.matches(QKeySequence.StandardKey.SelectAll)):
            super().keyPressEvent(event)
        else:
            event.ignore()  # the window's keyboard map decides

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = event.position().toPoint() \
            if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        if (self._press is not None and event.button() == Qt.MouseButton.LeftButton
                and (point - self._press).manhattanLength() <= CLICK_SLOP):
            mark = self.mark_at(point)
            if mark is not None:
                self.markClicked.emit(mark.span_id)
        self._press = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        mark = self.mark_at(event.position().toPoint())
        hovered = mark.span_id if mark is not None else None
        if hovered != self._hovered:
            self._hovered = hovered
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if mark is not None
                                      else Qt.CursorShape.IBeamCursor)
            self.viewport().update()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        super().leaveEvent(event)
        if self._hovered is not None:
            self._hovered = None
            self.viewport().update()

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        mark = self.mark_at(event.pos())
        if mark is None:
            super().contextMenuEvent(event)
        else:
            self.markContextMenu.emit(mark.span_id, event.globalPos())

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            mark = self.mark_at(event.pos())
            if mark is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._tooltip_for(mark.span_id),
                                  self.viewport())
            return True
        return super().viewportEvent(event)
