"""The workspace as issue 15 asks for it: keys that always reach the article, claims you can
see, search inside the article, markers for long articles, bulk steps and table filters.

Keys go to `QApplication.focusWidget()` (or, for a window Qt has not activated yet, the
window's own focus widget): the widget a real key press would reach, never a slot.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from test_gui_session import open_window
from test_gui_workspace import docs, state  # noqa: F401  (a fixture used by the tests)

pytestmark = pytest.mark.usefixtures("qapp")


def key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, *, window=None) -> None:
    """One real key press: to the application's focus widget, or to the focus widget of a
    window that is shown but not active (where the keyboard goes just after launch)."""
    target = window.focusWidget() if window is not None else QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def test_keys_typed_before_the_window_is_active_act_on_the_article(qtbot, docs):
    """Issue 15, bug 1: launch, Tab, Enter, Enter, 8 — the 8 landed in the search box. Before
    Qt made the window active its shortcuts did not fire, and Tab walked the focus chain."""
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    ws = window.workspace
    for pressed in (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_8):
        key(qtbot, pressed, window=window)
    syria, israel, paris = (spans[ids[0]][w] for w in ("Syria", "Israel", "Paris"))
    first_two = sorted((syria, israel, paris), key=lambda i: store.spans.get(i).start)
    assert [state(store, i) for i in first_two[:2]] == ["accepted", "accepted"]
    assert store.spans.get(first_two[2]).label == "EVENT"  # 8, on the focused span
    assert window.documents.search.text() == ""
    assert window.focusWidget() is window.article.canvas


def test_keys_act_on_the_article_whatever_was_clicked_and_esc_returns_there(qtbot, docs):
    store, ids, spans = docs
    window = open_window(qtbot, store, suggest=False)
    ws = window.workspace
    QTest.mouseClick(window.documents.status, Qt.MouseButton.LeftButton)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # closes the popup
    key(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.article.canvas
    window.documents.view.setFocus(Qt.FocusReason.MouseFocusReason)
    key(qtbot, Qt.Key.Key_Tab)
    first = min(spans[ids[0]].values(), key=lambda i: store.spans.get(i).start)
    assert ws.focused == first
    key(qtbot, Qt.Key.Key_X)
    assert state(store, first) == "rejected"
    assert window.documents.search.text() == ""
