"""The Story tab of the side panel: the other reports of the open document's story (its
cluster, `core/curate/clusters.py`), which of them are near-duplicates of it, and which are
excluded (greyed). A click, or Enter on a row, opens that report.

The rows come from the stored clusters (one indexed read per opened document); nothing is
grouped here. A project never grouped says how to group it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.core.store import Store
from annotator.gui.models.document_list import EXCLUDED
from annotator.gui.panels.tables import list_table

HEADERS = ("Report", "Kind", "Source", "Date")


class StoryPanel(QWidget):
    documentChosen = Signal(str)

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(HEADERS)
        self.view = list_table(self.model, ("dup., excluded", "Reuters", "2026-01-07"))
        self.view.setWordWrap(False)
        self.view.clicked.connect(lambda index: self._open(index.row()))
        self.view.installEventFilter(self)  # Enter opens the row, not the window's accept
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self._ids: list[str] = []

    def show_story(self, doc_id: str | None) -> None:
        """List the other reports of `doc_id`'s story (re-read: after a curation too)."""
        story = self.store.documents.story_of(doc_id) if doc_id else []
        own = next((d for d in story if d["id"] == doc_id), None)
        others = [d for d in story if d["id"] != doc_id]
        self.model.removeRows(0, self.model.rowCount())
        self._ids = [d["id"] for d in others]
        for report in others:
            duplicate = own is not None and report["duplicate_id"] == own["duplicate_id"]
            self.model.appendRow(self._row(report, duplicate))
        self.summary.setText(self._summary(doc_id, own, others))

    @staticmethod
    def _summary(doc_id: str | None, own: dict | None, others: list[dict]) -> str:
        if doc_id is None:
            return ""
        if own is None:
            return "Not grouped yet: <code>annotator curate clusters</code> finds the stories."
        if not others:
            return "No other report of this story."
        copies = sum(1 for d in others if d["duplicate_id"] == own["duplicate_id"])
        return (f"{len(others)} other report(s) of this story"
                + (f", {copies} of them near-duplicate(s) of this one" if copies else "")
                + ". Click or Enter opens one.")

    @staticmethod
    def _row(report: dict[str, Any], duplicate: bool) -> list[QStandardItem]:
        excluded = report["curation"] == "excluded"
        kind = {(True, False): "duplicate", (False, False): "report",
                (True, True): "dup., excluded", (False, True): "excluded"}[duplicate, excluded]
        cells = [report["title"] or report["id"][:12], kind, report["source"] or "",
                 report["date"] or ""]
        items = []
        for text in cells:
            item = QStandardItem(text)
            item.setEditable(False)
            item.setToolTip(f"excluded: {report['exclude_reason'] or 'no reason given'}"
                            if excluded else report["title"])
            if excluded:
                item.setForeground(EXCLUDED)
            items.append(item)
        return items

    def _open(self, row: int) -> None:
        if 0 <= row < len(self._ids):
            self.documentChosen.emit(self._ids[row])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.view and event.type() in (QEvent.Type.ShortcutOverride,
                                                     QEvent.Type.KeyPress) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self._open(self.view.currentIndex().row())
            return True
        return super().eventFilter(watched, event)
