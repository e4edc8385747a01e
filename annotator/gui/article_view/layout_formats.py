"""Formats that change the text layout without changing the text: room for tags, struck rejects.

A displaCy-style label tag needs horizontal room after the span. Inserting it into the
document would shift every later offset, so instead the span's last character gets extra
letter spacing as wide as its tag, and the tag is painted into that gap. Rejected spans
(when shown) are greyed and struck through the same way. The formats go through a
QSyntaxHighlighter, Qt's mechanism for per-block "additional formats": they take part in
layout, never touch the document's contents, its undo stack or its positions, and a change
re-lays out only the blocks it touches.
"""

from __future__ import annotations

from bisect import bisect_left
from operator import itemgetter
from typing import NamedTuple

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextBlock, QTextCharFormat

from annotator.gui.article_view.marks import MarkSet

REJECTED_TEXT = QColor("#8a8f98")


class _Range(NamedTuple):  # a tuple: hundreds are made, compared and hashed per edit
    start: int   # Qt positions
    end: int
    tag_space: float  # letter spacing in pixels for a tag, else 0
    struck: bool      # a rejected span, shown greyed and struck through


class LayoutFormats(QSyntaxHighlighter):
    """Applies the current marks' layout formats to each block Qt asks about."""

    def __init__(self, document, tag_width):
        super().__init__(document)
        self._tag_width = tag_width  # label -> pixels, from the canvas's tag font
        self._ranges: list[_Range] = []
        self._starts: list[int] = []
        self._longest = 0

    @staticmethod
    def _ranges_for(marks: MarkSet, tag_width) -> list[_Range]:
        ranges = [_Range(m.last_char, m.end, tag_width(m.tag), m.state == "rejected")
                  for m in marks.tag_marks()]
        ranges += [_Range(m.start, m.end, 0.0, True) for m in marks.marks
                   if m.state == "rejected"]
        # A tag range comes after the struck range of the same span, so it wins on the last
        # character and carries the strike itself.
        return sorted(ranges, key=itemgetter(0, 1, 2))

    def set_marks(self, marks: MarkSet) -> list[tuple[int, int]]:
        """Adopt new marks; return the Qt ranges whose layout formats changed."""
        new = self._ranges_for(marks, self._tag_width)
        changed = set(new).symmetric_difference(self._ranges)
        self._ranges = new
        self._starts = [r.start for r in new]
        self._longest = max((r.end - r.start for r in new), default=0)
        return sorted((r.start, r.end) for r in changed)

    def relayout(self, ranges: list[tuple[int, int]]) -> None:
        """Re-apply the formats of every block these ranges touch, and only those."""
        done: set[int] = set()
        for start, end in ranges:
            block = self.document().findBlock(start)
            while block.isValid() and block.position() < end:
                if block.blockNumber() not in done:
                    done.add(block.blockNumber())
                    self.rehighlightBlock(block)
                block = block.next()

    def highlightBlock(self, _text: str) -> None:  # noqa: N802 (Qt override)
        block: QTextBlock = self.currentBlock()
        base, length = block.position(), block.length()
        first = bisect_left(self._starts, base - self._longest)
        for r in self._ranges[first:]:
            if r.start >= base + length:
                break
            if r.end <= base:
                continue
            start = max(r.start, base) - base
            self.setFormat(start, min(r.end, base + length) - base - start, self._format(r))

    def _format(self, r: _Range) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if r.tag_space:
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing(r.tag_space)
        if r.struck:
            fmt.setForeground(REJECTED_TEXT)
            fmt.setFontStrikeOut(True)
        return fmt
