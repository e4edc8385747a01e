"""The Import dialog runs the core import on the workspace's worker and tells what happened:
imported, duplicates, and every problem by file, line and field — then the list shows the new
documents. Waiting is deterministic (`jobFinished`)."""

from __future__ import annotations

import threading

import orjson
import pytest
from PySide6.QtCore import QTimer

from annotator.core.importers import ImportFailed, ImportReport
from annotator.gui import import_dialog
from annotator.gui.import_dialog import ImportDialog
from annotator.gui.workers import Cancelled
from conftest import SEEDS
from gui_dialogs import JOB_TIMEOUT_MS, open_dialog, run

pytestmark = pytest.mark.usefixtures("qapp")


def import_window(qtbot, store):
    # Ctrl+I / File → Import documents…
    return open_dialog(qtbot, store, "import_documents", ImportDialog)


def bad_jsonl(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [{"text": "A fine first article about Paris.", "meta": {"title": "Fine"}},
             {"meta": {"title": "No text here"}},
             {"text": "A third article.", "meta": {"date": "yesterday"}}]
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")
    return path


def test_importing_into_an_empty_project_fills_the_list_and_opens_a_document(qtbot, store):
    window, dialog = import_window(qtbot, store)
    assert window.workspace.doc_id is None and window.documents.model.total() == 0
    assert "has no documents" in window.status.message.text()
    assert not dialog.run_button.isEnabled()  # nothing to import yet
    dialog.add_paths([SEEDS, SEEDS])  # listed once

    report = run(qtbot, dialog)

    assert isinstance(report, ImportReport) and report.imported == 5
    assert store.documents.count() == 5
    qtbot.waitUntil(lambda: window.documents.model.total() == 5, timeout=JOB_TIMEOUT_MS)
    assert window.workspace.doc_id is not None  # the first document to do is open
    assert "has no documents" not in window.status.message.text()  # issue 15, bug 9
    assert window.status.progress_label.text() == "0 / 5 done"
    assert "Imported 5 document(s) from 5 file(s); 0 duplicate(s) skipped." in \
        dialog.result.toPlainText()
    qtbot.waitUntil(lambda: dialog.result.geometry().bottom() < dialog.buttons.geometry().top(),
                    timeout=5_000)  # the dialog grew to show the report whole
    window.documents.runner.wait()


def test_a_bad_file_shows_each_problem_by_line_and_field_and_stores_nothing(
        qtbot, seeded, tmp_path):
    path = bad_jsonl(tmp_path)
    window, dialog = import_window(qtbot, seeded)
    dialog.add_paths([path])

    outcome = run(qtbot, dialog)

    assert isinstance(outcome, ImportFailed)
    shown = dialog.result.toPlainText()
    assert "Nothing imported: 2 problem(s)." in shown
    assert f"{path}:2: text: missing" in shown
    assert f"{path}:3: meta.date: expected a date YYYY-MM-DD" in shown
    assert seeded.documents.count() == 5  # the good first line was not stored either


def test_skip_invalid_stores_the_valid_part_and_lists_what_was_skipped(
        qtbot, seeded, tmp_path):
    path = bad_jsonl(tmp_path)
    window, dialog = import_window(qtbot, seeded)
    dialog.add_paths([path, SEEDS])
    dialog.skip_invalid.setChecked(True)

    report = run(qtbot, dialog)

    assert report.imported == 1 and len(report.duplicates) == 5
    assert seeded.documents.count() == 6
    shown = dialog.result.toPlainText()
    assert "Imported 1 document(s) from 6 file(s); 5 duplicate(s) skipped, 2 invalid skipped." \
        in shown
    assert f"{path}:2: text: missing" in shown and "(same text as the project)" in shown
    qtbot.waitUntil(lambda: window.documents.model.total() == 6, timeout=JOB_TIMEOUT_MS)
    window.documents.runner.wait()


def test_the_import_runs_off_the_ui_thread_and_cancel_stores_nothing(
        qtbot, store, monkeypatch):
    real, seen = import_dialog.import_paths, {}
    timer_fired, proceed = threading.Event(), threading.Event()

    def held(*args, **kwargs):
        seen["thread"] = threading.current_thread()
        seen["timer fired while the job waited"] = timer_fired.wait(JOB_TIMEOUT_MS / 1000)
        proceed.wait(JOB_TIMEOUT_MS / 1000)
        return real(*args, **kwargs)
    monkeypatch.setattr(import_dialog, "import_paths", held)
    window, dialog = import_window(qtbot, store)
    dialog.add_paths([SEEDS])
    QTimer.singleShot(0, timer_fired.set)  # runs only if the UI thread is free during the job
    dialog.run_button.click()
    qtbot.waitUntil(lambda: "thread" in seen, timeout=JOB_TIMEOUT_MS)
    dialog.cancel_button.click()
    assert dialog.isVisible() and dialog.state.text() == "cancelling…"

    with qtbot.waitSignal(dialog.jobFinished, timeout=JOB_TIMEOUT_MS) as finished:
        proceed.set()

    assert isinstance(finished.args[0], Cancelled)
    assert seen["thread"] is not threading.main_thread()
    assert seen["timer fired while the job waited"]
    assert "Cancelled — nothing imported." in dialog.result.toPlainText()
    assert store.documents.count() == 0


def test_sources_new_to_the_project_join_the_filter_and_the_column_appears(
        qtbot, store, tmp_path):
    from annotator.gui.models.document_list import COLUMNS

    path = tmp_path / "wire.jsonl"
    path.write_bytes(b"".join(  # two sources: a single one everywhere would say nothing
        orjson.dumps({"text": text, "meta": {"title": "Talks", "source": source}}) + b"\n"
        for text, source in (("Talks resumed in Paris on Tuesday.", "Reuters"),
                             ("Talks resumed in Rome on Friday.", "AP"))))
    window, dialog = import_window(qtbot, store)
    panel = window.documents
    assert panel.view.isColumnHidden(COLUMNS.index("source"))
    dialog.add_paths([path])

    run(qtbot, dialog)

    assert panel.source.findData("Reuters") > 0
    assert not panel.view.isColumnHidden(COLUMNS.index("source"))
    qtbot.waitUntil(lambda: panel.model.total() == 2, timeout=JOB_TIMEOUT_MS)
    panel.runner.wait()


def test_a_large_input_is_planned_in_a_spawned_process_from_the_app(
        qtbot, store, tmp_path, monkeypatch):
    """The app runs threads (Qt's, the job's), so its planning process is spawned, never
    forked; what it plans lands as from the importing thread."""
    from annotator.core.importers import planning

    started = []
    real = planning.planner_for

    def watched(setup):
        started.append((real(setup), planning._start_method()))
        return started[-1][0]
    monkeypatch.setattr(planning, "PROCESS_FROM", 0)
    monkeypatch.setattr("annotator.core.importers.run.planner_for", watched)
    path = tmp_path / "annotated.jsonl"
    text = "Talks resumed in Paris on Tuesday."
    path.write_bytes(orjson.dumps({"text": text, "answer": "accept", "_annotator_id": "ana",
                                   "spans": [{"start": 17, "end": 22, "label": "GPE"}]}) + b"\n")
    window, dialog = import_window(qtbot, store)
    dialog.add_paths([path])

    report = run(qtbot, dialog)

    [(planner, method)] = started
    assert isinstance(planner, planning.PlannerProcess) and method == "spawn"
    assert report.imported == 1 and report.spans == 1
    [document] = store.documents.iter_all()
    [span] = store.spans.for_set(store.sets.find(document.id, "ana").id)
    assert (text[span.start:span.end], span.label, span.state) == ("Paris", "GPE", "accepted")
    window.documents.runner.wait()


def test_files_dropped_on_the_dialog_are_listed(qtbot, store, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    window, dialog = import_window(qtbot, store)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SEEDS)), QUrl("https://example.org/a.txt")])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    dialog.dropEvent(drop)
    assert dialog.path_list() == [str(SEEDS)]  # local files only
    assert dialog.run_button.isEnabled()


def test_a_problem_repeated_on_many_records_is_listed_once(qtbot, store, tmp_path):
    path = tmp_path / "drugs.jsonl"
    path.write_bytes(b"".join(orjson.dumps({
        "text": f"Trial {i} of Aspirin.", "answer": "accept",
        "spans": [{"start": 11, "end": 18, "label": "DRUG"}]}) + b"\n" for i in range(1, 8)))
    window, dialog = import_window(qtbot, store)
    dialog.add_paths([path])

    outcome = run(qtbot, dialog)

    assert isinstance(outcome, ImportFailed) and len(outcome.report.problems) == 7
    shown = dialog.result.toPlainText()
    assert f"{path}: lines 1–7: spans[0].label: unknown label 'DRUG'" in shown
    assert shown.count("unknown label") == 1 and "(on 7 records)" in shown
