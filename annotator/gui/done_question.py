"""Ctrl+Enter's question: "Accept the N suggestions still undecided and finish?" (Enter
confirms).

Done accepts what is left undecided, so by default it asks first. An annotator who finds the
question in the way turns it off for themselves ("Don't ask me again" here, or View → Ask
before Done); that choice is per-user UI state, kept in QSettings, never in the project. A
project whose admin turned on the team's rule (Project menu, `project_settings.DONE_ASKS`)
asks everyone, and then the question offers no way out of it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from annotator.gui.app import settings

ASKS_KEY = "done/asks"
STOP_ASKING = "Don't ask me again (View → Ask before Done)"


def asks() -> bool:
    """The annotator's own choice: ask unless they turned it off."""
    return settings().value(ASKS_KEY, True, type=bool)


def set_asks(on: bool) -> None:
    settings().setValue(ASKS_KEY, on)


def question(parent: QWidget, pending: int, *, optional: bool) -> QMessageBox:
    """The question box (Yes is the default button, so Enter confirms); with `optional`, a
    check box to stop asking."""
    box = QMessageBox(QMessageBox.Icon.Question, "Done",
                      f"Accept the {pending} suggestions still undecided and finish?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    if optional:
        box.setCheckBox(QCheckBox(STOP_ASKING, box))
    return box


def ask(parent: QWidget, pending: int, *, optional: bool) -> bool:
    """Ask; a yes with "don't ask me again" ticked turns asking off for this annotator."""
    box = question(parent, pending, optional=optional)
    yes = box.exec() == QMessageBox.StandardButton.Yes
    if yes and optional and box.checkBox().isChecked():
        set_asks(False)
    box.deleteLater()
    return yes
