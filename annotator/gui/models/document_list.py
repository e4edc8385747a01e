"""The document list: ids first, rows fetched in pages as the view scrolls.

A project of 100,000 articles opens at once because only the ordered ids are read up front
(the pattern of Anki's browser table and Qt's fetchMore example); titles and statuses are
read a page at a time, when a row is first shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.store import Store

COLUMNS = ("title", "source", "date", "status")
HEADERS = ("Title", "Source", "Date", "Status")
PAGE = 200

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, store: Store, annotator: str, parent=None):
        super().__init__(parent)
        self._store = store
        self._annotator = annotator
        self._ids: list[str] = []
        self._shown = 0
        self._rows: dict[str, dict[str, Any]] = {}
        self.reload()

    def reload(self, **filters: Any) -> None:
        """Read the ordered ids (with list filters) and forget cached rows."""
        self.beginResetModel()
        self._ids = self._store.documents.ids_in_order(annotator=self._annotator, **filters)
        self._shown = min(PAGE, len(self._ids))
        self._rows.clear()
        self.endResetModel()

    def doc_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, doc_id: str) -> int | None:
        try:
            return self._ids.index(doc_id)
        except ValueError:
            return None

    def total(self) -> int:
        return len(self._ids)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._shown < len(self._ids)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        more = min(PAGE, len(self._ids) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        value = row.get(COLUMNS[index.column()]) or ""
        return value.replace("_", " ") if COLUMNS[index.column()] == "status" else value

    def _row(self, row: int) -> dict[str, Any]:
        doc_id = self._ids[row]
        if doc_id not in self._rows:
            start = row - row % PAGE
            page = self._ids[start:start + PAGE]
            self._rows.update(self._store.documents.summaries(page, self._annotator))
        return self._rows.get(doc_id, {})
