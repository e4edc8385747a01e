"""How marks look: the fills drawn under the text and the outlines, underlines and tags over it.

Visual grammar (kept in one place so the whole view stays consistent):
- entity: rounded box in the label color with the label, in small bold capitals, at its end;
  accepted = solid fill; suggested = light fill + dashed outline; rejected (only when shown)
  = grey box with dotted outline, its text greyed and struck by the layout formats.
- claim roles: underlines below the line, in the claim / source / cue color, one row per
  overlap level, so they never collide with the entity boxes; suggested ones are dashed.
  When a claim is focused or hovered its content, source and cue get a tint and thicker lines.
- arcs: for the claims brought forward, a curve from the source and from the cue up over
  the line and down to the content's start, ending in an arrowhead, its role written at the
  top: who said it and how, linked at a glance.
- the focused span: a thick dark outline around every piece of it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from annotator.gui.article_view.marks import ENTITY, Arc, Mark

BOX_PAD = 2.0          # horizontal padding of an entity box around its text
BOX_RADIUS = 3.0
TAG_GAP = 4.0          # space on both sides of a tag's text inside the reserved gap
UNDERLINE_GAP = 3.0    # from the bottom of the text line to the first underline row
ROW_STEP = 5.0         # between underline rows
MAX_ROW = 2            # deeper overlaps share the last row
UNDERLINE = 2.5
UNDERLINE_LINKED = 4.0
FOCUS_PEN = 3.0
FOCUS_COLOR = QColor("#111827")
ARC_RISE = 16.0        # how far an arc climbs above the higher of its two ends
ARC_PEN = 1.8
ARROW = 5.0            # half-width and length of an arc's arrowhead
HIT_FILL = QColor(253, 224, 71, 150)       # a search hit, under the text
CURRENT_HIT_FILL = QColor(249, 115, 22, 190)  # the hit Enter / F3 went to
REJECTED_FILL = QColor("#eceef1")
REJECTED_LINE = QColor("#9ca3af")
TAG_TEXT = QColor("#1f2937")

Fragments = Callable[[Mark], list[QRectF]]


def tag_font(text_font: QFont) -> QFont:
    font = QFont(text_font)
    font.setFamilies(["DejaVu Sans", *text_font.families()])
    font.setPointSizeF(max(7.0, text_font.pointSizeF() * 0.65))
    font.setBold(True)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
    return font


def tag_width(font: QFont, label: str) -> float:
    return QFontMetricsF(font).horizontalAdvance(label) + 2 * TAG_GAP


def underline_y(line: QRectF, row: int) -> float:
    return line.bottom() + UNDERLINE_GAP + min(row, MAX_ROW) * ROW_STEP


def _fill(color: str, state: str) -> QColor:
    if state == "rejected":
        return REJECTED_FILL
    fill = QColor(color)
    if state == "suggested":
        fill.setAlphaF(0.38)
    return fill


def box(rect: QRectF, *, first: bool, last: bool) -> QRectF:
    return rect.adjusted(-BOX_PAD if first else 0, 0, BOX_PAD if last else 0, 0)


def hit_rect(mark: Mark, rect: QRectF) -> QRectF:
    """The area a click on a mark's fragment may land on (down to its underline for claims)."""
    if mark.kind == ENTITY:
        return box(rect, first=True, last=True)
    return QRectF(rect.left(), rect.top(), rect.width(),
                  underline_y(rect, mark.row) + UNDERLINE_LINKED / 2 - rect.top())


def paint_hits(p: QPainter, hits: list[list[QRectF]], current: list[QRectF]) -> None:
    """Search hits: a marker-pen fill under the text, stronger on the current one."""
    p.setPen(Qt.PenStyle.NoPen)
    for fill, rects in ((HIT_FILL, [r for pieces in hits for r in pieces]),
                        (CURRENT_HIT_FILL, current)):
        p.setBrush(fill)
        for rect in rects:
            p.drawRect(rect.adjusted(-1, 0, 1, 0))


def paint_under(p: QPainter, marks: list[Mark], frags: Fragments, linked: frozenset[int]) -> None:
    """Fills that the text is drawn over: the tint of linked claims, then entity boxes on top."""
    p.setPen(Qt.PenStyle.NoPen)
    for mark in marks:
        if mark.kind != ENTITY and linked.intersection(mark.claim_ids):
            tint = QColor(mark.color)
            tint.setAlphaF(0.13 if mark.kind == "claim" else 0.22)
            p.setBrush(tint)
            for rect in frags(mark):
                p.drawRect(rect)
    for mark in marks:
        if mark.kind == ENTITY:
            rects = frags(mark)
            p.setBrush(_fill(mark.color, mark.state))
            for i, rect in enumerate(rects):
                p.drawRoundedRect(box(rect, first=i == 0, last=i == len(rects) - 1),
                                  BOX_RADIUS, BOX_RADIUS)


