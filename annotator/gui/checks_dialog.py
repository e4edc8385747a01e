"""Project → Consistency checks…: the findings of `annotator lint` over the annotator's own
finished work (or gold, for a reviewer), each a row that opens its document at the place;
below, every place of the chosen finding (document, label, offsets), each opening its
document with the span focused. F applies the fix of a label conflict or missed mention as
one step of the window's undo history; Ctrl+Z here takes the last step back.

The checks run on the window's background lane (the window stays responsive), with the
titles of the documents they name; a fix or an undo goes through the workspace like any
edit, and the checks run again after it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from annotator.core.curate.fixes import fix_finding
from annotator.core.curate.lint import Finding, lint
from annotator.core.rights import GOLD, can_review
from annotator.core.store import Store
from annotator.gui.models.rows_table import RowsTableModel
from annotator.gui.workers import BACKGROUND
from annotator.gui.workspace import Workspace

FIXABLE = ("label_conflict", "missed_mention")
TITLES_AT_ONCE = 500  # documents per title query


def _table(model: RowsTableModel) -> QTableView:
    """A view of whole rows that are read, not edited."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    return view


def _checked(store: Store, annotator: str) -> tuple[list[Finding], dict[str, str]]:
    """The findings and the titles of the documents they name."""
    findings = lint(store, annotator)
    ids = sorted({place["doc_id"] for finding in findings for place in finding.spans})
    titles = {}
    for first in range(0, len(ids), TITLES_AT_ONCE):
        rows = store.documents.summaries(ids[first:first + TITLES_AT_ONCE], annotator)
        titles.update((doc_id, row["title"]) for doc_id, row in rows.items())
    return findings, titles


class ChecksDialog(QDialog):
    def __init__(self, parent: QWidget, workspace: Workspace,
                 go_to: Callable[[str, int, int], None]):
        super().__init__(parent)
        self.setWindowTitle("Consistency checks")
        self.resize(900, 480)
        self.ws = workspace
        self.go_to = go_to  # opens a document with the range start:end shown
        self.findings: list[Finding] = []
        self.titles: dict[str, str] = {}
        self.whose = QComboBox()
        self.whose.addItem(f"my finished work ({workspace.annotator})", workspace.annotator)
        if can_review(workspace.session.role):
            self.whose.addItem("gold", GOLD)
        self.whose.currentIndexChanged.connect(self.run)
        self.state = QLabel()
        self.found: RowsTableModel[Finding] = RowsTableModel(
            ["Rule", "Text", "Finding", "Documents"],
            lambda f: (f.rule, f.text, f.message, str(len(f.documents))), self)
        self.table = _table(self.found)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(lambda index: self.show_place(index.row()))
        self.table.doubleClicked.connect(lambda index: self.show_place(index.row()))
        self.fix_button = QPushButton("Fix (F)")
        self.fix_button.clicked.connect(self.fix)
        # Enter opens the current row's place; as a dialog's default button, Fix would take
        # the Enter the table passes on and apply the fix as well.
        self.fix_button.setAutoDefault(False)
        QShortcut(QKeySequence("F"), self, self.fix)
        # the current row, not the selection: Qt moves the current row after it signals the
        # selection
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_fix())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_places())
        self.spots: RowsTableModel[dict] = RowsTableModel(
            ["Document", "Label", "Characters"],
            lambda p: (self.titles.get(p["doc_id"]) or p["doc_id"][:12], p["label"],
                       f"{p['start']}–{p['end']}"), self)
        self.places = _table(self.spots)
        self.places.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.places.setWordWrap(False)  # a title on one line, elided
        self.places.activated.connect(lambda index: self.show_place(self._row(), index.row()))
        self.places.doubleClicked.connect(
            lambda index: self.show_place(self._row(), index.row()))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo)
        top = QHBoxLayout()
        top.addWidget(QLabel("Check"))
        top.addWidget(self.whose, 1)
        top.addWidget(self.fix_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.places)
        split.setSizes([300, 160])
        layout.addWidget(split, 1)
        layout.addWidget(self.state)
        self.run()

    @property
    def set_annotator(self) -> str:
        return self.whose.currentData()

    def run(self) -> None:
        self.state.setText("checking…")
        self.fix_button.setEnabled(False)
        annotator = self.set_annotator
        self.ws.runner.start(lambda store: _checked(store, annotator), self._show,
                             lambda message: self.state.setText(f"the checks failed: {message}"),
                             lane=BACKGROUND)

    def _show(self, checked: tuple[list[Finding], dict[str, str]]) -> None:
        findings, self.titles = checked
        self.findings = findings
        self.found.set_rows(findings)
        self.state.setText(f"{len(findings)} finding(s)" if findings else "no findings")
        self._show_places()
        if findings:
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_fix()

    def _row(self) -> int:
        return self.table.currentIndex().row()

    def _current(self) -> Finding | None:
        row = self._row()
        return self.findings[row] if 0 <= row < len(self.findings) else None

    def _show_places(self) -> None:
        finding = self._current()
        self.spots.set_rows(finding.spans if finding else [])

    def _update_fix(self) -> None:
        finding = self._current()
        self.fix_button.setEnabled(finding is not None and finding.rule in FIXABLE)

    def show_place(self, row: int, place: int = 0) -> None:
        """Open the document of the finding's `place`-th place with the span focused."""
        where = self.findings[row].spans[place]
        self.go_to(where["doc_id"], where["start"], where["end"])

    def fix(self) -> None:
        finding = self._current()
        if finding is None or finding.rule not in FIXABLE:
            return
        made = {}

        def build():
            made["fix"] = fix_finding(self.ws.session, self.ws.store, finding, self.set_annotator)
            return made["fix"].op

        if self.ws.apply(build, f"fix '{finding.text}'") is None:
            self.state.setText(str(self.ws.last_error or "not fixed"))
            return
        left = made["fix"].left
        self.state.setText(f"fixed '{finding.text}'" + (f"; {left} place(s) left to do by hand"
                                                        if left else "") + " — checking again…")
        self.run()

    def undo(self) -> None:
        """Ctrl+Z: the window's last step back (a fix made here, or an edit), then check again."""
        if self.ws.history.undo_label() is None:
            return
        self.ws.undo()
        self.run()
