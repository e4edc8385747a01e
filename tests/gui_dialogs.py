"""Helpers shared by the Import and Export dialog tests: both are `JobDialog`s opened from
the window's keyboard map, and both are waited for on `jobFinished`, never on a clock."""

from __future__ import annotations

from test_gui_session import open_window

JOB_TIMEOUT_MS = 60_000


def open_dialog(qtbot, store, shortcut: str, dialog_class):
    """A window on `store` (no model) and the dialog its `shortcut` opened."""
    window = open_window(qtbot, store, suggest=False)
    window.shortcuts[shortcut].trigger()
    dialog = window.findChild(dialog_class)
    qtbot.waitExposed(dialog)
    return window, dialog


def run(qtbot, dialog):
    """Press the dialog's run button and return what the job finished with."""
    with qtbot.waitSignal(dialog.jobFinished, timeout=JOB_TIMEOUT_MS) as finished:
        dialog.run_button.click()
    return finished.args[0]
