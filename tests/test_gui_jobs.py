"""The window's job runner: the open document's work never waits for an import, a job
outlives the dialog that started it (the status bar shows it and cancels it, the dialog
opened again shows it), and cancel stops a job running in a child process."""

from __future__ import annotations

import threading

import pytest

from annotator.core.jobs import Subprocess
from annotator.gui import import_dialog
from annotator.gui.import_dialog import ImportDialog
from annotator.gui.panels.jobs import JobsIndicator
from annotator.gui.workers import BACKGROUND, Cancelled, JobRunner, Task
from conftest import SEEDS
from gui_dialogs import JOB_TIMEOUT_MS
from test_jobs import write_then_wait

pytestmark = pytest.mark.usefixtures("qapp")
WAIT_S = JOB_TIMEOUT_MS / 1000


@pytest.fixture
def runner(location, store):
    jobs = JobRunner(store)
    yield jobs
    jobs.shutdown()


def test_a_short_interactive_job_is_not_queued_behind_a_long_background_one(qtbot, runner):
    started, release, order = threading.Event(), threading.Event(), []

    def long_import(store, progress):
        started.set()
        release.wait(WAIT_S)
        order.append("long")
        return "imported"

    long = runner.run(Task(long_import, "Import documents"), BACKGROUND)
    assert started.wait(WAIT_S)
    seen = []
    short = runner.start(lambda store: store.documents.count(), seen.append, seen.append)
    with qtbot.waitSignal(short.ended, timeout=JOB_TIMEOUT_MS):
        pass
    order.append("short")

    assert seen == [0] and long.running  # done while the import still runs
    with qtbot.waitSignal(long.finished, timeout=JOB_TIMEOUT_MS) as finished:
        release.set()
    assert finished.args == ["imported"] and order == ["short", "long"]


def held_import(monkeypatch):
    """Make the dialog's import wait for `proceed` (once `started`), then run for real."""
    real, started, proceed = import_dialog.import_paths, threading.Event(), threading.Event()

    def held(*args, **kwargs):
        started.set()
        proceed.wait(WAIT_S)
        return real(*args, **kwargs)
    monkeypatch.setattr(import_dialog, "import_paths", held)
    return started, proceed


def open_import(qtbot, runner):
    dialog = ImportDialog(None, runner, "ann")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_closing_the_dialog_leaves_the_job_running_and_reopening_shows_it(
        qtbot, runner, store, monkeypatch):
    started, proceed = held_import(monkeypatch)
    indicator = JobsIndicator(runner)
    qtbot.addWidget(indicator)
    assert indicator.isHidden()
    ended = []
    runner.taskEnded.connect(ended.append)  # how the window hears of it, dialog or not
    dialog = open_import(qtbot, runner)
    dialog.add_paths([SEEDS])
    dialog.run_button.click()
    qtbot.waitUntil(started.is_set, timeout=JOB_TIMEOUT_MS)

    dialog.reject()  # Esc / Close

    (task,) = runner.tasks()
    assert not dialog.isVisible() and task.running and not task.cancelled
    assert not indicator.isHidden() and indicator.label.text() == "Import documents"
    again = open_import(qtbot, runner)
    assert again.running and again.cancel_button.isVisible() and again.progress.isVisible()
    assert not again.form_widget.isEnabled()

    with qtbot.waitSignal(again.jobFinished, timeout=JOB_TIMEOUT_MS) as finished:
        proceed.set()

    assert finished.args[0].imported == 5 and store.documents.count() == 5
    assert "Imported 5 document(s)" in again.result.toPlainText()
    qtbot.waitUntil(indicator.isHidden, timeout=JOB_TIMEOUT_MS)
    assert runner.tasks() == []
    assert [t.outcome for t in ended] == [finished.args[0]]


def test_the_status_bar_cancels_a_job_whose_dialog_was_closed(
        qtbot, runner, store, monkeypatch):
    started, proceed = held_import(monkeypatch)
    indicator = JobsIndicator(runner)
    qtbot.addWidget(indicator)
    dialog = open_import(qtbot, runner)
    dialog.add_paths([SEEDS])
    dialog.run_button.click()
    qtbot.waitUntil(started.is_set, timeout=JOB_TIMEOUT_MS)
    dialog.reject()
    (task,) = runner.tasks()

    indicator.cancel.click()
    assert indicator.label.text() == "Import documents — cancelling…"
    assert not indicator.cancel.isEnabled()
    with qtbot.waitSignal(task.finished, timeout=JOB_TIMEOUT_MS) as finished:
        proceed.set()

    assert isinstance(finished.args[0], Cancelled)
    assert store.documents.count() == 0  # the import rolled back
    qtbot.waitUntil(indicator.isHidden, timeout=JOB_TIMEOUT_MS)


def test_cancel_stops_a_job_in_a_child_process(qtbot, runner, store):
    task = runner.run(Task(Subprocess(write_then_wait), "Training"), BACKGROUND)
    qtbot.waitUntil(lambda: task.last[0] > 0, timeout=JOB_TIMEOUT_MS)  # reports arrive

    with qtbot.waitSignal(task.finished, timeout=JOB_TIMEOUT_MS) as finished:
        task.cancel()

    assert isinstance(finished.args[0], Cancelled)
    assert store.settings.get("written by the child") is None
    assert runner.wait(JOB_TIMEOUT_MS)
