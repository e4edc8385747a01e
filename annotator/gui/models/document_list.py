"""The document list: ids first, rows fetched in pages as the view scrolls.

A project of 100,000 articles opens at once because only the ordered ids are read up front
(the pattern of Anki's browser table and Qt's fetchMore example); titles, statuses and span
counts are read a page at a time, when a row is first shown, and re-read for one document
when its work changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from annotator.core.store import Store

COLUMNS = ("title", "source", "date", "status", "suggested", "accepted", "done_by", "cluster")
HEADERS = ("Title", "Source", "Date", "Status", "Sugg.", "Acc.", "Done by", "Cluster")
TOOLTIPS = {"suggested": "entity suggestions still undecided",
            "accepted": "accepted entities",
            "done_by": "who else finished the document (a teammate's work shows live)",
            "cluster": "reports of the document's story, and its near-duplicate copies "
                       "(annotator curate clusters)"}
EXCLUDED = QColor("#9ca3af")  # excluded documents are greyed
PAGE = 200

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, store: Store, annotator: str, parent=None, *, assigned: bool = False,
                 excluded: bool = False):
        super().__init__(parent)
        self._store = store
        self._annotator = annotator
        self._ids: list[str] = []
        self._row_of: dict[str, int] | None = None
        self._shown = 0
        self._rows: dict[str, dict[str, Any]] = {}
        self._current: str | None = None
        # the unfiltered list (or the annotator's assigned documents) on the UI thread: a
        # filtered one is read on the panel's worker
        self.set_ids(store.documents.ids_in_order(annotator=annotator, assigned=assigned,
                                                  excluded=excluded))

    def set_ids(self, ids: list[str]) -> None:
        """Show these ids (e.g. a search result read on a worker thread)."""
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._shown = min(PAGE, len(ids))
        self._rows.clear()
        self.endResetModel()

    def doc_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, doc_id: str) -> int | None:
        if self._row_of is None:
            self._row_of = {doc_id: row for row, doc_id in enumerate(self._ids)}
        return self._row_of.get(doc_id)

    def show_row(self, row: int) -> None:
        """Extend the shown rows to the page holding `row` (to select a document far down the
        list) in one insertion; their data is still read only when drawn."""
        if row < self._shown:
            return
        last = min(len(self._ids), (row // PAGE + 1) * PAGE)
        self.beginInsertRows(QModelIndex(), self._shown, last - 1)
        self._shown = last
        self.endInsertRows()

    def total(self) -> int:
        return len(self._ids)

    @property
    def current(self) -> str | None:
        return self._current

    def set_current(self, doc_id: str | None) -> None:
        """The open document is drawn bold."""
        previous, self._current = self._current, doc_id
        for changed in (previous, doc_id):
            self.refresh(changed, reread=False)

    def refresh(self, doc_id: str | None, *, reread: bool = True) -> None:
        """Re-read one document's row (its status or counts changed)."""
        row = self.row_of(doc_id) if doc_id else None
        if row is None or row >= self._shown:
            return
        if reread:
            self._rows.update(self._store.documents.summaries([doc_id], self._annotator))
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

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
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.FontRole:
            if self._ids[index.row()] == self._current:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("suggested", "accepted"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return EXCLUDED if self._row(index.row()).get("curation") == "excluded" else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        if role == Qt.ItemDataRole.ToolTipRole and row.get("curation") == "excluded":
            return f"excluded: {row.get('exclude_reason') or 'no reason given'}"
        if column == "cluster":
            return cluster_label(row)
        value = row.get(column)
        if column == "status":  # a flag's note: ⚑ in the list, the words in the tooltip
            status, note = (value or "").replace("_", " "), row.get("note")
            if note and role == Qt.ItemDataRole.ToolTipRole:
                return f"{status}: {note}"
            return f"⚑ {status}" if note else status
        if column in ("suggested", "accepted"):
            return str(value) if value else ""
        if column == "done_by":
            return ", ".join(value or ())
        return value or ""

    def _row(self, row: int) -> dict[str, Any]:
        doc_id = self._ids[row]
        if doc_id not in self._rows:
            start = row - row % PAGE
            page = self._ids[start:start + PAGE]
            self._rows.update(self._store.documents.summaries(page, self._annotator))
        return self._rows.get(doc_id, {})


def cluster_label(row: dict[str, Any]) -> str:
    """"story 5" for one of five reports of a story, "dup 2 · story 5" when it also has a
    near-duplicate copy; empty for a document alone (or never grouped)."""
    story, copies = row.get("story_size") or 0, row.get("copies") or 0
    if story < 2:
        return ""
    return (f"dup {copies} · " if copies > 1 else "") + f"story {story}"
