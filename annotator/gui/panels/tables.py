"""The row tables of the side panels (documents, spans): one look and one behaviour.

Rows are picked whole and one at a time, never edited in place; row heights are fixed and
column widths come from sample texts, so that drawing a row never measures every other row.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

ROW_HEIGHT = 22


def list_table(model: QAbstractItemModel, samples: tuple[str, ...]) -> QTableView:
    """A table over `model`: whole-row single selection, no editing, no row numbers, the
    first column stretched and the others as wide as `samples` (see `fixed_widths`)."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    fixed_widths(view, samples)
    return view


def fixed_widths(view: QTableView, samples: tuple[str, ...]) -> None:
    """First column stretches, the others get the width of a sample text (or their header).

    Never ResizeToContents: it re-measures every row on each dataChanged, which alone would
    cost more than the 20 ms an accept may take.
    """
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    metrics = view.fontMetrics()
    model = view.model()
    for column, sample in enumerate(samples, start=1):
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, max(metrics.horizontalAdvance(sample),
                                         metrics.horizontalAdvance(title)) + 16)
