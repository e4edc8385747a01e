"""The schema's labels with their colors and hotkeys, and the guideline of the label in focus
(the focused span's, else the one last used) — the annotator's rules always in sight."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (QGridLayout, QGroupBox, QLabel, QSizePolicy, QVBoxLayout,
                               QWidget)

from annotator.core.schema import Schema


PARTS = {"source": "who or what the claim is attributed to: a person, an organisation, a "
                   "document; often an entity already marked",
         "cue": "the words that report the claim: said, told, according to, announced"}


class LabelsPanel(QGroupBox):
    def __init__(self, schema: Schema, parent=None):
        super().__init__("Labels", parent)
        self.schema = schema
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        per_column = (len(schema.entities) + 1) // 2
        for i, entity in enumerate(schema.entities):
            chip = QLabel(f"<b>{entity.hotkey or ' '}</b>&nbsp;{html.escape(entity.label)}")
            chip.setStyleSheet(f"background: {entity.color}; color: #111; border-radius: 3px;"
                               " padding: 1px 5px;")
            chip.setToolTip(entity.description)
            chip.setMinimumHeight(chip.fontMetrics().height() + 6)  # room for the padding
            grid.addWidget(chip, i % per_column, i // per_column)
        grid_widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.guideline = QLabel(wordWrap=True)
        self.guideline.setStyleSheet("color: #333;")
        layout = QVBoxLayout(self)
        layout.addWidget(grid_widget)
        layout.addWidget(self.guideline)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.show_guideline(None)

    def show_guideline(self, label: str | None, layer: str = "entity",
                       roles: tuple[str, ...] = ()) -> None:
        """The guideline of what is focused: an entity's label, a claim's type, or what a
        claim's source or cue is; a prompt when nothing is. An entity linked as a claim's
        source or cue (`roles`) shows that guideline under its own."""
        name, text = (label, self._description(label, layer)) if label else (None, None)
        if text is None:
            self.guideline.setText("<i>Focus a span to see its label's guideline (F1: all).</i>")
            return
        parts = [f"<b>{html.escape(str(name))}</b>: {html.escape(text)}"]
        parts += [f"<b>{role.upper()}</b> of a claim: {html.escape(PARTS[role])}"
                  for role in roles if role != layer]
        self.guideline.setText("<br>".join(parts))

    def _description(self, label: str, layer: str) -> str | None:
        if layer == "claim":
            return next((t.description for t in self.schema.claims.types if t.name == label),
                        None)
        if layer in PARTS:
            return PARTS[layer]
        try:
            return self.schema.entity(label).description
        except KeyError:
            return None
