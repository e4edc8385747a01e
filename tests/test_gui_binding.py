"""The Qt binding must not leak references to None: PySide6 6.12.0 on Python 3.11 dropped one
on every void method call, which aborts the app ("none_dealloc") after minutes of work."""

import sys

import pytest
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.usefixtures("qapp")


def test_void_qt_calls_keep_the_reference_count_of_none():
    label, pen = QLabel(), QPen()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
        pen.setWidth(2)
    assert abs(sys.getrefcount(None) - before) < 100
