"""The Export dialog drives the core export off the UI thread and shows what came of it.

The project is annotated through core ops, as the window makes its edits (open, label, mark
done); the dialog's files are then checked against the database. Waiting is deterministic
(`jobFinished`), and the tests that prove the window stays responsive block the job until the
UI thread has shown it can still run a timer.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QStandardPaths, QTimer

from annotator.core import ops, workflow
from annotator.core.export import ExportResult
from annotator.core.ops import Session
from annotator.core.project import current_schema
from annotator.gui import export_dialog
from annotator.gui.dialogs import keymap_html
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.workers import Cancelled, ProgressRelay
from gui_dialogs import JOB_TIMEOUT_MS, open_dialog, run
from test_gui_session import open_window

pytestmark = pytest.mark.usefixtures("qapp")
WORDS = {"Syria": "GPE", "Israel": "GPE", "Reuters": "ORG", "Netanyahu": "PERSON"}


def annotate(store, annotator="ann", documents=3) -> list[str]:
    """The first `documents` seeds labelled and marked done by core ops; the rest untouched."""
    session = Session(annotator)
    schema = current_schema(store)
    ids = store.documents.ids_in_order()[:documents]
    for doc_id in ids:
        target = workflow.start_work(store, session, doc_id, schema.hash)
        text = store.documents.text(doc_id)
        for word, label in WORDS.items():
            found = re.search(rf"\b{word}\b", text)
            if found:
                ops.add_entity(session, store, target, text, found.start(), found.end(),
                               label).apply(store)
        ops.mark_done(session, store, target).apply(store)
    return ids


def accepted_labels(store, annotator="ann") -> Counter[str]:
    labels: Counter[str] = Counter()
    for doc_id in store.documents.ids_in_order():
        aset = store.sets.find(doc_id, annotator)
        if aset is not None and aset.status == "done":
            labels.update(s.label for s in store.spans.for_set(aset.id, layer="entity")
                          if s.state == "accepted")
    return labels


def export_window(qtbot, store):
    # Ctrl+E / File → Export dataset…
    return open_dialog(qtbot, store, "export", ExportDialog)


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_export_writes_the_files_and_the_manifest_counts_match_the_database(
        qtbot, seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the working folder plays no part in where exports go
    ids = annotate(seeded)
    window, dialog = export_window(qtbot, seeded)
    assert dialog.who.findData("ann") >= 0
    choose(dialog.who, "ann")

    result = run(qtbot, dialog)

    assert isinstance(result, ExportResult)
    folder = result.folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert folder.parent == Path(documents) / "Annotator exports"
    assert folder.name.endswith("-jsonl-ann") and tmp_path not in folder.parents
    manifest = orjson.loads((folder / "manifest.json").read_bytes())
    assert (folder / "datasheet.md").is_file()
    assert [f["name"] for f in manifest["files"]] == ["all.jsonl"]
    records = [orjson.loads(line) for line in (folder / "all.jsonl").read_bytes().splitlines()]
    assert [r["meta"]["doc_id"] for r in records] == ids  # done documents only, in order
    assert manifest["splits"] == {"all": {"answer:accept": 3, "documents": 3, "records": 3}}
    assert manifest["labels"]["all"]["entity"] == dict(accepted_labels(seeded))
    assert manifest["annotators"] == {"ann": 3}
    assert manifest["command"].startswith("annotator export --db ")
    assert "--annotator ann" in manifest["command"]
    shown = dialog.result.toPlainText()
    assert str(folder) in shown and "all: 3 record(s) from 3 document(s)" in shown
    assert "all.jsonl" in shown and "Annotators: ann (3 records)" in shown
    assert not dialog.running and dialog.run_button.isEnabled()


def test_the_export_runs_off_the_ui_thread_while_the_window_keeps_running_timers(
        qtbot, seeded, tmp_path, monkeypatch):
    annotate(seeded, documents=1)
    real, seen = export_dialog.export_dataset, {}
    timer_fired = threading.Event()

    def watched(*args, **kwargs):
        seen["thread"] = threading.current_thread()
        seen["timer fired while the job waited"] = timer_fired.wait(JOB_TIMEOUT_MS / 1000)
        return real(*args, **kwargs)
    monkeypatch.setattr(export_dialog, "export_dataset", watched)
    window, dialog = export_window(qtbot, seeded)
    dialog.folder.setText(str(tmp_path / "out"))
    QTimer.singleShot(0, timer_fired.set)  # runs only if the UI thread is free during the job

    assert isinstance(run(qtbot, dialog), ExportResult)
    assert seen["thread"] is not threading.main_thread()
    assert seen["timer fired while the job waited"]


def test_a_validation_failure_names_the_document_and_span_and_writes_nothing(
        qtbot, seeded, tmp_path):
    (first, *_) = annotate(seeded)
    aset = seeded.sets.find(first, "ann")
    gpe = next(s for s in seeded.spans.for_set(aset.id) if s.label == "GPE")
    with seeded.transaction():  # an overlap no op would make: a corrupted file, say
        seeded.spans.add(aset.id, gpe.start, gpe.end + 1, layer="entity", label="LOC",
                         origin="human", state="accepted")
    window, dialog = export_window(qtbot, seeded)
    out = tmp_path / "out"
    dialog.folder.setText(str(out))

    outcome = run(qtbot, dialog)

    shown = dialog.result.toPlainText()
    assert not isinstance(outcome, ExportResult)
    assert "Nothing written." in shown and f"document {first[:12]}" in shown
    assert re.search(r"(LOC|GPE) span \d+:\d+: overlaps", shown)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_an_earlier_export_is_never_overwritten(qtbot, seeded, tmp_path):
    annotate(seeded, documents=1)
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "all.jsonl").write_text("kept\n")
    window, dialog = export_window(qtbot, seeded)
    dialog.folder.setText(str(earlier))

    run(qtbot, dialog)

    assert "already exists and is not empty" in dialog.result.toPlainText()
    assert [p.name for p in earlier.iterdir()] == ["all.jsonl"]
    assert (earlier / "all.jsonl").read_text() == "kept\n"


def test_a_split_is_validated_as_typed_and_written_train_dev_test(qtbot, seeded, tmp_path):
    annotate(seeded, documents=5)
    window, dialog = export_window(qtbot, seeded)
    assert not dialog.seed.isEnabled()  # no split: the seed means nothing
    dialog.split.setEditText("80/30")
    assert not dialog.run_button.isEnabled()
    assert "adding up to 100" in dialog.state.text()
    dialog.split.setEditText("80/10/10")
    assert dialog.run_button.isEnabled() and dialog.seed.isEnabled()
    choose(dialog.format, "conll")
    assert not dialog.with_rejected.isEnabled()  # JSONL only
    dialog.seed.setValue(7)
    dialog.folder.setText(str(tmp_path / "split"))

    result = run(qtbot, dialog)

    manifest = result.manifest
    assert manifest["options"]["split"] == "80/10/10" and manifest["options"]["seed"] == 7
    assert sum(s["documents"] for s in manifest["splits"].values()) == 5
    # the five seeds report one story: one group, so they all land in one split
    assert len(manifest["splits"]) == 1
    (split,) = manifest["splits"]
    assert (tmp_path / "split" / f"{split}.conll").is_file()
    assert "--split 80/10/10 --seed 7" in manifest["command"]


def test_cancel_stops_the_export_and_writes_nothing(qtbot, seeded, tmp_path, monkeypatch):
    annotate(seeded)
    real = export_dialog.export_dataset
    started, proceed = threading.Event(), threading.Event()

    def held(*args, **kwargs):
        started.set()
        proceed.wait(JOB_TIMEOUT_MS / 1000)
        return real(*args, **kwargs)
    monkeypatch.setattr(export_dialog, "export_dataset", held)
    window, dialog = export_window(qtbot, seeded)
    out = tmp_path / "out"
    dialog.folder.setText(str(out))
    dialog.run_button.click()
    qtbot.waitUntil(started.is_set, timeout=JOB_TIMEOUT_MS)
    assert dialog.running and dialog.cancel_button.isVisible()
    assert not dialog.form_widget.isEnabled()

    with qtbot.waitSignal(dialog.jobFinished, timeout=JOB_TIMEOUT_MS) as finished:
        dialog.cancel_button.click()
        proceed.set()

    assert isinstance(finished.args[0], Cancelled)
    assert "Cancelled — nothing written." in dialog.result.toPlainText()
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_the_key_is_on_the_help_sheet_and_in_the_file_menu(qtbot, seeded):
    window = open_window(qtbot, seeded, suggest=False)
    assert "Ctrl+E" in keymap_html(window.schema) and "Ctrl+I" in keymap_html(window.schema)
    file_menu = window.menuBar().actions()[0].menu()
    assert [a.text() for a in file_menu.actions() if not a.isSeparator()] == [
        "Open project…", "Work as another annotator…", "Import documents…", "Export dataset…",
        "Merge projects…", "Quit"]


def test_an_unexpected_failure_is_shown_and_the_dialog_can_run_again(
        qtbot, seeded, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(export_dialog, "export_dataset", broken)
    window, dialog = export_window(qtbot, seeded)
    dialog.folder.setText(str(tmp_path / "out"))

    assert run(qtbot, dialog) == "OSError: disk full"

    assert "Failed: OSError: disk full" in dialog.result.toPlainText()
    assert not dialog.running and dialog.run_button.isEnabled()
    assert dialog.form_widget.isEnabled()


def test_progress_reports_are_thinned_to_thousandths_and_cancel_stops_at_the_next():
    relay, seen = ProgressRelay(), []
    relay.advanced.connect(lambda done, total: seen.append((done, total)))
    for done in range(20_001):
        relay(done, 20_000)
    assert len(seen) == 1001 and seen[0] == (0, 20_000) and seen[-1] == (20_000, 20_000)
    relay.cancel()
    with pytest.raises(Cancelled):
        relay(1, 2)
