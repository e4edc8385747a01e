"""The spans of the open document in text order, for the right panel's table.

On an edit only the rows of the spans that changed are redrawn; a span added or removed
resets the (small, one-document) table. Filters (label, state, origin kind: the panel's
choices, and the annotation terms of the search, `label:ORG state:suggested`) narrow the rows
shown; the spans themselves, and the workspace's Tab order, stay whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.gui.span_display import entity_color, snippet

HEADERS = ("Text", "Label", "Origin", "Score", "State")
TEXT_WIDTH = 40
STATE_COLORS = {"suggested": "#6b7280", "accepted": "#166534", "rejected": "#b91c1c"}

Index = QModelIndex | QPersistentModelIndex


def origin_kind(origin: str) -> str:
    """'model', 'pattern' or 'human' — the full origin (model@version) is the tooltip."""
    return "model" if origin.startswith("model:") or "@" in origin else origin


def kind_label(span: Span) -> str:
    """What the Label column says: the entity's label, else the claim layer."""
    return span.label if span.layer == "entity" else span.layer


@dataclass(frozen=True, slots=True)
class SpanFilter:
    """Which rows show; None lets every value through."""

    label: str | None = None   # an entity label, or "claim" / "source" / "cue"
    state: str | None = None
    origin: str | None = None  # "model", "pattern" or "human" (`origin_kind`)

    def keeps(self, span: Span) -> bool:
        return ((self.label is None or kind_label(span) == self.label)
                and (self.state is None or span.state == self.state)
                and (self.origin is None or origin_kind(span.origin) == self.origin))


class SpanTableModel(QAbstractTableModel):
    def __init__(self, schema: Schema, parent=None):
        super().__init__(parent)
        self.schema = schema
        self._text = ""
        self._every: list[Span] = []   # the document's spans
        self._spans: list[Span] = []   # the rows: those the filter keeps
        self._row: dict[int, int] = {}
        self._filters: tuple[SpanFilter, ...] = ()

    def set_filter(self, *filters: SpanFilter) -> None:
        """Show the rows every one of `filters` keeps."""
        self._filters = filters
        self.set_spans(self._text, self._every)

    def every_span(self) -> list[Span]:
        return self._every

    def set_spans(self, text: str, spans: list[Span], changed: set[int] | None = None) -> None:
        """Show `spans`; with `changed` and the same ids as before, redraw only those rows."""
        self._every = list(spans)
        spans = [s for s in spans if all(f.keeps(s) for f in self._filters)]
        same = [s.id for s in spans] == [s.id for s in self._spans]
        self._text = text
        if same and changed is not None:
            self._spans = list(spans)
            for span_id in changed:
                row = self._row.get(span_id)
                if row is not None:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self._spans = list(spans)
        self._row = {s.id: i for i, s in enumerate(self._spans)}
        self.endResetModel()

    def span_at(self, row: int) -> Span:
        return self._spans[row]

    def row_of(self, span_id: int | None) -> int | None:
        return self._row.get(span_id) if span_id is not None else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        span = self._spans[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(span, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._text[span.start:span.end] if column == 0 else span.origin
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return QColor(self._color(span))
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            return QBrush(QColor(STATE_COLORS.get(span.state, "#000000")))
        return None

    def _display(self, span: Span, column: int) -> str:
        if column == 0:
            return snippet(self._text, span, TEXT_WIDTH)
        if column == 1:
            return kind_label(span)
        if column == 2:
            return origin_kind(span.origin)
        if column == 3:
            return f"{span.score:.2f}" if span.score is not None else ""
        return span.state

    def _color(self, span: Span) -> str:
        if span.layer != "entity":
            return self.schema.claims.colors.get(span.layer, "#999999")
        return entity_color(self.schema, span.label)
