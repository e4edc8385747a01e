"""Project → Consistency checks…: the findings of `annotator lint` over the annotator's own
finished work (or gold, for a reviewer), each a row that opens its document at the place,
and a Fix for label conflicts and missed mentions that is one step of the window's undo
history.

The checks run on the window's background lane (the window stays responsive); a fix goes
through the workspace like any edit, and the checks run again after it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from annotator.core.curate.fixes import fix_finding
from annotator.core.curate.lint import Finding, lint
from annotator.core.rights import GOLD, can_review
from annotator.gui.workers import BACKGROUND
from annotator.gui.workspace import Workspace

FIXABLE = ("label_conflict", "missed_mention")


class ChecksDialog(QDialog):
    def __init__(self, parent: QWidget, workspace: Workspace,
                 go_to: Callable[[str, int, int], None]):
        super().__init__(parent)
        self.setWindowTitle("Consistency checks")
        self.resize(900, 480)
        self.ws = workspace
        self.go_to = go_to  # opens a document with the range start:end shown
        self.findings: list[Finding] = []
        self.whose = QComboBox()
        self.whose.addItem(f"my finished work ({workspace.annotator})", workspace.annotator)
        if can_review(workspace.session.role):
            self.whose.addItem("gold", GOLD)
        self.whose.currentIndexChanged.connect(self.run)
        self.state = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Rule", "Text", "Finding", "Documents"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.cellActivated.connect(lambda row, _: self.show_place(row))
        self.table.cellDoubleClicked.connect(lambda row, _: self.show_place(row))
        self.fix_button = QPushButton("Fix (F)")
        self.fix_button.clicked.connect(self.fix)
        QShortcut(QKeySequence("F"), self, self.fix)
        self.table.itemSelectionChanged.connect(self._update_fix)
        top = QHBoxLayout()
        top.addWidget(QLabel("Check"))
        top.addWidget(self.whose, 1)
        top.addWidget(self.fix_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state)
        self.run()

    @property
    def set_annotator(self) -> str:
        return self.whose.currentData()

    def run(self) -> None:
        self.state.setText("checking…")
        self.fix_button.setEnabled(False)
        annotator = self.set_annotator
        self.ws.runner.start(lambda store: lint(store, annotator), self._show,
                             lambda message: self.state.setText(f"the checks failed: {message}"),
                             lane=BACKGROUND)

    def _show(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.table.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            for column, value in enumerate((finding.rule, finding.text, finding.message,
                                            str(len(finding.documents)))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.state.setText(f"{len(findings)} finding(s)" if findings else "no findings")
        if findings:
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_fix()

    def _current(self) -> Finding | None:
        row = self.table.currentRow()
        return self.findings[row] if 0 <= row < len(self.findings) else None

    def _update_fix(self) -> None:
        finding = self._current()
        self.fix_button.setEnabled(finding is not None and finding.rule in FIXABLE)

    def show_place(self, row: int) -> None:
        place = self.findings[row].spans[0]
        self.go_to(place["doc_id"], place["start"], place["end"])

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
