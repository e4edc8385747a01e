"""The window follows changes made anywhere, and viewing writes nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from annotator.core import ops
from annotator.core.project import current_schema
from annotator.core.session import Session
from annotator.core.workflow import start_work
from test_gui_session import open_window, press

pytestmark = pytest.mark.usefixtures("qapp")

FINISH_IN_ANOTHER_PROCESS = """
import sys
from annotator.core import ops
from annotator.core.project import current_schema, open_project
from annotator.core.session import Session
from annotator.core.workflow import start_work

with open_project(sys.argv[1]) as store:
    session = Session("ann")
    target = start_work(store, session, sys.argv[2], current_schema(store).hash)
    ops.mark_done(session, store, target).apply(store)
"""


def status_shown(window, doc_id: str) -> str:
    model = window.documents.model
    return model.index(model.row_of(doc_id), 3).data()


def test_a_document_finished_in_another_process_shows_in_the_list_within_two_seconds(
        qtbot, seeded):
    ids = seeded.documents.ids_in_order()
    window = open_window(qtbot, seeded, suggest=False)
    assert status_shown(window, ids[2]) == "todo"
    subprocess.run([sys.executable, "-c", FINISH_IN_ANOTHER_PROCESS, seeded.location.value,
                    ids[2]], check=True, timeout=60)
    qtbot.waitUntil(lambda: status_shown(window, ids[2]) == "done", timeout=2000)
    assert window.status.progress_label.text() == "1 / 5 done"


def test_curation_from_the_window_is_one_undoable_step_and_the_list_follows(qtbot, seeded,
                                                                              monkeypatch):
    ids = seeded.documents.ids_in_order()
    window = open_window(qtbot, seeded, suggest=False)
    monkeypatch.setattr(window, "ask_exclusion", lambda choices: ("off-topic", ""))
    window.shortcuts["exclude"].trigger()
    assert seeded.documents.curations([ids[0]]) == {ids[0]: ("excluded", "off-topic")}
    assert window.status.progress_label.text() == "0 / 4 done"
    assert window.shortcuts["undo"].text() == "Undo exclude"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert seeded.documents.curations([ids[0]]) == {ids[0]: ("included", None)}
    assert window.status.progress_label.text() == "0 / 5 done"


def rows(store) -> dict[str, int]:
    return {table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("annotation_sets", "spans", "claims", "events",
                          "suggestions_materialised", "documents")}


def test_a_reviewer_opening_annotated_documents_writes_nothing(qtbot, seeded):
    """Alice's work is open in the reviewer's window, with suggestions computed: no set, no
    span, no event appears until the reviewer edits something."""
    ids = seeded.documents.ids_in_order()
    alice = Session("alice")
    target = start_work(seeded, alice, ids[0], current_schema(seeded).hash)
    ops.mark_done(alice, seeded, target).apply(seeded)
    before = rows(seeded)
    window = open_window(qtbot, seeded, "rita")
    qtbot.waitUntil(lambda: not window.workspace.suggesting_now, timeout=60_000)
    assert window.workspace.spans  # the suggestions are shown as a preview
    for doc_id in ids[:3]:
        window.workspace.open(doc_id)
        qtbot.waitUntil(lambda: not window.workspace.suggesting_now, timeout=60_000)
    assert rows(seeded) == before
    assert seeded.sets.find(ids[0], "rita") is None


def test_a_schema_changed_elsewhere_stamps_the_next_work(qtbot, seeded):
    """`annotator schema use` from another process: the window's new sets carry the new hash."""
    from annotator.core.project import use_schema
    from annotator.core.schema import parse_schema
    from annotator.core.store import Store

    ids = seeded.documents.ids_in_order()
    window = open_window(qtbot, seeded, suggest=False)
    body = current_schema(seeded).model_dump(mode="json")
    changed = parse_schema({**body, "version": body["version"] + "-b"}, "test")
    with Store(seeded.location) as other:
        use_schema(other, changed, annotator="lead")
    qtbot.waitUntil(lambda: window.workspace.schema.hash == changed.hash, timeout=2000)
    assert "now uses the schema" in window.status.message.text()
    window.workspace.open(ids[1])
    press(qtbot, window, Qt.Key.Key_S,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seeded.sets.find(ids[1], "ann").schema_hash == changed.hash


def test_quit_opening_another_project_and_working_as_someone_else(qtbot, seeded, tmp_path,
                                                                   monkeypatch):
    """Issue 15, bug 11: Ctrl+Q, Ctrl+O and Ctrl+Shift+N from the window."""
    from PySide6.QtWidgets import QFileDialog

    from annotator.core.project import open_project
    from annotator.gui.app import NAME_KEY, Shell, settings

    shell = Shell(seeded, "ann")
    first = shell.window
    qtbot.addWidget(first)
    other = tmp_path / "other.db"
    open_project(other).close()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(other), ""))
    first.shortcuts["open_project"].trigger()
    second = shell.window
    qtbot.addWidget(second)
    assert second is not first and not first.isVisible()
    assert second.store.location.path == other and shell.store is second.store
    assert second.documents.model.total() == 0 and second.workspace.annotator == "ann"

    monkeypatch.setattr(second, "ask_text", lambda title, label: "gold")
    second.shortcuts["change_annotator"].trigger()
    assert shell.window is second and "names a set, not a person" in \
        second.status.message.text()
    monkeypatch.setattr(second, "ask_text", lambda title, label: "bea")
    second.shortcuts["change_annotator"].trigger()
    third = shell.window
    qtbot.addWidget(third)
    assert third.workspace.annotator == "bea" and settings().value(NAME_KEY) == "bea"
    assert third.store is second.store

    third.shortcuts["quit"].trigger()
    assert not third.isVisible()
    shell.store.close()
