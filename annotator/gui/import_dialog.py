"""File → Import documents…: the `annotator import` command as a form.

Files and folders are imported by the core's `import_paths` in the background lane of the
window's job runner, under the window's annotator. An import stores all or
nothing unless "skip invalid" is ticked; either way every problem is listed with its file,
line and field, and `imported` tells the window to re-read its document list.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QHBoxLayout, QLabel,
                               QListWidget, QPushButton, QVBoxLayout, QWidget)

from annotator.core.curate.clusters import refresh_after_import
from annotator.core.importers import ImportFailed, ImportReport, grouped, import_paths
from annotator.core.progress import Progress
from annotator.core.session import Session
from annotator.core.store import Store
from annotator.gui.app import settings as user_settings
from annotator.gui.job_dialog import ERROR_STYLE, STATE_STYLE, Job, JobDialog
from annotator.gui.workers import Cancelled, JobRunner

FILE_TYPES = "Articles and annotations (*.txt *.text *.jsonl *.json);;All files (*)"
LAST_FOLDER_KEY = "import/last_folder"
LISTED = 200  # problems and duplicates shown; the rest are counted


def _import(store: Store, paths: list[str], annotator: str, skip_invalid: bool,
            progress: Progress) -> ImportReport | ImportFailed:
    """The worker's job: the command's core calls (the import, then the clusters of a
    project that has them); a refused import is returned to be shown."""
    try:
        report = import_paths(store, paths, annotator=annotator, skip_invalid=skip_invalid,
                              progress=progress)
        refresh_after_import(store, Session(annotator), report.imported)
        return report
    except ImportFailed as failed:
        return failed


class ImportDialog(JobDialog):

    def __init__(self, parent: QWidget | None, runner: JobRunner, annotator: str):
        super().__init__(parent, runner, "Import documents", "Import", "bytes", "import")
        self.annotator = annotator
        self.paths = QListWidget()
        self.paths.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.paths.setMinimumHeight(110)
        add_files = QPushButton("Add files…")
        add_files.clicked.connect(self.choose_files)
        add_folder = QPushButton("Add folder…")
        add_folder.clicked.connect(self.choose_folder)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        for button in (add_files, add_folder, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.paths, 1)
        row.addLayout(buttons)
        self.skip_invalid = QCheckBox("skip invalid records: import the valid part and list "
                                      "the rest")
        who = QLabel(f"Annotations without an _annotator_id are recorded as {annotator}'s.",
                     wordWrap=True, styleSheet=STATE_STYLE)
        self.form.addRow("Files", row)
        self.form.addRow("", self.skip_invalid)
        self.form.addRow("", who)
        self.setAcceptDrops(True)  # files and folders dropped from a file manager
        self.paths.model().rowsInserted.connect(self.refresh_run_button)
        self.paths.model().rowsRemoved.connect(self.refresh_run_button)
        self.refresh_run_button()
        self.show_running()

    # -- the form --------------------------------------------------------------------------

    def path_list(self) -> list[str]:
        return [self.paths.item(row).text() for row in range(self.paths.count())]

    def add_paths(self, paths: Iterable[str | Path]) -> None:
        known = set(self.path_list())
        for path in map(str, paths):
            if path not in known:
                self.paths.addItem(path)
                known.add(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and not self.running:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.add_paths(url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile())
        event.acceptProposedAction()

    def remove_selected(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))

    def _start_folder(self) -> str:
        return str(user_settings().value(LAST_FOLDER_KEY, "") or Path.home())

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import files", self._start_folder(),
                                                FILE_TYPES)
        if files:
            self.add_paths(files)
            user_settings().setValue(LAST_FOLDER_KEY, str(Path(files[0]).parent))

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder (.txt and .jsonl "
                                                        "files below it)", self._start_folder())
        if folder:
            self.add_paths([folder])
            user_settings().setValue(LAST_FOLDER_KEY, str(Path(folder).parent))

    def can_run(self) -> bool:
        return self.paths.count() > 0

    # -- the job ---------------------------------------------------------------------------

    def make_job(self) -> Job | None:
        paths, annotator = self.path_list(), self.annotator
        skip = self.skip_invalid.isChecked()
        if not paths:
            self.show_error("add files or folders first")
            return None
        return lambda store, progress: _import(store, paths, annotator, skip, progress)

    def show_outcome(self, outcome: Any) -> None:
        if isinstance(outcome, ImportReport):
            self.show_html(report_html(outcome))
        elif isinstance(outcome, ImportFailed):
            problems = outcome.report.problems
            self.show_html(f"<p style='{ERROR_STYLE}'><b>Nothing imported:</b> "
                           f"{len(problems)} problem(s). Fix them, or tick “skip invalid” to "
                           "import the valid part.</p>" + _listing("Problems", grouped(problems)))
        elif isinstance(outcome, Cancelled):
            self.show_html("<p><b>Cancelled</b> — nothing imported.</p>")


def _listing(title: str, items: list[Any]) -> str:
    if not items:
        return ""
    shown = "".join(f"<li>{html.escape(str(item))}</li>" for item in items[:LISTED])
    more = f"<li>… and {len(items) - LISTED} more</li>" if len(items) > LISTED else ""
    return f"<p><b>{html.escape(title)}</b></p><ul>{shown}{more}</ul>"


def report_html(report: ImportReport) -> str:
    """Counts first, then every duplicate, skipped problem and warning by name."""
    parts = [f"<p><b>Imported {report.imported} document(s)</b> from {report.files} file(s); "
             f"{len(report.duplicates)} duplicate(s) skipped"
             + (f", {len(report.problems)} invalid skipped" if report.problems else "") + ".</p>"]
    if report.annotation_sets:
        parts.append(f"<p>Annotations: {report.annotation_sets} annotation set(s), "
                     f"{report.spans} span(s) ({report.suggestions} suggested, to review), "
                     f"{report.claims} claim(s).</p>")
    parts.append(_listing("Skipped as invalid", grouped(report.problems)))
    parts.append(_listing("Duplicates", [f"{d.origin} (same text as {d.first_seen})"
                                         for d in report.duplicates]))
    parts.append(_listing("Warnings", report.warnings))
    return "".join(parts)
