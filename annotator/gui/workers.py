"""The window's jobs off the UI thread: the core's lanes (`core.jobs`) behind Qt signals.

A `JobRunner` has two lanes, each one thread with its own store connection: *interactive*
for short work the annotator waits for (the open document's suggestions, a search) and
*background* for long jobs (imports, exports, later training), so suggestions are never
queued behind an import. The window owns the runner, not a dialog: closing a dialog leaves
its job running, the status bar shows it with Cancel, and the dialog opened again shows it.

A `Task` reports through signals emitted on the UI thread. Cancel stops a job at its next
progress report (the core cleans up then); a job without reports cannot be interrupted
mid-call, so its late result is simply never delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.jobs import Cancelled, Control, Job, Lane
from annotator.core.jobs import Task as CoreTask
from annotator.core.store import Store

INTERACTIVE = "interactive"
BACKGROUND = "background"

__all__ = ["BACKGROUND", "INTERACTIVE", "Cancelled", "JobRunner", "ProgressRelay", "Task"]


class ProgressRelay(QObject):
    """A core progress callback whose reports arrive as the `advanced` signal on the UI
    thread, at most once per thousandth of the work; after `cancel()` the next report raises
    `Cancelled`."""

    advanced = Signal(object, object)  # done, total (Python ints: byte counts exceed 2**31)
    _reported = Signal(object, object)  # from the job's thread to this object's thread

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.last: tuple[int, int] = (0, 0)
        self.control = Control(self._reported.emit)
        self._reported.connect(self._advance)

    def cancel(self) -> None:
        self.control.cancel()

    @property
    def cancelled(self) -> bool:
        return self.control.cancelled

    def __call__(self, done: int, total: int) -> None:
        self.control(done, total)

    def _advance(self, done: int, total: int) -> None:
        self.last = (done, total)
        self.advanced.emit(done, total)


class Task(ProgressRelay):
    """A job on the runner: `advanced` while it runs, then `finished` (what it returned, or
    `Cancelled`) or `failed` (the message), then `ended` — all on the UI thread. With
    ``quiet_cancel`` (work whose late result is just dropped, like a superseded search) a
    cancelled task ends with `ended` alone."""

    finished = Signal(object)
    failed = Signal(str)
    ended = Signal()
    _done = Signal()  # from the lane's thread to this object's (the UI) thread

    def __init__(self, job: Job, title: str = "", *, kind: str = "",
                 quiet_cancel: bool = False):
        super().__init__()
        self.title = title
        self.kind = kind  # what a dialog looks for to show its running job again
        self.quiet_cancel = quiet_cancel
        self._done.connect(self._deliver)
        self.core = CoreTask(job, self.control, ended=lambda _task: self._done.emit())

    @property
    def running(self) -> bool:
        return self.core.state != "done"

    @property
    def outcome(self) -> Any:
        return self.core.outcome

    def _deliver(self) -> None:
        if not (self.quiet_cancel and self.cancelled):
            if self.core.error is not None:
                self.failed.emit(self.core.error)
            else:
                self.finished.emit(self.core.outcome)
        self.ended.emit()


class JobRunner(QObject):
    """Two lanes on the project file; `tasks()` are the background jobs queued or running."""

    tasksChanged = Signal()  # a background task was queued or ended
    taskEnded = Signal(object)  # a background Task that ended (its dialog may be closed)

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        # each lane's thread takes its own connection to the project, once, and closes it
        # when the lane goes idle
        self.lanes = {lane: Lane(store.for_thread, lane) for lane in (INTERACTIVE, BACKGROUND)}
        self._live: set[Task] = set()  # kept alive until their end is delivered
        self._background: list[Task] = []

    def run(self, task: Task, lane: str = BACKGROUND) -> Task:
        self._live.add(task)
        task.ended.connect(lambda: self._forget(task))
        if lane == BACKGROUND:
            self._background.append(task)
            self.tasksChanged.emit()
        self.lanes[lane].submit(task.core)
        return task

    def start(self, job: Callable[[Store], Any], on_done: Callable[[Any], None],
              on_error: Callable[[str], None], *, lane: str = INTERACTIVE) -> Task:
        """`job(store)` without progress; once cancelled, its result is never delivered."""
        task = Task(lambda store, _progress: job(store), quiet_cancel=True)
        task.finished.connect(on_done)
        task.failed.connect(on_error)
        return self.run(task, lane)

    def tasks(self) -> list[Task]:
        return list(self._background)

    def running(self, kind: str) -> Task | None:
        """The background task of this kind still queued or running, if any."""
        return next((t for t in self._background if t.kind == kind), None)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for both lanes to be idle (tests, shutdown); False if `msecs` ran out."""
        timeout = None if msecs < 0 else msecs / 1000
        return all(lane.wait(timeout) for lane in self.lanes.values())

    def shutdown(self) -> None:
        """Cancel every job, wait for the lanes to end and close their connections."""
        for task in list(self._live):
            task.cancel()
        for lane in self.lanes.values():
            lane.close()

    def _forget(self, task: Task) -> None:
        self._live.discard(task)
        if task in self._background:
            self._background.remove(task)
            self.tasksChanged.emit()
            self.taskEnded.emit(task)

