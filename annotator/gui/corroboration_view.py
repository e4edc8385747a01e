"""View → Corroboration of this story…: the claims the open document's story carries in
more than one report (`core.curate.corroborate.story_of`), each group with the outlets that
carry it and, per outlet, on whose word (source) and how it was said (cue).

The grouping runs on the window's background lane; a claim's row opens its document with
the claim's words shown. Opening a document of another story groups that story's claims.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curate.corroborate import Story, StoryClaim, story_of
from annotator.core.rights import GOLD, MODEL
from annotator.gui.workers import BACKGROUND
from annotator.gui.workspace import Workspace

COLUMNS = ["Outlet", "Claim", "Source", "Cue", "Whose"]


class CorroborationView(QDialog):
    grouped = Signal()  # the groups (or why there are none) are shown

    def __init__(self, parent: QWidget, workspace: Workspace,
                 go_to: Callable[[str, int, int], None]):
        super().__init__(parent)
        self.setWindowTitle("Corroboration")
        self.resize(1100, 560)
        self.ws = workspace
        self.go_to = go_to
        self.story: Story | None = None
        self.whose = QComboBox()
        self.whose.addItem("each report's best: gold, finished work, else the model", None)
        self.whose.addItem("the model's suggestions", MODEL)
        self.whose.addItem("gold", GOLD)
        self.whose.addItem(f"my work ({workspace.annotator})", workspace.annotator)
        self.whose.currentIndexChanged.connect(lambda _: self.run())
        refresh = QPushButton("Refresh (F5)")
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.run)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        for column, width in ((0, 200), (2, 190), (3, 110)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemActivated.connect(self.show_claim)
        top = QHBoxLayout()
        top.addWidget(QLabel("Claims of"))
        top.addWidget(self.whose, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.tree, 1)
        workspace.opened.connect(self._opened)
        self.run()

    def run(self) -> None:
        doc_id = self.ws.doc_id
        if doc_id is None:
            self.state.setText("open a document: its story's claims are grouped here")
            self.grouped.emit()
            return
        self.state.setText("grouping the story's claims…")
        whose = self.whose.currentData()
        self.ws.runner.start(lambda store: story_of(store, doc_id, whose), self._show,
                             self._failed, lane=BACKGROUND)

    def _failed(self, message: str) -> None:
        self.state.setText(f"the claims could not be grouped: {message}")
        self.grouped.emit()

    def _opened(self, doc_id: str) -> None:
        if self.story is None or doc_id not in self.story.doc_ids:
            self.run()

    def _show(self, story: Story) -> None:
        self.story = story
        self.tree.clear()
        if story.id is None:
            self.state.setText("this document's story is not known yet: run `annotator curate "
                               "clusters` (or refresh the clusters) first")
        elif len(story.doc_ids) < 2:
            self.state.setText("no other report of this story is in the project")
        elif not story.groups:
            self.state.setText(f"no claim is carried by more than one of the story's "
                               f"{len(story.doc_ids)} reports")
        else:
            self.state.setText(f"{len(story.groups)} claim(s) carried by more than one of the "
                               f"story's {len(story.doc_ids)} reports — Enter or a double "
                               "click opens a report at its claim")
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group in story.groups:
            head = QTreeWidgetItem([f"{len(group.outlets)} outlets", group.claims[0].content])
            for column in range(2):
                head.setFont(column, bold)
            head.setData(0, Qt.ItemDataRole.UserRole, group.claims[0])
            head.setToolTip(1, "\n".join(group.outlets))
            for claim in group.claims:
                row = QTreeWidgetItem([claim.outlet, claim.content, claim.source or "—",
                                       claim.cue or "—", claim.version])
                row.setData(0, Qt.ItemDataRole.UserRole, claim)
                row.setToolTip(1, claim.content)
                head.addChild(row)
            self.tree.addTopLevelItem(head)
            head.setExpanded(True)
        if story.groups:
            self.tree.setCurrentItem(self.tree.topLevelItem(0).child(0))
        self.grouped.emit()

    def show_claim(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        claim: StoryClaim = item.data(0, Qt.ItemDataRole.UserRole)
        if claim is not None and claim.start is not None:
            self.go_to(claim.doc_id, claim.start, claim.end)
