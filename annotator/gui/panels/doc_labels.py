"""Document-level labels from the schema: radio buttons for an exclusive label, checkboxes
otherwise. Showing a set's cats never writes; only a click does, through an action."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractButton, QButtonGroup, QCheckBox, QGroupBox, QHBoxLayout,
                               QRadioButton, QVBoxLayout, QWidget)

from annotator.core.schema import Schema
from annotator.gui.keyboard import cat_keys

SMALL_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")  # narrow: the row keeps its width


class DocLabelsPanel(QGroupBox):
    labelToggled = Signal(str, str, bool)  # name, option, checked

    def __init__(self, schema: Schema, parent=None):
        super().__init__("Document (Ctrl + the small digit)", parent)
        keys = cat_keys(schema)
        self.buttons: dict[tuple[str, str], QAbstractButton] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        for label in schema.document_labels:
            row = QWidget(toolTip=label.description)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            group = QButtonGroup(self)
            group.setExclusive(False)  # exclusivity is the schema's rule, applied by set_cats
            for option in label.options:
                digit = keys.get((label.name, option), "")
                button = (QRadioButton if label.exclusive else QCheckBox)(
                    option.replace("_", " ") + digit.translate(SMALL_DIGITS))
                button.setToolTip(f"Ctrl+{digit}" if digit else "")
                button.setFocusPolicy(button.focusPolicy().NoFocus)
                button.clicked.connect(
                    lambda checked, n=label.name, o=option: self.labelToggled.emit(n, o, checked))
                group.addButton(button)
                row_layout.addWidget(button)
                self.buttons[(label.name, option)] = button
            row_layout.addStretch()
            layout.addWidget(row)
        self.setVisible(bool(schema.document_labels))

    def show_cats(self, cats: dict[str, Any]) -> None:
        for (name, option), button in self.buttons.items():
            value = cats.get(name)
            button.setChecked(value == option or (isinstance(value, list) and option in value))
