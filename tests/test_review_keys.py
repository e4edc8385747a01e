"""The review keys on the `?` sheet: review mode lists them above the workspace's keys, and
they are the README's table of review keys, row for row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser

from annotator.gui.review.actions import REVIEW_KEYS
from review_work import two_annotators
from test_review_gui import key, open_review

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_lists_the_same_review_keys():
    table = README.read_text(encoding="utf-8").split("| Key | In review mode |", 1)[1]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", table.split("\n\n", 1)[0], re.MULTILINE)
    assert rows[1:] == list(REVIEW_KEYS)


@pytest.mark.usefixtures("qapp")
def test_question_mark_in_review_mode_shows_the_review_keys_first(qtbot, seeded):
    two_annotators(seeded, seeded.documents.ids_in_order()[0])
    open_review(qtbot, seeded)
    key(qtbot, "?")
    qtbot.waitUntil(lambda: any(isinstance(w, QDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    sheet = next(w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QDialog) and w.isVisible())
    text = sheet.findChild(QTextBrowser).toPlainText()
    assert text.index("In review mode") < text.index("gold takes the version shown") \
        < text.index("Keyboard") < text.index("accept the focused suggestion")
    assert "the focused conflict's other versions" in text
    sheet.close()
