"""ArticleView: one article with its spans, the widget the main window talks to.

Its whole interface speaks Python str offsets and store records (Span, Claim); Qt positions
stay inside, converted by the document's OffsetMap. It shows and reports, it never edits:
clicks, context-menu requests and selection changes go out as signals, and the window turns
them into core operations, then hands the new spans back through `update_spans`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, QRectF, Signal
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.find import hits
from annotator.core.model import Claim, Span
from annotator.core.schema import Schema
from annotator.gui.article_view.canvas import Canvas
from annotator.gui.article_view.geometry import fragments
from annotator.gui.article_view.marks import EntityMarks, MarkSet, build_marks
from annotator.gui.article_view.tooltips import tooltip
from annotator.gui.offsets import OffsetMap, qt_text

ARTICLE_FONT_POINTS = 12


def article_font() -> QFont:
    font = QFont()
    font.setFamilies(["DejaVu Serif", "Georgia", "Noto Serif"])
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSize(ARTICLE_FONT_POINTS)
    return font


class ArticleView(QWidget):
    spanClicked = Signal(int)
    spanContextMenuRequested = Signal(int, QPoint)
    selectionChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._text = ""
        self._offsets = OffsetMap("")
        self._spans: dict[int, Span] = {}
        self._claims: tuple[Claim, ...] = ()
        self._schema: Schema | None = None
        self._entity_marks: EntityMarks | None = None  # this text's, under this schema
        self._show_rejected = False
        self._query = ""
        self.setFont(article_font())
        self.canvas = Canvas(self._tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.setFocusProxy(self.canvas)
        self.canvas.markClicked.connect(self.spanClicked)
        self.canvas.markContextMenu.connect(self.spanContextMenuRequested)
        self.canvas.selectionChanged.connect(self.selectionChanged)

    # --- content -------------------------------------------------------------------------
    def set_document(self, text: str, spans: Sequence[Span], claims: Sequence[Claim],
                     schema: Schema) -> None:
        offsets = OffsetMap(text)
        entity_marks = EntityMarks(schema, offsets)
        marks = build_marks(spans, claims, schema, offsets, show_rejected=self._show_rejected,
                            entity_marks=entity_marks)
        self._text, self._offsets, self._schema = text, offsets, schema  # only once it fits
        self._entity_marks = entity_marks
        self._remember(spans, claims)
        self.canvas.set_content(qt_text(text), marks)
        self.set_search(self._query)

    def update_spans(self, spans: Sequence[Span], claims: Sequence[Claim]) -> None:
        """New spans and claims for the same text (after an edit): redraws what changed."""
        marks = self._build(spans, claims)
        self._remember(spans, claims)
        self.canvas.set_marks(marks)

    def set_show_rejected(self, show: bool) -> None:
        if show != self._show_rejected:
            self._show_rejected = show
            self.canvas.set_marks(self._build(list(self._spans.values()), self._claims))

    def set_focused_span(self, span_id: int | None) -> None:
        """Outline this span (and bring its claim's source and cue forward); scroll to it."""
        self.canvas.set_focused(span_id)

    def set_active_claim(self, claim_id: int | None) -> None:
        """Keep this claim's links drawn (the claim S and U apply to), wherever the focus is."""
        self.canvas.set_active_claim(claim_id)

    def marks(self) -> MarkSet:
        """What is drawn now, in Qt positions (for inspection; see marks.py)."""
        return self.canvas.marks()

    def span_rects(self, span_id: int) -> list[QRectF]:
        """Where a shown span is drawn, one rectangle per line, in canvas-viewport pixels
        (what a test or a tour needs to point the mouse at it)."""
        scroll = QPointF(self.canvas.horizontalScrollBar().value(),
                         self.canvas.verticalScrollBar().value())
        return [rect.translated(-scroll) for mark in self.canvas.marks().for_span(span_id)[:1]
                for rect in self.canvas.fragments(mark)]

    def span_rects_of(self, start: int, end: int) -> list[QRectF]:
        """Where Python offsets [start, end) are drawn, in canvas-viewport pixels."""
        scroll = QPointF(self.canvas.horizontalScrollBar().value(),
                         self.canvas.verticalScrollBar().value())
        qt_start, qt_end = self._offsets.range_to_qt(start, end)
        return [rect.translated(-scroll)
                for rect in fragments(self.canvas.document(), qt_start, qt_end)]

    def _remember(self, spans: Sequence[Span], claims: Sequence[Claim]) -> None:
        self._spans = {s.id: s for s in spans}
        self._claims = tuple(claims)

    def _build(self, spans: Sequence[Span], claims: Sequence[Claim]) -> MarkSet:
        if self._schema is None:  # no document yet
            return MarkSet((), {})
        return build_marks(spans, claims, self._schema, self._offsets,
                           show_rejected=self._show_rejected, entity_marks=self._entity_marks)

    def _tooltip(self, span_id: int) -> str:
        span = self._spans.get(span_id)
        return tooltip(self._text, span, self._spans, self._claims) if span else ""

    # --- search ------------------------------------------------------------------------
    def set_search(self, query: str) -> int:
        """Highlight where the corpus search's words are in this article; the number of hits."""
        self._query = query
        found = [self._offsets.range_to_qt(start, end) for start, end in hits(self._text, query)]
        self.canvas.set_hits(found)
        return len(found)

    def step_hit(self, step: int) -> tuple[int, int] | None:
        """Go to the next (+1) or previous (-1) hit, wrapping around; (its number from 1,
        how many) or None without hits. The first step goes to the first hit after the top
        of what is on screen, so the search starts where the annotator is reading."""
        found = self.canvas.hits()
        if not found:
            return None
        current = self.canvas.current_hit()
        if current is None:
            top = self.canvas.top_position()
            later = [i for i, (start, _) in enumerate(found) if start >= top]
            index = (later[0] if later else 0) if step > 0 else \
                ((later[0] - 1) % len(found) if later else len(found) - 1)
        else:
            index = (current + step) % len(found)
        self.canvas.go_to_hit(index)
        return index + 1, len(found)

    def hit_ranges(self) -> list[tuple[int, int]]:
        """The hits as Python offsets (for inspection)."""
        return [self._offsets.range_to_py(*hit) for hit in self.canvas.hits()]

    def current_hit(self) -> int | None:
        return self.canvas.current_hit()

    # --- selection -----------------------------------------------------------------------
    def selected_range(self) -> tuple[int, int] | None:
        """The selection as Python str offsets (start, end exclusive), or None."""
        cursor = self.canvas.textCursor()
        if not cursor.hasSelection():
            return None
        return self._offsets.range_to_py(cursor.selectionStart(), cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        """Select Python offsets [start, end) — e.g. after the window snapped to tokens."""
        cursor = QTextCursor(self.canvas.document())
        qt_start, qt_end = self._offsets.range_to_qt(start, end)
        cursor.setPosition(qt_start)
        cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
        self.canvas.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.canvas.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.canvas.setTextCursor(cursor)

    def focusNextPrevChild(self, _next: bool) -> bool:  # noqa: N802
        """Tab never moves focus out of the article: it is the window's "next span" key.

        The canvas asks its parent (this widget) when Tab reaches it unhandled; refusing
        here sends the key on to the window's own key handling.
        """
        return False