def paint_over(p: QPainter, marks: list[Mark], frags: Fragments, linked: frozenset[int],
               focused: int | None, font: QFont, tag_space: Callable[[str], float]) -> None:
    """Outlines, underlines and tags, drawn after the text so that they stay on top."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setFont(font)
    focus_rects: list[QRectF] = []
    for mark in marks:
        rects = frags(mark)
        if not rects:
            continue
        if mark.kind == ENTITY:
            _entity_over(p, mark, rects, tag_space(mark.tag))
        else:
            _underline(p, mark, rects, bool(linked.intersection(mark.claim_ids)))
        if mark.span_id == focused:
            focus_rects += [hit_rect(mark, r) if mark.kind != ENTITY
                            else box(r, first=i == 0, last=i == len(rects) - 1)
                            for i, r in enumerate(rects)]
    if focus_rects:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(FOCUS_COLOR, FOCUS_PEN))
        for rect in _merged(focus_rects):
            p.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), BOX_RADIUS + 1, BOX_RADIUS + 1)


def arc_ends(arc: Arc, frags: Fragments) -> tuple[QPointF, QPointF] | None:
    """Where an arc leaves its source or cue and where it lands on the content: the nearest
    ends, so that "the content, said X" links the content's last line to X on that line
    rather than climbing back over the whole quote."""
    part, content = frags(arc.part), frags(arc.content)
    if not part or not content:
        return None
    if arc.part.start >= arc.content.end:  # after the content: from its first piece back
        piece, land = part[0], content[-1]
        x = land.right() - min(ARROW * 2, land.width() / 2)
    else:  # before it (or inside it): from its last piece on, to the content's start
        piece, land = part[-1], content[0]
        x = land.left() + min(ARROW * 2, land.width() / 2)
    return QPointF(piece.center().x(), piece.top()), QPointF(x, land.top())


def paint_arcs(p: QPainter, arcs: list[Arc], frags: Fragments, font: QFont) -> None:
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setFont(font)
    metrics = QFontMetricsF(font)
    for arc in arcs:
        ends = arc_ends(arc, frags)
        if ends is None:
            continue
        start, end = ends
        rise = ARC_RISE + min(abs(end.x() - start.x()) / 16, ARC_RISE)  # longer ones higher
        top = min(start.y(), end.y()) - rise
        path = QPainterPath(start)
        path.cubicTo(QPointF(start.x(), top), QPointF(end.x(), top), end)
        color = QColor(arc.part.color).darker(115)
        pen = QPen(color, ARC_PEN)
        if arc.part.state == "suggested":
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawPolygon(QPolygonF([end, QPointF(end.x() - ARROW, end.y() - ARROW * 1.4),
                                 QPointF(end.x() + ARROW, end.y() - ARROW * 1.4)]))
        near = path.pointAtPercent(0.3)  # the role is written near the part it names
        width = metrics.horizontalAdvance(arc.role) + 4
        label = QRectF(near.x() - width / 2, near.y() - metrics.height() / 2, width,
                       metrics.height())
        p.setBrush(QColor(255, 255, 255, 230))
        p.drawRoundedRect(label, 2, 2)
        p.setPen(color.darker(140))
        p.drawText(label, Qt.AlignmentFlag.AlignCenter, arc.role)


def _merged(rects: list[QRectF]) -> list[QRectF]:
    """One outline per line piece even when a span shows twice (an entity that is a source)."""
    merged: list[QRectF] = []
    for rect in rects:
        overlapping = next((i for i, seen in enumerate(merged) if seen.intersects(rect)), None)
        if overlapping is None:
            merged.append(rect)
        else:
            merged[overlapping] = merged[overlapping].united(rect)
    return merged


def _entity_over(p: QPainter, mark: Mark, rects: list[QRectF], space: float) -> None:
    color = QColor(mark.color)
    if mark.state != "accepted":
        style = Qt.PenStyle.DashLine if mark.state == "suggested" else Qt.PenStyle.DotLine
        line = color.darker(150) if mark.state == "suggested" else REJECTED_LINE
        pen = QPen(line, 1.3, style)
        pen.setDashPattern([3.0, 2.0] if mark.state == "suggested" else [1.0, 2.0])
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for i, rect in enumerate(rects):
            p.drawRoundedRect(box(rect, first=i == 0, last=i == len(rects) - 1),
                              BOX_RADIUS, BOX_RADIUS)
    end = rects[-1]
    tag = QRectF(end.right() - space + TAG_GAP, end.top(), space - TAG_GAP, end.height())
    text = TAG_TEXT if mark.state == "accepted" else (
        color.darker(220) if mark.state == "suggested" else REJECTED_LINE)
    p.setPen(text)
    p.drawText(tag, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, mark.tag)


def _underline(p: QPainter, mark: Mark, rects: list[QRectF], linked: bool) -> None:
    color = QColor(REJECTED_LINE if mark.state == "rejected" else mark.color)
    if mark.state == "suggested" and not linked:
        color.setAlphaF(0.75)
    pen = QPen(color, UNDERLINE_LINKED if linked else UNDERLINE)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if mark.state != "accepted":
        pen.setStyle(Qt.PenStyle.DashLine if mark.state == "suggested" else Qt.PenStyle.DotLine)
    p.setPen(pen)
    for rect in rects:
        y = underline_y(rect, mark.row)
        p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
