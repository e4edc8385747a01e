"""The one conversion between str offsets and Qt's UTF-16 positions (docs/architecture.md)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.gui.offsets import ZERO_WIDTH_SPACE, OffsetMap, qt_text

# Emoji (one with a skin-tone modifier: two astral code points), a non-BMP math letter, a
# tab, a non-breaking space, curly quotes, a non-breaking hyphen and a BMP CJK character.
MIXED = "Hi 😀 “she said”\tnow\u00a0𝐀 👍🏽 Israeli\u2011Syrian 中文 end"


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_every_python_offset_maps_to_the_utf16_length_of_the_prefix():
    offsets = OffsetMap(MIXED)
    for i in range(len(MIXED) + 1):
        assert offsets.to_qt(i) == utf16_length(MIXED[:i])
    assert offsets.qt_length == utf16_length(MIXED)


def test_round_trip_python_to_qt_to_python():
    offsets = OffsetMap(MIXED)
    assert [offsets.to_py(offsets.to_qt(i)) for i in range(len(MIXED) + 1)] \
        == list(range(len(MIXED) + 1))


def test_positions_inside_a_surrogate_pair_round_down_or_up():
    text = "a😀b"
    offsets = OffsetMap(text)
    assert [offsets.to_py(p) for p in range(5)] == [0, 1, 1, 2, 3]
    assert [offsets.to_py(p, round_up=True) for p in range(5)] == [0, 1, 2, 2, 3]
    assert offsets.range_to_py(2, 2) == (1, 2)  # half an emoji selected = the whole emoji


def test_bmp_only_text_is_the_identity():
    text = "tab\tnbsp\u00a0“curly” ‘quotes’ — dash"
    offsets = OffsetMap(text)
    assert all(offsets.to_qt(i) == i == offsets.to_py(i) for i in range(len(text) + 1))


def test_offsets_outside_the_text_are_refused():
    offsets = OffsetMap("a😀")
    with pytest.raises(ValueError, match="outside the text"):
        offsets.to_qt(3)
    with pytest.raises(ValueError, match="outside the document"):
        offsets.to_py(4)


def test_qt_document_agrees_with_the_map(qapp):
    """Select each character through QTextCursor at the mapped positions: Qt shows that char."""
    text = MIXED + "\nsecond 😀 line"
    doc = QTextDocument()
    doc.setPlainText(qt_text(text))
    offsets = OffsetMap(text)
    for i, char in enumerate(text):
        cursor = QTextCursor(doc)
        cursor.setPosition(offsets.to_qt(i))
        cursor.setPosition(offsets.to_qt(i + 1), QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == ("\u2029" if char == "\n" else char)


def test_crlf_keeps_its_length_in_the_qt_text(qapp):
    """Qt turns "\\r\\n" into one paragraph break; qt_text keeps one position per character."""
    text = "one\r\ntwo 😀\r\nthree\rfour"
    shown = qt_text(text)
    assert len(shown) == len(text)
    assert shown == f"one{ZERO_WIDTH_SPACE}\ntwo 😀{ZERO_WIDTH_SPACE}\nthree\rfour"
    doc = QTextDocument()
    doc.setPlainText(shown)
    offsets = OffsetMap(text)
    assert doc.characterCount() - 1 == offsets.qt_length
    cursor = QTextCursor(doc)
    start = text.index("three")
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(start + 5), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "three"


def test_stored_text_goes_to_qt_unchanged():
    text = "no carriage returns\there\u00a0“quoted” 😀\n"
    assert qt_text(text) is text
