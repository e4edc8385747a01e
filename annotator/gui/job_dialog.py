"""A dialog that runs one long core job off the UI thread: a form, then a progress bar with
Cancel while the job runs, then what came of it — the window stays responsive throughout.

The export and import dialogs differ only in their form, their job and how they show its
outcome; this class holds the rest so the two cannot drift apart. A job runs on the window's
`JobRunner`, in its background lane, as `job(store, progress)`. The job belongs to the
runner, not to the dialog: closing the dialog leaves it running (the status bar shows it),
and the dialog opened again shows it. Failures the person can fix (invalid input, an
existing folder) are returned by the job as values and shown like any outcome; anything
unexpected arrives as an error message.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QSizePolicy, QTextBrowser, QVBoxLayout,
                               QWidget)

from annotator.core.jobs import Job
from annotator.gui.workers import BACKGROUND, Cancelled, JobRunner, Task

__all__ = ["ERROR_STYLE", "STATE_STYLE", "Job", "JobDialog"]
ERROR_STYLE = "color: #b91c1c;"
STATE_STYLE = "color: #4b5563;"


class JobDialog(QDialog):
    jobFinished = Signal(object)  # what the job returned, or the message of its failure

    def __init__(self, parent: QWidget | None, runner: JobRunner, title: str, action: str,
                 unit: str, kind: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(600)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # each opening reads afresh
        self.runner = runner
        self.unit = unit
        self.kind = kind
        self._task: Task | None = None

        self.form_widget = QWidget()
        self.form = QFormLayout(self.form_widget)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form_widget.setSizePolicy(QSizePolicy.Policy.Preferred,
                                       QSizePolicy.Policy.Maximum)  # the result takes the rest
        self.progress = QProgressBar(maximum=0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.state = QLabel(wordWrap=True, styleSheet=STATE_STYLE)
        self.result = QTextBrowser(openExternalLinks=True)
        self.result.setMinimumHeight(200)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.run_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_widget)
        layout.addLayout(running)
        layout.addWidget(self.state)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        for hidden in (self.result, self.progress, self.cancel_button):
            hidden.hide()

    def show_running(self) -> None:
        """Show the job of this kind still running on the runner, if any (a subclass calls
        this once its form is built): the dialog was closed while it ran."""
        task = self.runner.running(self.kind)
        if task is not None:
            self._attach(task)
            if task.cancelled:
                self.cancel()

    # -- what a subclass provides ----------------------------------------------------------

    def make_job(self) -> Job | None:
        """The job for the form as filled in now, or None (after saying why) if it cannot run."""
        raise NotImplementedError

    def show_outcome(self, outcome: Any) -> None:
        """Show what the job returned (a result, a fixable failure, or `Cancelled`)."""
        raise NotImplementedError

    def can_run(self) -> bool:
        """Whether the form is complete enough to start (a subclass checks its fields)."""
        return True

    def refresh_run_button(self) -> None:
        """A subclass calls this when a field changes."""
        self.run_button.setEnabled(self.can_run() and not self.running)

    # -- running ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        if self.running:
            return
        job = self.make_job()
        if job is None:
            return
        self.runner.run(self._attach(Task(job, self.windowTitle(), kind=self.kind)),
                        BACKGROUND)

    def _attach(self, task: Task) -> Task:
        self._task = task
        task.advanced.connect(self._advance)
        task.finished.connect(self._done)
        task.failed.connect(self._failed)
        self.progress.setMaximum(0)  # busy until the first report
        self.state.setStyleSheet(STATE_STYLE)
        self.state.setText("working…")
        self._set_running(True)
        if task.last != (0, 0):
            self._advance(*task.last)
        return task

    def cancel(self) -> None:
        """Stop at the job's next progress report; the core leaves nothing behind."""
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.state.setText("cancelling…")

    def _advance(self, done: int, total: int) -> None:
        if not self.running:
            return
        self.progress.setMaximum(1000 if total else 0)  # total 0: size not known yet
        self.progress.setValue(done * 1000 // max(total, 1))
        self.progress.setFormat(f"{done:,} / {total:,} {self.unit}".replace("%", "%%"))

    def _done(self, outcome: Any) -> None:
        self._finish()
        self.state.setText("cancelled" if isinstance(outcome, Cancelled) else "finished")
        self.show_outcome(outcome)
        self.jobFinished.emit(outcome)

    def _failed(self, message: str) -> None:
        self._finish()
        self.state.setText("failed")
        self.show_html(f"<p style='{ERROR_STYLE}'><b>Failed:</b> {html.escape(message)}</p>")
        self.jobFinished.emit(message)

    def _finish(self) -> None:
        self._task = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.form_widget.setEnabled(not running)
        self.refresh_run_button()
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)

    # -- showing ---------------------------------------------------------------------------

    def show_html(self, body: str) -> None:
        self.result.setHtml(body)
        self.result.show()
        # A window's minimum height leaves out what the form's wrapped lines need at its
        # width: grown only to that minimum, the dialog drew the report under its buttons.
        self.resize(self.width(), max(self.height(), self.heightForWidth(self.width())))

    def show_error(self, message: str) -> None:
        """A message under the form (e.g. a field that is not valid yet)."""
        self.state.setStyleSheet(ERROR_STYLE)
        self.state.setText(message)

    def reject(self) -> None:
        """Esc or Close: the dialog goes, a running job goes on (the status bar shows it)."""
        if self._task is not None:
            for signal, slot in ((self._task.advanced, self._advance),
                                 (self._task.finished, self._done),
                                 (self._task.failed, self._failed)):
                signal.disconnect(slot)
            self._task = None
        super().reject()
