"""A large import is read and planned in a process of its own (`importers/planning.py`): it
must store exactly what planning on the importing thread stores, say what went wrong in it,
and stop with the run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.core.importers import ImportFailed, import_paths, planning
from annotator.core.project import open_project
from tests.test_memory_aggregates import aggregates, recount

TEXT = "Report {n}: officials in Paris said talks with Zorblax Industries went well.\n"
TABLES = {
    "documents": "id, title, source, meta",
    "annotation_sets": "id, doc_id, annotator, status, cats, schema_hash, task_hash",
    "spans": 'id, set_id, start, "end", layer, label, origin, state, score',
    "claims": "set_id, content_span_id, source_span_id, cue_span_id, type, attributes",
    "entity_memory": "text, label, annotator, accepted, rejected",
}


def _at(text: str, words: str, **extra) -> dict:
    start = text.index(words)
    return {"start": start, "end": start + len(words), **extra}


def _corpus(path: Path, documents: int = 1_200) -> Path:
    """Records over several batches: finished work, a claim, a decision changed a batch
    later (a conflict), a suggestion, and a second annotator's set."""
    lines = []
    for n in range(documents):
        text = TEXT.format(n=n)
        record = {"text": text, "answer": "accept", "_annotator_id": "ann",
                  "spans": [_at(text, "Paris", label="GPE"),
                            _at(text, "Zorblax Industries", label="ORG")]}
        if n % 7 == 0:
            record["claims"] = [{"type": "indirect", "content": _at(text, "talks with Zorblax "
                                                                          "Industries went well"),
                                 "source": _at(text, "officials"), "cue": _at(text, "said")}]
        lines.append(record)
    for n in (3, 4):  # read after 1,200 records: the spans were planned with an earlier batch
        text = TEXT.format(n=n)
        lines.append({"text": text, "answer": "accept", "_annotator_id": "ann",
                      "spans": [_at(text, "Paris", label="GPE", answer="reject")]})
    text = TEXT.format(n=5)
    lines.append({"text": text, "_annotator_id": "bob",
                  "spans": [_at(text, "Report", label="ORG", score=0.25)]})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _tables(store) -> dict[str, list[tuple]]:
    return {table: sorted(map(tuple, store.conn.execute(f"SELECT {columns} FROM {table}")),
                          key=repr)
            for table, columns in TABLES.items()}


def _worked_project(location, corpus: Path):
    """A project that holds ann's work on one of the corpus's documents already."""
    store = open_project(location)
    first = corpus.read_text(encoding="utf-8").splitlines()[0]
    single = corpus.with_name("single.jsonl")
    single.write_text(first + "\n", encoding="utf-8")
    import_paths(store, [single], annotator="importer")
    return store


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_process_stores_what_the_importing_thread_stores(tmp_path, monkeypatch, method):
    corpus = _corpus(tmp_path / "corpus.jsonl")
    stored, reports = [], []
    for in_process in (False, True):
        monkeypatch.setattr(planning, "PROCESS_FROM", 0 if in_process else 10**12)
        monkeypatch.setattr(planning, "_start_method", lambda: method)
        store = _worked_project(tmp_path / f"{in_process}.db", corpus)
        report = import_paths(store, [corpus], annotator="importer", skip_invalid=True)
        stored.append(_tables(store))
        reports.append(report)
        store.close()
    thread, process = stored
    assert process == thread
    assert reports[1] == reports[0]
    assert len(thread["claims"]) == 172  # one made before the run


def test_a_process_planned_import_on_either_backend(store, tmp_path, monkeypatch):
    """Spans given ids as their batch is stored, later decisions on them, claims pointing at
    them and the corpus memory counted by the planner: on a file and on a server."""
    corpus = _corpus(tmp_path / "corpus.jsonl")
    monkeypatch.setattr(planning, "PROCESS_FROM", 0)
    monkeypatch.setattr(planning, "_start_method", lambda: "spawn")
    single = tmp_path / "single.jsonl"  # ann's work on the first document, already there
    single.write_text(corpus.read_text(encoding="utf-8").splitlines()[0] + "\n",
                      encoding="utf-8")
    import_paths(store, [single], annotator="importer")
    report = import_paths(store, [corpus], annotator="importer", skip_invalid=True)
    assert [p.message for p in report.problems] == [
        "annotator 'ann' already has work on this document in the project; imported "
        "annotations are never merged into it"]
    assert report.annotation_sets == 1_200 and report.conflicts == 2
    assert report.suggestions == 1 and report.claims == 171
    assert aggregates(store) == recount(store)
    assert aggregates(store)[("Paris", "GPE", "ann")] == (1_198, 2)
    parts = store.conn.execute(
        "SELECT substr(d.text, c.start + 1, c.\"end\" - c.start), "
        "substr(d.text, s.start + 1, s.\"end\" - s.start), "
        "substr(d.text, q.start + 1, q.\"end\" - q.start) FROM claims k "
        "JOIN spans c ON c.id = k.content_span_id JOIN spans s ON s.id = k.source_span_id "
        "JOIN spans q ON q.id = k.cue_span_id JOIN annotation_sets a ON a.id = k.set_id "
        "JOIN documents d ON d.id = a.doc_id").fetchall()
    assert len(parts) == 172 and set(map(tuple, parts)) == {
        ("talks with Zorblax Industries went well", "officials", "said")}
    assert store.conn.execute(
        "SELECT count(*) FROM spans WHERE label = 'GPE' AND state = 'rejected'").fetchone()[0] == 2


