"""Markers in the article's scroll bar: where the undecided suggestions and the claims are.

In a long article the annotator sees at a glance what is left to decide below and above the
screen, the way code editors mark search hits and errors. Positions are fractions of the
document's height, read from Qt's own layout; they are computed again only when the marks or
the layout change (coalesced by a short timer), never on paint.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QTextDocument
from PySide6.QtWidgets import QScrollBar, QStyle, QStyleOptionSlider

from annotator.gui.article_view.marks import ENTITY, MarkSet

UNDECIDED = QColor("#d97706")   # amber: a suggestion still to decide
CLAIM = QColor("#2563eb")
MARKER_HEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class Marker:
    fraction: float  # of the document's height, 0 at the top
    kind: str        # "undecided" or "claim"


def markers(doc: QTextDocument, marks: MarkSet) -> list[Marker]:
    """A marker per undecided entity suggestion and per claim content, in text order."""
    layout = doc.documentLayout()
    layout.blockBoundingRect(doc.lastBlock())  # Qt lays out lazily: the whole height first
    height = layout.documentSize().height()
    if height <= 0:
        return []
    found: list[Marker] = []
    for mark in marks.marks:
        if mark.kind == ENTITY and mark.state == "suggested":
            kind = "undecided"
        elif mark.kind == "claim" and mark.state != "rejected":
            kind = "claim"
        else:
            continue
        block = doc.findBlock(mark.start)
        top = layout.blockBoundingRect(block).top()
        line = block.layout().lineForTextPosition(mark.start - block.position())
        found.append(Marker((top + (line.y() if line.isValid() else 0)) / height, kind))
    return found


class MarkerBar(QScrollBar):
    """A vertical scroll bar that draws markers over its groove."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self._markers: list[Marker] = []

    def set_markers(self, found: list[Marker]) -> None:
        self._markers = found
        self.update()

    def markers(self) -> list[Marker]:
        return self._markers

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._markers:
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                             QStyle.SubControl.SC_ScrollBarGroove, self)
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        drawn: set[tuple[int, str]] = set()  # one rectangle per pixel row and kind
        for marker in self._markers:
            y = int(groove.top() + marker.fraction * (groove.height() - MARKER_HEIGHT))
            if (y, marker.kind) in drawn:
                continue
            drawn.add((y, marker.kind))
            painter.setBrush(UNDECIDED if marker.kind == "undecided" else CLAIM)
            left = groove.left() + (0 if marker.kind == "undecided" else groove.width() / 2)
            painter.drawRect(QRectF(left + 1, y, groove.width() / 2 - 1, MARKER_HEIGHT))
        painter.end()
