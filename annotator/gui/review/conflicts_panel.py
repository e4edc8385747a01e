"""The Conflicts panel: a legend (a colour and initials per annotator) and one row per
conflict of the merged picture, `A ORG "Kurdistan24" (alice) vs B GPE "Kurdistan24" (bob)`,
each version behind its holders' initials; settled ones ticked, the focused one selected.
A click on a row focuses that conflict.

The rows are a table model, not rich text (a rich-text page cost ~50 ms to lay out at 60
conflicts). A new picture resets the model; the same picture after a decision, a step or a
cycle keeps each version's text and repaints only the rows whose text changed (the settled
one and the one focused next), not the whole table."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from annotator.gui.panels.tables import list_table
from annotator.gui.review.state import ReviewState

FOCUS_BACKGROUND = "#fef3c7"
SETTLED_TEXT = "#6b7280"
HEADERS = ("Conflict", "", "Kind")

Index = QModelIndex | QPersistentModelIndex


class ConflictsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.state: ReviewState | None = None
        self.shown_rows: list[tuple[str, str, str]] = []
        self._versions: list[list[str]] = []  # per conflict, each version's text

    def set_state(self, state: ReviewState | None) -> None:
        if state is None or self.state is None or state.conflicts != self.state.conflicts:
            self.beginResetModel()
            self.state = state
            self._versions = version_texts(state) if state is not None else []
            self.shown_rows = rows(state, self._versions) if state is not None else []
            self.endResetModel()
            return
        before, self.state = self.shown_rows, state
        self.shown_rows = rows(state, self._versions)
        for n, (old, new) in enumerate(zip(before, self.shown_rows)):
            if old != new:
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(HEADERS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.shown_rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.state is None:
            return None
        n = index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.shown_rows[n][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and n == self.state.focused:
            return QColor(FOCUS_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and n in self.state.settled:
            return QColor(SETTLED_TEXT)
        return None


def version_texts(state: ReviewState) -> list[list[str]]:
    """Per conflict, each version behind its holders' initials: what a decision leaves as
    it is."""
    marks = state.initials()
    return [[f"{''.join(marks[h] for h in version.holders) or '·'} {state.version_text(n, v)}"
             for v, version in enumerate(conflict.versions)]
            for n, conflict in enumerate(state.conflicts)]


def rows(state: ReviewState, versions: list[list[str]]) -> list[tuple[str, str, str]]:
    """Per conflict: its versions (`version_texts`), settled (✓) or open (●), its kind; the
    focused conflict's shown version between » «."""
    found = []
    for n, conflict in enumerate(state.conflicts):
        texts = versions[n]
        if n == state.focused:
            texts = [f"»{text}«" if v == state.shown[n] else text
                     for v, text in enumerate(texts)]
        found.append((" vs ".join(texts), "✓" if n in state.settled else "●", conflict.kind))
    return found


class ConflictsPanel(QWidget):
    conflictClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.legend = QLabel()  # who is who: changes with the picture only
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.counts = QLabel()  # changes with each decision; one plain line, cheap to relay
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.model = ConflictsModel(self)
        self.rows: QTableView = list_table(self.model, ("✓", "label+boundary"))
        self.rows.setWordWrap(False)
        self.rows.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # both sides stay in sight
        self.rows.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the article
        self.rows.clicked.connect(lambda index: self.conflictClicked.emit(index.row()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.legend)
        layout.addWidget(self.counts)
        layout.addWidget(self.rows, 1)

    def show_state(self, state: ReviewState | None) -> None:
        legend = legend_html(state) if state is not None else ""
        if legend != self.legend.text():  # a wrapped rich-text label is costly to relay
            self.legend.setText(legend)
        self.counts.setText(counts_text(state) if state is not None else "")
        self.model.set_state(state)
        if state is not None and state.focused is not None:
            self.rows.scrollTo(self.model.index(state.focused, 0))

    def text(self) -> str:
        """The rows as plain lines (what a reader sees, for tests and tours)."""
        return "\n".join(" ".join(row) for row in (self.model.shown_rows))


def legend_html(state: ReviewState) -> str:
    colors, marks = state.colors(), state.initials()
    people = " &nbsp; ".join(f"<b style='color:{colors[n]}'>{escape(marks[n])}</b> "
                             f"<span style='color:{colors[n]}'>{escape(n)}</span>"
                             for n in state.picture.annotators)
    flagged = (f"<br>under another schema: {escape(', '.join(state.picture.flagged))}"
               if state.picture.flagged else "")
    return f"{people}{flagged}"


def counts_text(state: ReviewState) -> str:
    k = state.picture.min_agree
    rule = (f"; majority rule: {sum(c.resolved is not None for c in state.conflicts)} "
            f"settled by at least {k} of {len(state.picture.annotators)}" if k else "")
    return (f"{len(state.conflicts)} conflicts, {state.open_conflicts} open; "
            f"agreement {state.picture.agreement:.0%}{rule}")
