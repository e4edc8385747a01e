"""The span list of the right panel: every span in text order, with accept/reject buttons
for the mouse; clicking a row focuses that span (the keyboard path is Tab). Filters above it
narrow the rows to a label, a state, an origin, and so do the annotation terms of the search
(`label:ORG state:suggested origin:pattern`; the table holds the annotator's own spans, so an
`annotator:` term is the document list's alone); a Score column that would say the same for
every row hides."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.core.store.search import ORIGINS, STATES, QueryError, parse
from annotator.gui.models.span_table import HEADERS, SpanFilter, SpanTableModel, kind_label

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
        self._focused: Span | None = None
        self._searched = SpanFilter()  # the search's annotation terms
        self.filters = {name: QComboBox() for name in ("label", "state", "origin")}
        filters = QHBoxLayout()
        for name, combo in self.filters.items():
            combo.setFocusPolicy(combo.focusPolicy().NoFocus)  # keys stay with the map
            combo.addItem(f"any {name}", None)
            combo.currentIndexChanged.connect(self._filter)
            filters.addWidget(combo)
        for name, values in (("state", STATES), ("origin", ORIGINS)):
            for value in values:
                self.filters[name].addItem(value, value)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.show_focus(None)

    def set_spans(self, text: str, spans: list[Span], changed: set[int] | None = None) -> None:
        self._offer_labels(spans)
        self.model.set_spans(text, spans, changed)
        scores = {s.score for s in spans if s.layer == "entity"}
        self.view.setColumnHidden(HEADERS.index("Score"), len(scores) <= 1)

    def set_filter(self, label: str | None = None, state: str | None = None,
                   origin: str | None = None) -> None:
        for name, value in (("label", label), ("state", state), ("origin", origin)):
            combo = self.filters[name]
            combo.setCurrentIndex(max(0, combo.findData(value)))

    def _offer_labels(self, spans: list[Span]) -> None:
        """The label filter offers the labels the document has (and keeps the one chosen)."""
        combo = self.filters["label"]
        chosen = combo.currentData()
        labels = sorted({kind_label(s) for s in spans} | ({chosen} if chosen else set()))
        if labels != [combo.itemData(i) for i in range(1, combo.count())]:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("any label", None)
            for label in labels:
                combo.addItem(label, label)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def set_search(self, text: str) -> None:
        """Follow the search box: its annotation terms filter the rows too (a term named
        wrongly filters nothing; the document list says what is wrong)."""
        try:
            query = parse(text)
        except QueryError:
            query = parse("")
        self._searched = SpanFilter(query.label, query.state, query.origin)
        self._filter()

    def _filter(self) -> None:
        self.model.set_filter(SpanFilter(*(self.filters[n].currentData()
                                           for n in ("label", "state", "origin"))),
                              self._searched)
        self.show_focus(self._focused)  # its row again, if the filter keeps it

    def show_focus(self, span: Span | None) -> None:
        self._focused = span
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
