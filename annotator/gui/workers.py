"""Work off the UI thread: each task opens its own `Store` connection on the project file
(SQLite connections are not shared across threads) and reports back through Qt signals.

Cancelling cannot interrupt SQLite or spaCy mid-call; it drops the task if it has not
started yet and makes sure a late result is never shown. A job that reports progress can be
stopped between two reports instead (`ProgressRelay`): the core cleans up after itself then.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from annotator.core.store import Store


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(str)


class Cancelled(Exception):
    """Raised inside a job, at its next progress report, once Cancel was pressed."""


class ProgressRelay(QObject):
    """A core `Progress` callback for a job on a worker thread.

    Each report crosses to the UI thread as the `advanced` signal (queued, so the job never
    waits for the screen), at most once per thousandth of the work so a large run does not
    flood the event loop. After `cancel()` the next report raises `Cancelled`, which the core
    treats like any failure: an export removes its partial folder, an import rolls back.
    """

    advanced = Signal(object, object)  # done, total (Python ints: byte counts exceed 2**31)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._cancelled = threading.Event()
        self._shown = -1

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled("cancelled")
        step = done * 1000 // max(total, 1)
        if step != self._shown:
            self._shown = step
            self.advanced.emit(done, total)


class StoreTask(QRunnable):
    """Run `job(store)` on a pool thread with a private connection to `db_path`."""

    def __init__(self, db_path: Path, job: Callable[[Store], Any]):
        super().__init__()
        self.db_path = db_path
        self.job = job
        self.signals = _Signals()
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        if self.cancelled:
            return
        try:
            with Store(self.db_path) as store:
                result = self.job(store)
        except Exception as exc:  # reported to the UI, which shows it; the thread must not die
            traceback.print_exc()
            if not self.cancelled:
                self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        if not self.cancelled:
            self.signals.finished.emit(result)


class Runner(QObject):
    """Starts store tasks on one pool; `wait()` lets tests and shutdown drain it."""

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one writer at a time besides the UI: one queue

    def start(self, job: Callable[[Store], Any], on_done: Callable[[Any], None],
              on_error: Callable[[str], None]) -> StoreTask:
        task = StoreTask(self.db_path, job)
        task.signals.finished.connect(on_done)
        task.signals.failed.connect(on_error)
        self.pool.start(task)
        return task

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
