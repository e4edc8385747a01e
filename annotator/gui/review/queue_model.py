"""The review queue as the document list's model: one row per queued document with its
annotators, agreement, open conflicts and review state, lowest agreement first (the core's
`review_queue` order). It answers the document list panel's questions (row of a document,
document of a row) like `DocumentListModel`, so the panel's search and selection work on it
unchanged."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from annotator.core.review.queue import CHANGED, REVIEWED, QueueEntry

COLUMNS = ("title", "annotators", "agreement", "conflicts", "state")
HEADERS = ("Title", "Annotators", "Agr.", "Confl.", "State")
TOOLTIPS = {"agreement": "agreed items / (agreed items + conflicts)",
            "conflicts": "conflicts in the merged picture"}
STATE_COLORS = {REVIEWED: "#15803d", CHANGED: "#b45309"}

Index = QModelIndex | QPersistentModelIndex


class ReviewQueueModel(QAbstractTableModel):
    changedDocument = Signal(str)  # a document's work changed: the queue is read again

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[QueueEntry] = []
        self._row_of: dict[str, int] = {}
        self._current: str | None = None

    def set_entries(self, entries: list[QueueEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._row_of = {e.doc_id: row for row, e in enumerate(self._entries)}
        self.endResetModel()

    def set_ids(self, ids: list[str]) -> None:
        """Keep only these documents (the panel's search result), in queue order."""
        wanted = set(ids)
        self.set_entries([e for e in self._entries if e.doc_id in wanted])

    def entry(self, row: int) -> QueueEntry:
        return self._entries[row]

    def entries(self) -> list[QueueEntry]:
        return list(self._entries)

    def doc_id(self, row: int) -> str:
        return self._entries[row].doc_id

    def row_of(self, doc_id: str) -> int | None:
        return self._row_of.get(doc_id)

    def show_row(self, row: int) -> None:
        """Every row is shown already (the queue is read whole)."""

    def total(self) -> int:
        return len(self._entries)

    @property
    def current(self) -> str | None:
        return self._current

    def set_current(self, doc_id: str | None) -> None:
        self._current = doc_id
        if self.total():
            self.dataChanged.emit(self.index(0, 0), self.index(self.total() - 1, 0))

    def refresh(self, doc_id: str | None, *, reread: bool = True) -> None:
        if doc_id is not None:
            self.changedDocument.emit(doc_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS.get(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            flagged = f"\nunder another schema: {', '.join(entry.flagged)}" \
                if entry.flagged else ""
            return f"{entry.title or entry.doc_id}\n{', '.join(entry.annotators)}{flagged}"
        if role == Qt.ItemDataRole.FontRole and entry.doc_id == self._current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == "state" \
                and entry.state in STATE_COLORS:
            return QColor(STATE_COLORS[entry.state])
        return None


def cell(entry: QueueEntry, column: str) -> str:
    """What a queue row shows in a column."""
    if column == "title":
        return entry.title or entry.doc_id[:12]
    if column == "annotators":
        return ", ".join(entry.annotators) + (" ⚑" if entry.flagged else "")
    if column == "agreement":
        return f"{entry.agreement:.0%}"
    if column == "conflicts":
        return str(entry.conflicts)
    return entry.state
