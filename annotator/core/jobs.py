"""Jobs: long work off the caller's thread, or in a child process, with progress and cancel.

A job is ``job(store, progress)``. Cancelling goes through progress: once a job is
cancelled its next progress report raises `Cancelled`, and the core cleans up as after any
failure (an import rolls back, an export removes its partial folder). A `Lane` runs jobs one
after another on its own thread, which keeps one store connection for its life instead of
opening the project for every job; a thread idle for `IDLE_SECONDS` ends and closes it.

`Subprocess` runs a job in a child process started with 'spawn': spaCy holds the GIL, so a
training on a thread would freeze the window. Reports and the result come back through a
pipe; cancel asks the child to stop at its next report and ends it if it does not within a
few seconds (SQLite rolls back whatever transaction it had open).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.progress import Progress, no_progress

Job = Callable[[Any, Progress], Any]  # job(store, progress) -> result
POLL_SECONDS = 0.1  # how often a waiting parent looks at cancel while the child is silent
GRACE_SECONDS = 3.0  # a cancelled child stopping at its next report, before it is ended
IDLE_SECONDS = 30.0  # a lane's thread with nothing to do ends, closing its connection


class Cancelled(Exception):
    """Raised inside a job, at its next progress report, once it was cancelled."""


class JobFailed(RuntimeError):
    """A job in a child process failed; the message names the error and where it was."""


class Control:
    """The progress callback a job is given: cancel makes the next report raise `Cancelled`.

    Reports reach `report` at most once per thousandth of the work, so a run of millions of
    units does not flood whoever shows them; ``total == 0`` means the size is not known yet.
    """

    def __init__(self, report: Progress = no_progress):
        self.report = report
        self._cancelled = threading.Event()
        self._shown: tuple[int, int] | None = None

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled("cancelled")
        step = (total, done * 1000 // max(total, 1))
        if step != self._shown:
            self._shown = step
            self.report(done, total)


@dataclass(eq=False)
class Task:
    """One job on its way through a lane, and how it ended: `outcome` is what the job
    returned (a `Cancelled` when it was cancelled), `error` the message of a failure."""

    job: Job
    control: Control = field(default_factory=Control)
    ended: Callable[[Task], None] = lambda task: None
    outcome: Any = None
    error: str | None = None
    state: str = "queued"  # queued → running → done

    def cancel(self) -> None:
        self.control.cancel()

    @property
    def cancelled(self) -> bool:
        return self.control.cancelled

    def run(self, store: Any) -> None:
        """Run the job (unless it was cancelled while queued) and tell `ended`."""
        self.state = "running"
        try:
            if self.control.cancelled:
                raise Cancelled("cancelled")
            self.outcome = self.job(store, self.control)
        except Cancelled as cancelled:
            self.outcome = cancelled
        except Exception as exc:  # told to whoever waits; the lane must live on
            traceback.print_exc()
            self.error = f"{type(exc).__name__}: {exc}"
        self.finish()

    def fail(self, error: str) -> None:
        self.error = error
        self.finish()

    def finish(self) -> None:
        self.state = "done"
        self.ended(self)


class Lane:
    """Tasks one after another on one thread, which opens its store once (lazily)."""

    def __init__(self, open_store: Callable[[], Any], name: str, *,
                 idle_seconds: float = IDLE_SECONDS):
        self.open_store = open_store
        self.name = name
        self.idle_seconds = idle_seconds
        self._inbox: queue.SimpleQueue[Task | None] = queue.SimpleQueue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, task: Task) -> None:
        with self._idle:
            self._pending += 1
            if self._thread is None:  # each thread has its own inbox: no task meets a
                self._inbox = queue.SimpleQueue()  # stop meant for a thread that ended
                self._thread = threading.Thread(target=self._work, args=(self._inbox,),
                                                name=f"jobs-{self.name}", daemon=True)
                self._thread.start()
            self._inbox.put(task)

    def wait(self, timeout: float | None = None) -> bool:
        """True once every submitted task has ended (False if `timeout` came first)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """End the thread after the tasks already queued, closing its store."""
        with self._idle:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._inbox.put(None)
        if thread is not None:
            thread.join()

    def _next(self, inbox: queue.SimpleQueue[Task | None]) -> Task | None:
        """The next task; None when told to close or idle too long (the thread ends)."""
        while True:
            try:
                return inbox.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._idle:  # tasks are put under this lock: empty now is empty
                    if inbox.empty():
                        self._thread = None
                        return None

    def _work(self, inbox: queue.SimpleQueue[Task | None]) -> None:
        store = None
        try:
            while (task := self._next(inbox)) is not None:
                try:
                    if store is None:
                        store = self.open_store()
                except Exception as exc:  # the task hears why; the next one tries again
                    task.fail(f"{type(exc).__name__}: {exc}")
                else:
                    task.run(store)
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()
        finally:
            if store is not None:
                store.close()


