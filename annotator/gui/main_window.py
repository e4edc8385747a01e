"""The main window: composition only — the document list, the article, the status bar."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QMainWindow,
                               QPlainTextEdit, QSplitter, QTableView)

from annotator.core.store import Store
from annotator.gui.models.document_list import DocumentListModel


class MainWindow(QMainWindow):
    def __init__(self, store: Store, annotator: str):
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.setWindowTitle(f"Annotator — {store.path.name}")
        self.resize(1280, 800)

        self.documents = DocumentListModel(store, annotator, self)
        self.list_view = QTableView()
        self.list_view.setModel(self.documents)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.verticalHeader().hide()
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list_view.selectionModel().selectionChanged.connect(self._on_selection)

        self.article = QPlainTextEdit()
        self.article.setReadOnly(True)
        self.article.setFont(QFont("DejaVu Serif", 12))
        self.article.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list_view)
        splitter.addWidget(self.article)
        splitter.setSizes([480, 800])
        self.setCentralWidget(splitter)

        self.status = QLabel()
        self.statusBar().addWidget(self.status)
        self._update_status()
        if self.documents.total():
            self.list_view.selectRow(0)

    def current_doc_id(self) -> str | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.documents.doc_id(rows[0].row()) if rows else None

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        doc_id = self.current_doc_id()
        if doc_id is not None:
            self.article.setPlainText(self.store.documents.text(doc_id))

    def _update_status(self) -> None:
        self.status.setText(f"Annotator: {self.annotator}   ·   {self.documents.total()} "
                            f"documents   ·   {self.store.path}")
