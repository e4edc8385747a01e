"""File → Merge projects…: the `annotator merge` command as a form.

The chosen project files are merged by the core's `merge_projects` in the background lane
of the window's job runner, as the window's annotator (an admin's action): all or nothing.
The summary lists what each file brought and every set both projects changed; the merge's
change record reaches the document list and the open document like any other action.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import RightsError
from annotator.core.progress import Progress
from annotator.core.session import Session
from annotator.core.store import Store
from annotator.core.team.merge import MergeRefused, SourceReport, merge_projects
from annotator.gui.app import settings as user_settings
from annotator.gui.job_dialog import ERROR_STYLE, STATE_STYLE, Job, JobDialog
from annotator.gui.workers import Cancelled, JobRunner

FILE_TYPES = "Annotator projects (*.db);;All files (*)"
LAST_FOLDER_KEY = "merge/last_folder"
LISTED = 200  # conflicts shown; the rest are counted


def _merge(store: Store, paths: list[str], session: Session,
           progress: Progress) -> list[SourceReport] | Exception:
    """The worker's job: the command's core call; a refusal is returned to be shown."""
    try:
        return merge_projects(store, paths, annotator=session.annotator, role=session.role,
                              progress=progress)
    except (MergeRefused, RightsError) as refused:
        return refused


class MergeDialog(JobDialog):

    def __init__(self, parent: QWidget | None, runner: JobRunner, session: Session):
        super().__init__(parent, runner, "Merge projects", "Merge", "rows", "merge")
        self.session = session
        self.paths = QListWidget()
        self.paths.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.paths.setMinimumHeight(110)
        add = QPushButton("Add projects…")
        add.clicked.connect(self.choose_files)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.paths, 1)
        row.addLayout(buttons)
        note = QLabel("Every annotation set of these projects is brought here; a set both "
                      "changed keeps the one updated last. A project already merged adds "
                      "nothing.", wordWrap=True, styleSheet=STATE_STYLE)
        self.form.addRow("Projects", row)
        self.form.addRow("", note)
        self.paths.model().rowsInserted.connect(self.refresh_run_button)
        self.paths.model().rowsRemoved.connect(self.refresh_run_button)
        self.refresh_run_button()
        self.show_running()

    def path_list(self) -> list[str]:
        return [self.paths.item(row).text() for row in range(self.paths.count())]

    def add_paths(self, paths: list[str | Path]) -> None:
        known = set(self.path_list())
        for path in map(str, paths):
            if path not in known:
                self.paths.addItem(path)
                known.add(path)

    def remove_selected(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))

    def choose_files(self) -> None:
        start = str(user_settings().value(LAST_FOLDER_KEY, "") or Path.home())
        files, _ = QFileDialog.getOpenFileNames(self, "Projects to merge", start, FILE_TYPES)
        if files:
            self.add_paths(files)
            user_settings().setValue(LAST_FOLDER_KEY, str(Path(files[0]).parent))

    def can_run(self) -> bool:
        return self.paths.count() > 0

    def make_job(self) -> Job | None:
        paths, session = self.path_list(), self.session
        if not paths:
            self.show_error("add the projects to merge first")
            return None
        return lambda store, progress: _merge(store, paths, session, progress)

    def show_outcome(self, outcome: Any) -> None:
        if isinstance(outcome, Cancelled):
            self.show_html("<p><b>Cancelled</b> — nothing merged.</p>")
        elif isinstance(outcome, Exception):
            self.show_html(f"<p style='{ERROR_STYLE}'><b>Nothing merged:</b> "
                           f"{html.escape(str(outcome))}</p>")
        else:
            self.show_html("".join(map(report_html, outcome)))


def report_html(report: SourceReport) -> str:
    """One project's part: what it brought, then each set both projects changed."""
    name = html.escape(report.source)
    if report.already_merged:
        return f"<p><b>{name}</b>: already merged on {report.already_merged}; nothing added.</p>"
    parts = [(f"<p><b>{name}</b>: {report.documents} new document(s); "
              f"{report.sets_added} annotation set(s) added, {report.sets_replaced} replaced "
              f"by a newer one, {report.sets_unchanged} unchanged; {report.spans} span(s), "
              f"{report.claims} claim(s), {report.events} event(s).</p>")]
    if report.conflicts:
        items = "".join(
            f"<li>{html.escape(c.annotator)} on “{html.escape(c.title or c.doc_id[:12])}”: "
            f"kept {html.escape(c.kept)}'s (updated last), set aside "
            f"{html.escape(c.set_aside)}'s (updated {c.set_aside_updated_at})</li>"
            for c in report.conflicts[:LISTED])
        more = (f"<li>… and {len(report.conflicts) - LISTED} more</li>"
                if len(report.conflicts) > LISTED else "")
        parts.append(f"<p><b>Changed in both</b> ({len(report.conflicts)})</p>"
                     f"<ul>{items}{more}</ul>")
    return "".join(parts)