class Subprocess:
    """``job(store, progress, *args)`` in a child process, as a job like any other.

    The child opens the project at the parent store's location; `job` must be a function
    importable by name and `args` and its result picklable. The parent waits on the pipe,
    forwarding reports to its own progress (which raises `Cancelled` after cancel).
    """

    def __init__(self, job: Callable[..., Any], *args: Any):
        self.job = job
        self.args = args

    def __call__(self, store: Any, progress: Progress) -> Any:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        child = context.Process(target=_child, args=(store.location.value, self.job, self.args,
                                                     theirs),
                                name=f"job-{getattr(self.job, '__name__', 'job')}",
                                daemon=True)
        child.start()
        theirs.close()
        try:
            return _wait(child, ours, progress)
        except Cancelled:
            with contextlib.suppress(OSError):  # a child already gone hears nothing
                ours.send("cancel")
            raise
        finally:
            _end(child)
            ours.close()


def _wait(child, pipe, progress: Progress) -> Any:
    last = (0, 0)
    while True:
        if not pipe.poll(POLL_SECONDS):
            progress(*last)  # nothing new: only to raise Cancelled once cancelled
            continue
        try:
            kind, *body = pipe.recv()
        except EOFError:
            child.join(GRACE_SECONDS)
            raise JobFailed(f"the job's process ended without an answer "
                            f"(exit code {child.exitcode})") from None
        if kind == "progress":
            last = (body[0], body[1])
            progress(*last)
        elif kind == "done":
            return body[0]
        elif kind == "cancelled":
            raise Cancelled("cancelled")
        else:
            raise JobFailed(body[0])


def _end(child) -> None:
    """Let the child end by itself (it has answered, or was asked to stop at its next
    report) for the grace; then terminate it, and kill it if even that is ignored."""
    child.join(GRACE_SECONDS)
    if child.is_alive():
        child.terminate()
        child.join(GRACE_SECONDS)
    if child.is_alive():
        child.kill()
        child.join()


def _child(location: str, job: Callable[..., Any], args: tuple, pipe) -> None:
    """The child's side: open the project, run the job, send reports and the end."""
    from annotator.core.store import Store

    thinned = Control(lambda done, total: pipe.send(("progress", done, total)))

    def progress(done: int, total: int) -> None:
        if pipe.poll():  # the only thing the parent sends is "cancel"
            raise Cancelled("cancelled")
        thinned(done, total)

    try:
        with Store(location) as store:
            result = job(store, progress, *args)
    except Cancelled:
        pipe.send(("cancelled",))
    except BaseException as exc:  # anything, even SystemExit, is told to the parent
        where = traceback.extract_tb(exc.__traceback__)[-1]
        pipe.send(("failed", f"{type(exc).__name__}: {exc} "
                             f"({where.filename}:{where.lineno})"))
    else:
        pipe.send(("done", result))
    finally:
        pipe.close()
