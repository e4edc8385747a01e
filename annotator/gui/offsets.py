"""Python str offsets (code points) <-> Qt text positions (UTF-16 code units).

Every offset is a Python `str` index into the stored text (docs/architecture.md, "Offsets").
Qt counts UTF-16 code units, so each character outside the Basic Multilingual Plane (emoji,
rare CJK, mathematical letters) takes two positions and shifts every later Qt position by one.
This module is the one place that conversion happens; widgets build an `OffsetMap` once per
text and route every offset that crosses the Qt boundary through it.

Qt also rewrites one thing on the way in: `QTextCursor.insertText` turns "\\r\\n" into a
single paragraph break, which would shift every later position. Stored text never holds
"\\r" (the importers normalise newlines), but a widget must not corrupt offsets when handed
text that does, so `qt_text` replaces the "\\r" of each "\\r\\n" by an invisible zero-width
space: same length, same line structure.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CR_BEFORE_LF = re.compile("\r(?=\n)")
ZERO_WIDTH_SPACE = "\u200b"


def qt_text(text: str) -> str:
    """The text to hand to a QTextDocument so that its positions map one-to-one to `text`'s."""
    return _CR_BEFORE_LF.sub(ZERO_WIDTH_SPACE, text) if "\r" in text else text


class OffsetMap:
    """Converts between offsets into one text and positions in the Qt document showing it."""

    __slots__ = ("_astral", "_qt_ends", "_qt_starts", "length", "qt_length")

    def __init__(self, text: str):
        # Python indices of the non-BMP characters, and where each starts and ends in UTF-16.
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._qt_starts = [index + k for k, index in enumerate(self._astral)]
        self._qt_ends = [start + 2 for start in self._qt_starts]
        self.length = len(text)
        self.qt_length = self.length + len(self._astral)

    def to_qt(self, offset: int) -> int:
        """Qt position of Python offset `offset` (0 <= offset <= len(text))."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside the text (0..{self.length})")
        return offset + bisect_left(self._astral, offset)

    def to_py(self, position: int, *, round_up: bool = False) -> int:
        """Python offset of Qt position `position`.

        A position between the two halves of a surrogate pair (Qt never puts a cursor there,
        but a raw layout hit test can) rounds down to the start of that character, or up to
        its end with `round_up` — use that for the exclusive end of a range.
        """
        if not 0 <= position <= self.qt_length:
            raise ValueError(f"Qt position {position} outside the document (0..{self.qt_length})")
        before = bisect_right(self._qt_ends, position)
        offset = position - before
        inside_pair = before < len(self._qt_starts) and self._qt_starts[before] < position
        return offset if round_up or not inside_pair else offset - 1

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def range_to_py(self, start: int, end: int) -> tuple[int, int]:
        """A Qt range as Python offsets, widened to whole characters."""
        return self.to_py(start), self.to_py(end, round_up=True)
