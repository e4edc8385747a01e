"""The row tables of the side panels (documents, spans): one look and one behaviour.

Rows are picked whole and one at a time, never edited in place; row heights are fixed and
column widths come from sample texts, so that drawing a row never measures every other row.
The first column (a title, a span's text) fills what the others leave, and never shrinks
below `FIRST_MINIMUM`: in a narrow panel the table scrolls sideways instead (Qt's own Stretch
squeezed the titles to "…" once the other columns took the width).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

ROW_HEIGHT = 22
FIRST_MINIMUM = 140  # pixels: a title's first words


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
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    metrics = view.fontMetrics()
    model = view.model()
    for column, sample in enumerate(samples, start=1):
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, max(metrics.horizontalAdvance(sample),
                                         metrics.horizontalAdvance(title)) + 16)
    _FirstColumnFill(view)


class _FirstColumnFill(QObject):
    """Widens the first column to what the other shown columns leave, whenever the table's
    viewport is resized, its model reset or a column shown or hidden."""

    def __init__(self, view: QTableView):
        super().__init__(view)
        self.view = view
        view.viewport().installEventFilter(self)
        view.model().modelReset.connect(self.fill)
        view.horizontalHeader().sectionResized.connect(self._resized)

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column != 0:  # a column hidden, shown or dragged wider
            self.fill()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.fill()
        return False

    def fill(self) -> None:
        view = self.view
        others = sum(view.columnWidth(c) for c in range(1, view.model().columnCount())
                     if not view.isColumnHidden(c))
        view.setColumnWidth(0, max(FIRST_MINIMUM, view.viewport().width() - others))
