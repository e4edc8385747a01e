"""The status bar's view of background jobs: the one running, its progress and Cancel.

A dialog that started an import or an export can be closed while the job runs; the job is
the window's, so this is where the person still sees it and can stop it. Further queued
jobs are counted ("+1 queued").
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from annotator.gui.workers import JobRunner, Task


class JobsIndicator(QWidget):
    def __init__(self, runner: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel()
        self.bar = QProgressBar(maximumWidth=140, maximum=0)
        self.cancel = QPushButton("Cancel", flat=True)
        self.cancel.setFocusPolicy(self.cancel.focusPolicy().NoFocus)
        self.cancel.clicked.connect(self.cancel_current)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel):
            layout.addWidget(widget)
        self._shown: Task | None = None
        runner.tasksChanged.connect(self.refresh)
        self.refresh()

    def current(self) -> Task | None:
        """The first background task: the one the lane runs now."""
        tasks = self.runner.tasks()
        return tasks[0] if tasks else None

    def refresh(self) -> None:
        task, tasks = self.current(), self.runner.tasks()
        if task is not self._shown:
            if self._shown is not None:
                self._shown.advanced.disconnect(self._advance)
            self._shown = task
            if task is not None:
                task.advanced.connect(self._advance)
        self.setVisible(task is not None)
        if task is None:
            return
        queued = f" (+{len(tasks) - 1} queued)" if len(tasks) > 1 else ""
        self.label.setText(f"{task.title or 'working'}{queued}"
                           + (" — cancelling…" if task.cancelled else ""))
        self.cancel.setEnabled(not task.cancelled)
        self._advance(*task.last)

    def _advance(self, done: int, total: int) -> None:
        self.bar.setMaximum(1000 if total else 0)
        self.bar.setValue(done * 1000 // max(total, 1))
        self.bar.setToolTip(f"{done:,} / {total:,}" if total else "")

    def cancel_current(self) -> None:
        task = self.current()
        if task is not None:
            task.cancel()
            self.refresh()
