"""The left panel: the document list with status/source/cluster filters and full-text search.

Excluded documents are left out unless "excluded" is ticked, and then greyed. The cluster
filter keeps the documents of any story or duplicate cluster, or of the open document's.

Where work was handed out (`annotator assign`) the list holds the annotator's own documents
unless `everything` is asked for (View → All documents).

Search runs as you type (after a short pause) on the interactive lane of the panel's own job
runner (a suggestion run on the window's never delays it); "searching…" shows while it runs, a newer
query supersedes an older one, and Esc cancels. Besides words, a search names annotations
(`label:ORG state:suggested annotator:alice origin:pattern`, `store/search.py`); a term named
wrongly is said in one sentence under the box, and the list stays as it was.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from annotator.core.model import SET_STATUSES
from annotator.core.store import Store
from annotator.core.store.documents import VARYING_FIELDS
from annotator.core.store.search import QueryError, parse
from annotator.core.team.assign import follows_assignment
from annotator.gui.models.document_list import COLUMNS, DocumentListModel
from annotator.gui.panels.tables import list_table
from annotator.gui.workers import JobRunner, Task

SEARCH_PAUSE_MS = 200
# the cluster filter: (text, (kind, which)); which "any" or "this" (the open document's)
CLUSTER_FILTERS = (("any cluster", None), ("in a story", ("story", "any")),
                   ("near-duplicates", ("duplicate", "any")), ("this story", ("story", "this")),
                   ("these duplicates", ("duplicate", "this")))


class DocumentListPanel(QWidget):
    documentChosen = Signal(str)

    def __init__(self, store: Store, annotator: str, parent=None, *, everything: bool = False):
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.everything = everything
        self.runner = JobRunner(store, self)
        self._task: Task | None = None
        self._choosing = False

        self.search = QLineEdit(placeholderText="Search text, or label:ORG state:suggested… "
                                                "(Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.searching = QLabel("searching…")
        self.searching.setStyleSheet("color: #6b7280;")
        self.searching.hide()
        self.problem = QLabel(wordWrap=True, visible=False)
        self.problem.setStyleSheet("color: #b91c1c;")
        self.status = QComboBox()
        self.status.addItem("any status", None)
        for status in SET_STATUSES:
            self.status.addItem(status.replace("_", " "), status)
        self.source = QComboBox()
        self.source.addItem("any source", None)
        self.cluster = QComboBox()
        for text, which in CLUSTER_FILTERS:
            self.cluster.addItem(text, which)
        self.excluded = QCheckBox("excluded")
        self.excluded.setToolTip("also list the documents excluded from the dataset (greyed)")

        self.model = DocumentListModel(
            store, annotator, self, assigned=follows_assignment(store, everything=everything))
        self.view = list_table(self.model,
                               ("Reuters", "2026-01-07", "in progress", "999", "999",
                                "alice, bob", "dup 9 · story 99"))
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setMinimumSectionSize(24)
        self.refresh_sources()
        self.view.selectionModel().currentRowChanged.connect(self._on_row)

        filters = self.filter_row = QHBoxLayout()  # the review queue adds its own filters
        filters.addWidget(self.status)
        filters.addWidget(self.source)
        curation = QHBoxLayout()
        curation.addWidget(self.cluster)
        curation.addWidget(self.excluded)
        curation.addWidget(self.searching)
        curation.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.problem)
        layout.addLayout(filters)
        layout.addLayout(curation)
        layout.addWidget(self.view)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._timer.start)
        self.status.currentIndexChanged.connect(self.apply_filters)
        self.source.currentIndexChanged.connect(self.apply_filters)
        self.cluster.currentIndexChanged.connect(self.apply_filters)
        self.excluded.toggled.connect(self.apply_filters)

    def refresh_sources(self) -> None:
        """The source filter and the columns follow the project (an import may bring new
        sources, dates, clusters): a column of a document field that holds one value in every
        document (an empty Date, a single source) says nothing, and hides."""
        known = {self.source.itemData(i) for i in range(1, self.source.count())}
        for source in self.store.documents.sources():
            if source not in known:
                self.source.addItem(source, source)
        fields = [column for column in COLUMNS if column in VARYING_FIELDS]
        varying = self.store.documents.varying(fields)
        for column in fields:
            self.view.setColumnHidden(COLUMNS.index(column), column not in varying)

    def filters(self) -> dict[str, Any]:
        return {"search": self.search.text().strip() or None, "status": self.status.currentData(),
                "source": self.source.currentData(), "cluster": self._cluster(),
                "excluded": self.excluded.isChecked()}

    def _cluster(self) -> tuple[str, str | None] | None:
        """The cluster filter as `ids_in_order` takes it; "this" is the open document's."""
        chosen = self.cluster.currentData()
        if chosen is None:
            return None
        kind, which = chosen
        if which == "any":
            return kind, None
        doc = self.store.documents.get(self.model.current) if self.model.current else None
        own = doc and (doc.cluster_id if kind == "story" else doc.duplicate_id)
        return kind, own or self.model.current or ""

    def apply_filters(self) -> None:
        """Re-read the ids for the current filters on the worker; the newest query wins."""
        if self._task is not None:
            self._task.cancel()
        filters, annotator, everything = self.filters(), self.annotator, self.everything
        try:
            parse(filters["search"] or "")
        except QueryError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            self._task = None
            self.searching.hide()
            return
        self.problem.hide()
        self._task = self.runner.start(
            lambda store: store.documents.ids_in_order(
                annotator=annotator, assigned=follows_assignment(store, everything=everything),
                **filters),
            self._show_ids, self._failed)
        self.searching.show()

    def show_everything(self, on: bool) -> None:
        """List every document (`on`) or, where work was handed out, only the annotator's."""
        self.everything = on
        self.apply_filters()

    def cancel_search(self) -> None:
        """Esc: drop the running query (its result is never shown); from the search box, also
        clear what was typed, so the list shows every document again."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.searching.hide()
        if self.search.hasFocus() and self.search.text():
            self.search.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter in the search box searches at once and is the box's own key: the window's
        Enter (accept the focused span) never acts from inside a text field."""
        if watched is self.search and event.type() in (QEvent.Type.ShortcutOverride,
                                                       QEvent.Type.KeyPress) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self._timer.stop()
                self.apply_filters()
            return True
        return super().eventFilter(watched, event)

    def _show_ids(self, ids: list[str]) -> None:
        self._task = None
        self.searching.hide()
        current = self.model.current
        self.model.set_ids(ids)
        self.model.set_current(current)
        self.select(current)

    def _failed(self, error: str) -> None:
        self._task = None
        self.searching.hide()
        self.search.setToolTip(f"search failed: {error}")

    def select(self, doc_id: str | None) -> None:
        """Mark the open document in the list without opening it again."""
        self.model.set_current(doc_id)
        row = self.model.row_of(doc_id) if doc_id else None
        if row is None:
            return
        self.model.show_row(row)
        self._choosing = True
        try:
            index = self.model.index(row, 0)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)
        finally:
            self._choosing = False

    def neighbour(self, doc_id: str, step: int) -> str | None:
        """The document `step` rows away in the list as filtered now."""
        row = self.model.row_of(doc_id)
        if row is None:
            return self.model.doc_id(0) if self.model.total() else None
        target = row + step
        return self.model.doc_id(target) if 0 <= target < self.model.total() else None

    def _on_row(self, current, _previous) -> None:
        if not self._choosing and current.isValid():
            self.documentChosen.emit(self.model.doc_id(current.row()))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
