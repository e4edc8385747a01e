"""The span list of the right panel: every span in text order, with accept/reject buttons
for the mouse; clicking a row focuses that span (the keyboard path is Tab)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.gui.models.span_table import SpanTableModel
from annotator.gui.panels.tables import list_table


class SpansPanel(QWidget):
    spanClicked = Signal(int)
    acceptClicked = Signal()
    rejectClicked = Signal()

    def __init__(self, schema: Schema, parent=None):
        super().__init__(parent)
        self.model = SpanTableModel(schema, self)
        self.view = list_table(self.model, ("■ PERSON", "pattern", "1.00", "suggested"))
        self.view.setFocusPolicy(self.view.focusPolicy().NoFocus)  # keys stay with the map
        self.view.clicked.connect(lambda index: self.spanClicked.emit(
            self.model.span_at(index.row()).id))

        self.accept_button = QPushButton("Accept (Enter)")
        self.reject_button = QPushButton("Reject / delete (X)")
        for button in (self.accept_button, self.reject_button):
            button.setFocusPolicy(button.focusPolicy().NoFocus)
        self.accept_button.clicked.connect(self.acceptClicked)
        self.reject_button.clicked.connect(self.rejectClicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.show_focus(None)

    def set_spans(self, text: str, spans: list[Span], changed: set[int] | None = None) -> None:
        self.model.set_spans(text, spans, changed)

    def show_focus(self, span: Span | None) -> None:
        row = self.model.row_of(span.id) if span else None
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
        else:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)
        self.accept_button.setEnabled(span is not None and span.state != "accepted")
        self.reject_button.setEnabled(span is not None)
