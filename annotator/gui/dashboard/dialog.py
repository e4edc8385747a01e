"""The Dashboard window: the figures of `core.curate.dashboard.figures` computed on the
window's background lane and laid out as charts; Refresh (F5) computes them again.

Documents by status and by curation, excluded by reason, entities by label and claims by
type are bars; progress (documents done so far) and pace (documents per hour) per
annotator are lines over days.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curate.dashboard import figures
from annotator.gui.dashboard import charts
from annotator.gui.workers import BACKGROUND, JobRunner

STATUS_NAMES = {"todo": "todo", "skipped": "skipped", "flagged": "flagged",
                "in_progress": "in progress", "done": "done"}


class DashboardDialog(QDialog):
    shown = Signal()  # the figures are drawn (or why there are none is said)

    def __init__(self, parent: QWidget | None, runner: JobRunner):
        super().__init__(parent)
        self.setWindowTitle("Dashboard")
        self.resize(1200, 780)
        self.runner = runner
        self.figures: dict[str, Any] | None = None
        self.state = QLabel("counting…")
        refresh = QPushButton("Refresh (F5)")
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.refresh)
        self.views = {name: charts.view() for name in (
            "by_status", "by_curation", "excluded_by_reason", "entity_labels", "claim_types",
            "progress", "pace")}
        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(refresh)
        grid = QGridLayout()
        for name, row, column, span in (("by_status", 0, 0, 1), ("by_curation", 0, 1, 1),
                                        ("excluded_by_reason", 0, 2, 1),
                                        ("entity_labels", 1, 0, 2), ("claim_types", 1, 2, 1),
                                        ("progress", 2, 0, 2), ("pace", 2, 2, 1)):
            grid.addWidget(self.views[name], row, column, 1, span)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)

    def refresh(self) -> None:
        self.state.setText("counting…")
        self.runner.start(figures, self.show_figures, self._failed, lane=BACKGROUND)

    def _failed(self, message: str) -> None:
        self.state.setText(f"the figures could not be counted: {message}")
        self.shown.emit()

    def show_figures(self, counted: dict[str, Any]) -> None:
        self.figures = counted
        status, curation = counted["by_status"], counted["by_curation"]
        total = sum(curation.values())
        self.state.setText(f"{total:,} documents: {curation['included']:,} included, "
                           f"{curation['excluded']:,} excluded; {status['done']:,} done")
        self.views["by_status"].setChart(charts.bars(
            "Included documents by status",
            {STATUS_NAMES[key]: n for key, n in status.items()}))
        self.views["by_curation"].setChart(charts.bars("Documents by curation", curation))
        self.views["excluded_by_reason"].setChart(
            charts.bars("Excluded by reason", counted["excluded_by_reason"]))
        self.views["entity_labels"].setChart(
            charts.bars("Accepted entities by label", counted["entity_labels"]))
        self.views["claim_types"].setChart(charts.bars("Claims by type", counted["claim_types"]))
        progress = counted["progress"]
        self.views["progress"].setChart(charts.lines(
            "Progress per annotator", {name: [(d["day"], d["total"]) for d in days]
                                       for name, days in progress.items()}, "documents done"))
        self.views["pace"].setChart(charts.lines(
            "Pace per annotator", {name: [(d["day"], d["pace"]) for d in days
                                          if d["pace"] is not None]
                                   for name, days in progress.items()}, "documents / hour"))
        self.shown.emit()


def show(window: Any) -> DashboardDialog:
    dialog = DashboardDialog(window, window.jobs)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.refresh()
    return dialog
