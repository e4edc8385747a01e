"""The document list in review mode: the review queue, filtered by annotator, label and
review state, with the workspace list's full-text search, and under it how many documents
were left out of the queue and why.

It is the workspace's `DocumentListPanel` with the queue as its model: the search box, its
keys, the selection and the neighbours work as there. The queue is read on the panel's
worker, again a moment after a document's work changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel

from annotator.core.project import current_schema
from annotator.core.review.queue import STATES, Queue, review_queue
from annotator.gui.panels.document_list import DocumentListPanel
from annotator.gui.panels.tables import fixed_widths
from annotator.gui.review.queue_model import ReviewQueueModel

REFRESH_MS = 300  # a burst of decisions re-reads the queue once
SEARCH_MISSED = "not matching the search"


class ReviewQueuePanel(DocumentListPanel):
    queueRead = Signal(object)  # the Queue just shown

    def __init__(self, store, annotator: str, parent=None, *, everything: bool = False):
        super().__init__(store, annotator, parent, everything=everything)
        schema = current_schema(store)
        self.schema_hash = schema.hash
        for workspace_only in (self.status, self.source, self.cluster, self.excluded):
            workspace_only.hide()
        self.search.setPlaceholderText("Search the queue's titles and text (Ctrl+F)")
        self.model = ReviewQueueModel(self)
        self.view.setModel(self.model)
        fixed_widths(self.view, ("alice, bob", "100%", "999", "changed since review"))
        self.view.selectionModel().currentRowChanged.connect(self._on_row)
        self.by = _combo("any annotator", [])
        self.label = _combo("any label", [e.label for e in schema.entities]
                            + schema.claim_types + [d.name for d in schema.document_labels])
        self.state = _combo("any state", list(STATES))
        for combo in (self.state, self.by, self.label):
            self.filter_row.addWidget(combo)
            combo.currentIndexChanged.connect(self.apply_filters)
        self.left_out = QLabel()
        self.left_out.setWordWrap(True)
        self.left_out.setStyleSheet("color: #6b7280;")
        self.layout().addWidget(self.left_out)
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self.apply_filters)
        self.model.changedDocument.connect(lambda _doc: self._refresh.start())
        self._show_queue((review_queue(store, schema_hash=self.schema_hash), None))

    def refresh_sources(self) -> None:
        """The queue has no source filter (the annotators' filter follows the queue)."""

    def filters(self) -> dict[str, Any]:
        return {"search": self.search.text().strip() or None,
                "status": self.state.currentData(), "annotator": self.by.currentData(),
                "label": self.label.currentData()}

    def apply_filters(self) -> None:
        """Read the queue (and the search's matches) on the worker; the newest read wins."""
        if self._task is not None:
            self._task.cancel()
        filters, schema_hash = self.filters(), self.schema_hash

        def job(store) -> tuple[Queue, list[str] | None]:
            queue = review_queue(store, annotator=filters["annotator"],
                                 label=filters["label"], state=filters["status"],
                                 schema_hash=schema_hash)
            search = filters["search"]
            return queue, store.documents.ids_in_order(search=search) if search else None

        self._task = self.runner.start(job, self._show_queue, self._failed)
        self.searching.show()

    def _show_queue(self, read: tuple[Queue, list[str] | None]) -> None:
        queue, matching = read
        self._task = None
        self.searching.hide()
        wanted = set(matching) if matching is not None else None
        entries = [e for e in queue.documents if wanted is None or e.doc_id in wanted]
        current = self.model.current
        self.model.set_entries(entries)
        self.model.set_current(current)
        self.select(current)
        left = dict(queue.left_out)
        if len(entries) < len(queue.documents):
            left[SEARCH_MISSED] = len(queue.documents) - len(entries)
        self.left_out.setText(left_out_text(len(entries), left))
        for name in sorted({n for e in queue.documents for n in e.annotators}):
            if self.by.findData(name) < 0:
                self.by.addItem(name, name)
        self.queueRead.emit(queue)


def left_out_text(shown: int, left: dict[str, int]) -> str:
    """`3 to review here; 4 left out: 2 one finished annotator, 2 excluded`."""
    text = f"{shown} in the queue"
    total = sum(left.values())
    if total:
        text += f"; {total} left out: " + ", ".join(f"{n} {why}" for why, n in left.items())
    return text


def _combo(anything: str, items: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(anything, None)
    for item in items:
        combo.addItem(item.replace("_", " "), item)
    return combo
