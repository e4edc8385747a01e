"""Project → Team agreement…: the figures of `annotator agreement` in a window.

The measurement is the core's (`core.team.agreement.measure`), run on the window's job
runner, so the window stays responsive and the status bar offers Cancel; this dialog only
lays out what comes back: an annotator × annotator matrix of entity F1 (exact or
overlapping), a row per label with α_U, a bar chart of them, and the documents, least
agreement first — a click opens one in the workspace.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.team.agreement import measure, nothing_message
from annotator.core.team.summary import label_rows, matrix
from annotator.gui.workers import BACKGROUND, JobRunner, Task

DOCUMENTS_SHOWN = 500  # least agreement first: where a review starts
KINDS = (("overlap", "F1, overlapping (same label, sharing characters)"),
         ("exact", "F1, exact (same start, end and label)"))


def show(window: Any) -> AgreementDialog:
    dialog = AgreementDialog(window, window.jobs)
    dialog.documentChosen.connect(window.workspace.open)
    dialog.open()
    dialog.start()
    return dialog


def _figure(value: float | None) -> QTableWidgetItem:
    item = QTableWidgetItem("—" if value is None else f"{value:.2f}")
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class AgreementDialog(QDialog):
    documentChosen = Signal(str)
    measured = Signal()  # the figures are shown (or the reason there are none)

    def __init__(self, parent: QWidget | None, runner: JobRunner):
        super().__init__(parent)
        self.setWindowTitle("Team agreement")
        self.resize(1000, 700)
        self.runner = runner
        self.result: dict[str, Any] | None = None
        self.summary = QLabel("Measuring…")
        self.summary.setWordWrap(True)
        self.kind = QComboBox()
        for kind, text in KINDS:
            self.kind.addItem(text, kind)
        self.kind.currentIndexChanged.connect(self._show_matrix)
        self.matrix = _table([])
        self.labels = _table(["label", "α_U", "F1 exact", "F1 overlap"])
        self.chart = QChartView()
        self.chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.documents = _table(["score", "document", "annotators"])
        self.documents.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.documents.cellClicked.connect(self._open_row)
        self._build()

    def _build(self) -> None:
        pairs = QWidget()
        column = QVBoxLayout(pairs)
        row = QHBoxLayout()
        row.addWidget(QLabel("Entities:"))
        row.addWidget(self.kind, 1)
        column.addLayout(row)
        column.addWidget(self.matrix)
        labels = QSplitter(Qt.Orientation.Vertical)
        labels.addWidget(self.labels)
        labels.addWidget(self.chart)
        labels.setSizes([220, 380])  # the chart gets the room a handful of rows leave
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(pairs)
        top.addWidget(labels)
        top.setSizes([380, 620])
        self.tabs = QTabWidget()
        self.tabs.addTab(top, "Annotators and labels")
        self.tabs.addTab(self.documents, "Documents")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def start(self) -> Task:
        """Measure on the background lane (progress and Cancel in the status bar)."""
        task = Task(lambda store, progress: measure(store, progress=progress),
                    "Measuring agreement", kind="agreement")
        task.finished.connect(self.show_result)
        task.failed.connect(self._failed)
        return self.runner.run(task, BACKGROUND)

    def _failed(self, message: str) -> None:
        self.summary.setText(f"Agreement could not be measured: {message}")
        self.measured.emit()

    def show_result(self, result: Any) -> None:
        if not isinstance(result, dict):  # cancelled
            self.summary.setText("Measuring was cancelled.")
            self.measured.emit()
            return
        self.result = result
        who = ", ".join(result["annotators"])
        if not result["documents"]:
            self.summary.setText(nothing_message(result))
        else:
            alpha = result["alpha_u"]["overall"]
            self.summary.setText(
                f"Over {result['documents']:,} document(s) finished by at least two of {who}. "
                f"Krippendorff's α_U over all labels: "
                f"{'—' if alpha is None else f'{alpha:.2f}'}.")
        self._show_matrix()
        self._show_labels()
        self._show_documents()
        self.measured.emit()

    def _show_matrix(self) -> None:
        if self.result is None:
            return
        names = self.result["annotators"]
        cells = matrix(self.result, self.kind.currentData())
        self.matrix.setRowCount(len(names))
        self.matrix.setColumnCount(len(names))
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(names)
        self.matrix.verticalHeader().show()
        for r, a in enumerate(names):
            for c, b in enumerate(names):
                item = _figure(1.0 if a == b else cells.get((a, b)))
                if a == b or (a, b) not in cells:
                    item.setForeground(Qt.GlobalColor.gray)
                self.matrix.setItem(r, c, item)

    def _show_labels(self) -> None:
        rows = label_rows(self.result)
        self.labels.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.labels.setItem(r, 0, QTableWidgetItem(row.label))
            for c, value in enumerate((row.alpha_u, row.exact, row.overlap), start=1):
                self.labels.setItem(r, c, _figure(value))
        chart = QChart()
        chart.setTitle("Per label")
        series = QBarSeries()
        for name, pick in (("α_U", lambda row: row.alpha_u),
                           ("F1 overlap", lambda row: row.overlap)):
            bars = QBarSet(name)
            bars.append([max(pick(row) or 0.0, 0.0) for row in rows])
            series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([row.label for row in rows])
        values = QValueAxis()
        values.setRange(0, 1)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.chart.setChart(chart)

    def _show_documents(self) -> None:
        shown = self.result["per_document"][:DOCUMENTS_SHOWN]
        self.documents.setRowCount(len(shown))
        for r, document in enumerate(shown):
            self.documents.setItem(r, 0, _figure(document["score"]))
            title = QTableWidgetItem(document["title"] or document["doc_id"][:12])
            title.setData(Qt.ItemDataRole.UserRole, document["doc_id"])
            self.documents.setItem(r, 1, title)
            self.documents.setItem(r, 2, QTableWidgetItem(", ".join(document["annotators"])))
        if len(self.result["per_document"]) > DOCUMENTS_SHOWN:
            self.tabs.setTabText(1, f"Documents (the {DOCUMENTS_SHOWN} with least agreement)")

    def _open_row(self, row: int, _column: int) -> None:
        self.documentChosen.emit(self.documents.item(row, 1).data(Qt.ItemDataRole.UserRole))
