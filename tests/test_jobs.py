"""Jobs in the core: a lane runs tasks in order on one thread with one store connection, a
cancelled task stops at its next report, and a job in a real child process sends progress
and its result back, and is stopped by cancel (its open transaction rolled back)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from annotator.core.jobs import Cancelled, Control, JobFailed, Lane, Subprocess, Task
from annotator.core.store import Store

WAIT = 60  # seconds: a spawned child imports the core first


# -- jobs a child process runs: importable by name ---------------------------------------

def count_documents(store, progress, steps):
    for step in range(steps + 1):
        progress(step, steps)
    return os.getpid(), store.documents.count()


def write_then_wait(store, progress):
    """Writes a setting in an open transaction, then reports until cancelled."""
    with store.transaction():
        store.settings.set("written by the child", True)
        step = 0
        while True:
            step += 1
            progress(step, 1_000_000)
            time.sleep(0.02)


def sleep_silently(store, progress, seconds):
    time.sleep(seconds)
    return "woke"


def broken(store, progress):
    raise ValueError("no such thing")


# -- a lane ---------------------------------------------------------------------------------

def test_a_lane_runs_tasks_in_order_on_one_thread_with_one_store(location, seeded):
    opened, seen, ended = [], [], []

    def open_store():
        opened.append(threading.current_thread())
        return Store(location)

    def job(store, progress):
        seen.append((threading.current_thread(), id(store)))
        progress(1, 1)
        return store.documents.count()

    lane = Lane(open_store, "test")
    tasks = [Task(job, ended=ended.append), Task(broken, ended=ended.append),
             Task(job, ended=ended.append)]
    for task in tasks:
        lane.submit(task)
    assert lane.wait(WAIT)
    lane.close()

    assert ended == tasks  # in order, each told once
    assert [t.outcome for t in tasks] == [5, None, 5]
    assert tasks[1].error == "ValueError: no such thing"  # and the lane went on
    assert len(opened) == 1 and opened[0] is not threading.main_thread()
    assert len({thread for thread, _ in seen}) == 1 and len({s for _, s in seen}) == 1


def test_a_cancelled_task_stops_at_its_next_report_and_a_queued_one_never_runs(location, store):
    started, proceed, ran = threading.Event(), threading.Event(), []

    def long_job(store, progress):
        started.set()
        proceed.wait(WAIT)
        progress(1, 2)
        ran.append("after the report")

    lane = Lane(lambda: Store(location), "test")
    running, queued = Task(long_job), Task(lambda s, p: ran.append("queued"))
    lane.submit(running)
    lane.submit(queued)
    assert started.wait(WAIT)
    running.cancel()
    queued.cancel()
    proceed.set()
    assert lane.wait(WAIT)
    lane.close()

    assert isinstance(running.outcome, Cancelled) and isinstance(queued.outcome, Cancelled)
    assert ran == []


def test_an_idle_lane_ends_its_thread_and_closes_its_store(location, store):
    stores, threads, closed = [], [], []

    class Watched(Store):
        def close(self):
            closed.append(self)
            super().close()

    def job(store, progress):
        stores.append(store)
        threads.append(threading.current_thread())

    lane = Lane(lambda: Watched(location), "test", idle_seconds=0.2)
    lane.submit(Task(job))
    assert lane.wait(WAIT)
    threads[0].join(WAIT)  # idle for 0.2 s: it ends
    lane.submit(Task(job))
    assert lane.wait(WAIT)
    lane.close()

    assert not threads[0].is_alive() and threads[1] is not threads[0]
    assert closed == stores and stores[1] is not stores[0]  # the second closed by close()


def test_a_store_that_cannot_open_fails_the_task_not_the_lane(tmp_path):
    folder = tmp_path / "a folder.db"
    folder.mkdir()
    lane = Lane(lambda: Store(folder), "test")
    task = Task(lambda store, progress: "never")
    lane.submit(task)
    assert lane.wait(WAIT)
    lane.close()
    assert task.error and task.outcome is None


def test_progress_is_thinned_to_thousandths_and_cancel_raises_at_the_next_report():
    seen = []
    control = Control(lambda done, total: seen.append((done, total)))
    for done in range(20_001):
        control(done, 20_000)
    assert len(seen) == 1001 and seen[0] == (0, 20_000) and seen[-1] == (20_000, 20_000)
    control.cancel()
    with pytest.raises(Cancelled):
        control(1, 2)


# -- a child process ------------------------------------------------------------------------

def test_a_subprocess_job_reports_progress_and_returns_its_result(seeded):
    seen = []
    pid, count = Subprocess(count_documents, 4)(seeded, Control(
        lambda done, total: seen.append((done, total))))

    assert count == 5 and pid != os.getpid()
    # (0, 0) — started, size not known — shows while the child starts, before its reports
    assert [s for s in seen if s != (0, 0)] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def run_in_thread(job, store, control):
    outcome = {}

    def run():
        try:
            outcome["result"] = job(store, control)
        except BaseException as exc:
            outcome["error"] = exc
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_cancel_stops_a_subprocess_job_and_its_transaction_rolls_back(seeded):
    reported = threading.Event()
    control = Control(lambda done, total: done and reported.set())
    thread, outcome = run_in_thread(Subprocess(write_then_wait), seeded, control)
    assert reported.wait(WAIT)  # the child is inside its transaction

    started = time.monotonic()
    control.cancel()
    thread.join(WAIT)

    assert isinstance(outcome["error"], Cancelled)
    assert time.monotonic() - started < 2  # it stopped at its next report, not by force
    assert seeded.settings.get("written by the child") is None


def test_a_child_that_does_not_report_is_ended_after_the_grace(seeded):
    control = Control()
    job = Subprocess(sleep_silently, 60)
    thread, outcome = run_in_thread(job, seeded, control)
    time.sleep(0.5)
    started = time.monotonic()
    control.cancel()
    thread.join(WAIT)

    assert isinstance(outcome["error"], Cancelled)
    assert time.monotonic() - started < 10  # grace, then terminate: not the 60 s sleep


def test_a_failure_in_the_child_names_the_error_and_where(seeded):
    with pytest.raises(JobFailed, match=r"ValueError: no such thing \(.*test_jobs.py:\d+\)"):
        Subprocess(broken)(seeded, Control())
