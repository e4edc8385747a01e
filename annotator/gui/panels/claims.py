"""The Claims tab of the side panel: every claim of the document in one list, so that none
hides in a long article; clicking a row focuses the claim (its arcs show in the article)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.model import Claim, Span
from annotator.gui.models.claim_table import ClaimTableModel
from annotator.gui.panels.tables import list_table


class ClaimsPanel(QWidget):
    contentClicked = Signal(int)  # the clicked claim's content span

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ClaimTableModel(self)
        self.view = list_table(self.model, ("Reuters", "said", "direct quote", "suggested"))
        self.view.setFocusPolicy(self.view.focusPolicy().NoFocus)  # keys stay with the map
        self.view.clicked.connect(lambda index: self.contentClicked.emit(
            self.model.claim_at(index.row()).content_span_id))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_claims(self, text: str, claims: list[Claim], spans: list[Span],
                   active: int | None) -> None:
        self.model.set_claims(text, claims, {s.id: s for s in spans})
        self.show_active(active)

    def show_active(self, claim_id: int | None) -> None:
        row = self.model.row_of(claim_id)
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row, 0)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
