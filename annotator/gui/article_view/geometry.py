"""Where a range of the document sits on screen: one rectangle per laid-out line it covers.

Read from the QTextDocument's own layout (block -> QTextLayout -> QTextLine), so the boxes
follow wrapping, tabs, the reserved tag space and any font exactly as Qt draws the text.
Rectangles are in document coordinates; the canvas shifts them by the scroll offset.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QTextDocument


def fragments(doc: QTextDocument, start: int, end: int) -> list[QRectF]:
    """Line rectangles (text height, no line spacing) covering Qt positions [start, end)."""
    layout = doc.documentLayout()
    rects: list[QRectF] = []
    block = doc.findBlock(start)
    while block.isValid() and block.position() < end:
        origin = layout.blockBoundingRect(block).topLeft()  # also lays the block out
        text_layout = block.layout()
        base = block.position()
        first = max(start, base) - base
        last = min(end, base + block.length() - 1) - base
        line_number = text_layout.lineForTextPosition(first).lineNumber()
        while 0 <= line_number < text_layout.lineCount():
            line = text_layout.lineAt(line_number)
            line_start, line_end = line.textStart(), line.textStart() + line.textLength()
            if line_start >= last and rects and line_start > first:
                break
            x1 = line.cursorToX(max(first, line_start))[0]
            x2 = line.cursorToX(min(last, line_end))[0]
            rects.append(QRectF(origin.x() + min(x1, x2), origin.y() + line.y(),
                                abs(x2 - x1), line.height()))
            if line_end >= last:
                break
            line_number += 1
        block = block.next()
    return rects


def position_at(doc: QTextDocument, point: QPointF) -> int:
    """The Qt position nearest a point in document coordinates.

    The point is first moved inside the margins: Qt's fuzzy hit test answers the *end* of the
    document for a point in the top margin.
    """
    margin = doc.documentMargin()
    inside = QPointF(max(point.x(), margin), max(point.y(), margin))
    return doc.documentLayout().hitTest(inside, Qt.HitTestAccuracy.FuzzyHit)


def visible_range(doc: QTextDocument, top: float, bottom: float) -> tuple[int, int]:
    """Qt positions of the first and last character of the blocks between two heights.

    Walks blocks with `blockBoundingRect`, which lays them out on the way: a paint can ask
    before Qt has laid out the part of the document that is about to show. A block that
    still holds no lines after it (an edit while Qt lays a long article out piece by piece
    leaves the rest for later, each such block at the height where the laid-out part ends)
    has nothing to draw: the range ends at the last block that has lines, or every block to
    the end of the article would count as visible.
    """
    layout = doc.documentLayout()
    block = doc.findBlock(position_at(doc, QPointF(0, top)))
    first = block.position()
    last = first
    while block.isValid() and layout.blockBoundingRect(block).top() <= bottom:
        if block.layout().lineCount():
            last = block.position() + block.length()
        block = block.next()
    return first, last