def test_an_error_in_the_planning_process_is_raised_and_nothing_stored(store, tmp_path,
                                                                       monkeypatch):
    corpus = _corpus(tmp_path / "corpus.jsonl", documents=20)
    monkeypatch.setattr(planning, "PROCESS_FROM", 0)
    monkeypatch.setattr(planning, "_start_method", lambda: "fork")  # takes the patch along

    def failing(self):
        raise ValueError("the planner broke")
        yield

    monkeypatch.setattr(planning.Planner, "batches", failing)
    with pytest.raises(ValueError, match="the planner broke"):
        import_paths(store, [corpus], annotator="importer")
    assert store.documents.count() == 0


def test_a_planning_process_that_dies_is_said_so(store, tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus.jsonl", documents=20)
    monkeypatch.setattr(planning, "PROCESS_FROM", 0)
    monkeypatch.setattr(planning, "_start_method", lambda: "fork")
    monkeypatch.setattr(planning, "_serve", lambda pipe, setup: os._exit(3))
    with pytest.raises(RuntimeError, match=r"planning process stopped \(exit code 3\)"):
        import_paths(store, [corpus], annotator="importer")
    assert store.documents.count() == 0


def test_a_cancelled_run_stops_its_planning_process(store, tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus.jsonl")
    monkeypatch.setattr(planning, "PROCESS_FROM", 0)
    started = []
    original = planning.planner_for
    monkeypatch.setattr("annotator.core.importers.run.planner_for",
                        lambda setup: started.append(original(setup)) or started[-1])

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        import_paths(store, [corpus], annotator="importer", progress=cancel)
    (process,) = started
    assert isinstance(process, planning.PlannerProcess)
    assert process._process.exitcode == -signal.SIGTERM  # stopped at once, not left to time out
    assert store.documents.count() == 0


def test_problems_in_a_process_fail_the_run_as_on_the_thread(store, tmp_path, monkeypatch):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"text": "fine"}\n{"text": 3}\n', encoding="utf-8")
    monkeypatch.setattr(planning, "PROCESS_FROM", 0)
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [corpus], annotator="importer")
    assert [str(p) for p in failed.value.report.problems] == [
        f"{corpus}:2: text: expected a string, got a number"]
    assert store.documents.count() == 0


def test_the_planner_is_forked_only_from_a_process_of_one_thread():
    alone = subprocess.run(
        [sys.executable, "-c", "from annotator.core.importers.planning import _start_method; "
                               "print(_start_method())"],
        capture_output=True, text=True, check=True)
    assert alone.stdout.strip() == "fork"
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert planning._start_method() == "spawn"
    finally:
        release.set()
        other.join()


def test_ctrl_c_is_left_to_the_run_not_the_planning_process(tmp_path, monkeypatch):
    """A terminal's Ctrl+C reaches every process of the command: the planning process keeps
    going (no traceback of its own) and the run decides."""
    corpus = _corpus(tmp_path / "corpus.jsonl", documents=20)
    monkeypatch.setattr(planning, "_start_method", lambda: "fork")
    setup = planning.Setup([corpus], [corpus.stat().st_size], current_schema_of(tmp_path),
                           "importer", {})
    process = planning.PlannerProcess(setup)
    try:
        batches = process.batches()
        first = next(batches)  # the process is serving: past where it set its handler
        os.kill(process._process.pid, signal.SIGINT)
        records = [entry for batch in (first, *batches) for entry in batch.documents]
        assert len(records) == 23
        assert process.finish(set()).memory
    finally:
        process.close()
    assert process._process.exitcode == 0


def current_schema_of(folder: Path):
    from annotator.core.project import current_schema

    store = open_project(folder / "schema.db")
    try:
        return current_schema(store)
    finally:
        store.close()
