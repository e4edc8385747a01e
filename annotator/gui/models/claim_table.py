"""The claims of the open document, for the side panel's Claims tab: content, source, cue,
type and state in one row each, the full content in the tooltip. Claims are few per
article, so every change resets the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import Claim, Span
from annotator.gui.models.span_table import STATE_COLORS
from annotator.gui.span_display import snippet

HEADERS = ("Content", "Source", "Cue", "Type", "State")
PART_WIDTH = 24
CONTENT_WIDTH = 60

Index = QModelIndex | QPersistentModelIndex


class ClaimTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._text = ""
        self._claims: list[Claim] = []
        self._spans: dict[int, Span] = {}

    def set_claims(self, text: str, claims: list[Claim], spans: dict[int, Span]) -> None:
        """Show `claims` in the text order of their contents."""
        self.beginResetModel()
        self._text, self._spans = text, spans
        self._claims = sorted((c for c in claims if c.content_span_id in spans),
                              key=lambda c: (spans[c.content_span_id].start, c.id))
        self.endResetModel()

    def claim_at(self, row: int) -> Claim:
        return self._claims[row]

    def row_of(self, claim_id: int | None) -> int | None:
        return next((i for i, c in enumerate(self._claims) if c.id == claim_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def _part(self, claim: Claim, column: int) -> Span | None:
        span_id = (claim.content_span_id, claim.source_span_id, claim.cue_span_id)[column]
        return self._spans.get(span_id) if span_id else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        claim, column = self._claims[index.row()], index.column()
        content = self._spans[claim.content_span_id]
        if role == Qt.ItemDataRole.DisplayRole:
            if column < 3:
                span = self._part(claim, column)
                width = CONTENT_WIDTH if column == 0 else PART_WIDTH
                return snippet(self._text, span, width) if span else "—"
            return claim.type.replace("_", " ") if column == 3 else content.state
        if role == Qt.ItemDataRole.ToolTipRole and column < 3:
            span = self._part(claim, column)
            return " ".join(self._text[span.start:span.end].split()) if span else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            return QBrush(QColor(STATE_COLORS.get(content.state, "#000000")))
        return None
