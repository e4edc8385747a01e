"""Exclude the open document: a reason from the short list, or (for a document with
near-duplicates) which copy to keep; a note beside it ("other" needs one). The choice is
turned into an op by the core (`core/curate/exclusion.py`): this dialog only asks."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget,
                               QVBoxLayout, QWidget)


class ExclusionDialog(QDialog):
    def __init__(self, parent: QWidget | None, choices: list[str]):
        super().__init__(parent)
        self.setWindowTitle("Exclude from the dataset")
        self.choices = QListWidget()
        self.choices.addItems(choices)
        self.choices.setCurrentRow(0)
        self.choices.itemDoubleClicked.connect(lambda _item: self.accept())
        self.note = QLineEdit(placeholderText="a note (needed for \"other\")")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Why does this document not belong in the dataset?"))
        layout.addWidget(self.choices)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def answer(self) -> tuple[str, str]:
        return self.choices.currentItem().text(), self.note.text().strip()


def ask_exclusion(parent: QWidget | None, choices: list[str]) -> tuple[str, str] | None:
    """(choice, note), or None when cancelled."""
    dialog = ExclusionDialog(parent, choices)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
