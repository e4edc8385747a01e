"""`annotator agreement` as a user runs it, on a project file and on a server's project."""

from __future__ import annotations

import csv

import orjson
import pytest
from agreement_data import add_document, annotate

from annotator.cli import main

TEXT = "Alice met Bob Smith in Paris on Monday."
ALICE = [(0, 5, "PERSON"), (10, 19, "PERSON"), (23, 28, "GPE")]
BOB = [(0, 5, "PERSON"), (10, 13, "PERSON"), (23, 28, "LOC"), (32, 38, "DATE")]


@pytest.fixture
def project(store, location):
    doc = add_document(store, TEXT, "Paris")
    annotate(store, doc, "alice", ALICE, cats={"relevance": "relevant"})
    annotate(store, doc, "bob", BOB, cats={"relevance": "irrelevant"})
    annotate(store, doc, "carol", ALICE, status="in_progress")
    return location


def test_json_has_the_documented_shape(project, capsys):
    assert main(["--db", project, "agreement", "--json"]) == 0
    result = orjson.loads(capsys.readouterr().out)
    assert result["documents"] == 1
    pair, = result["pairs"]
    assert (pair["a"], pair["b"], pair["documents"]) == ("alice", "bob", 1)
    assert set(pair["entities"]) >= {"exact", "overlap", "per_label"}
    assert set(pair["entities"]["exact"]) == {"p", "r", "f1"}
    assert pair["entities"]["per_label"]["PERSON"]["overlap"]["f1"] == 1.0
    assert set(pair["tokens"]) >= {"kappa"}
    assert set(pair["claims"]) >= {"overlap", "source", "cue", "type"}
    assert set(pair["doc_labels"]) >= {"kappa"}
    assert set(result["alpha_u"]) == {"overall", "per_label"}
    assert result["per_document"][0]["title"] == "Paris"
    assert set(result["per_document"][0]) >= {"doc_id", "title", "annotators", "score"}


def test_text_report_and_csv_files(project, tmp_path, capsys):
    out = tmp_path / "figures"
    assert main(["--db", project, "agreement", "--per-document", "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Agreement over 1 document(s) finished by at least two of alice, bob." in text
    assert "alice – bob" in text and "PERSON" in text and "Paris" in text
    with (out / "pairs.csv").open(encoding="utf-8") as rows:
        pair, = csv.DictReader(rows)
    assert (pair["a"], pair["b"], pair["documents"]) == ("alice", "bob", "1")
    assert float(pair["exact_f1"]) == pytest.approx(2 / 7)
    with (out / "labels.csv").open(encoding="utf-8") as rows:
        assert {row["label"] for row in csv.DictReader(rows)} == {"PERSON", "GPE", "LOC",
                                                                   "DATE"}
    with (out / "documents.csv").open(encoding="utf-8") as rows:
        assert [row["title"] for row in csv.DictReader(rows)] == ["Paris"]


def test_fewer_than_two_finished_annotators_say_so_and_exit_0(project, capsys):
    assert main(["--db", project, "agreement", "--annotators", "alice,carol", "--json"]) == 0
    captured = capsys.readouterr()
    assert "Nothing to compare: no document was finished by two of alice, carol." in \
        captured.err
    assert orjson.loads(captured.out) == {
        "documents": 0, "annotators": ["alice", "carol"], "pairs": [],
        "alpha_u": {"overall": None, "per_label": {}}, "doc_labels": {"alpha": {}},
        "per_document": []}
    assert main(["--db", project, "agreement", "--annotators", "alice"]) == 0
    assert "needs two annotators who finished the same documents, and the comparison has " \
        "only alice." in capsys.readouterr().err


def test_unknown_annotator_lists_the_known_ones(project, capsys):
    assert main(["--db", project, "agreement", "--annotators", "alice,zoe"]) == 2
    assert "annotator: error: unknown annotator zoe; the project knows alice, bob, carol" in \
        capsys.readouterr().err


def test_two_annotators_imported_work_measured_as_a_user_runs_it(tmp_path):
    """Each person's JSONL (our export's records, `_annotator_id` naming whose work it is)
    brought in with `annotator import`, then `annotator agreement --json` in a process."""
    import subprocess
    import sys

    from conftest import ROOT

    def record(who, spans):
        return orjson.dumps({"text": TEXT, "answer": "accept", "_annotator_id": who,
                             "spans": [{"start": s, "end": e, "label": lab}
                                       for s, e, lab in spans]}).decode()

    for who, spans in (("alice", ALICE), ("bob", BOB)):
        (tmp_path / f"{who}.jsonl").write_text(record(who, spans) + "\n", encoding="utf-8")
    db = str(tmp_path / "review.db")

    def annotator(*args):
        return subprocess.run([sys.executable, "-m", "annotator", "--db", db, *args],
                              cwd=ROOT, capture_output=True, text=True, check=True).stdout

    annotator("import", str(tmp_path / "alice.jsonl"), str(tmp_path / "bob.jsonl"))
    result = orjson.loads(annotator("agreement", "--json"))
    assert result["documents"] == 1
    assert result["pairs"][0]["entities"]["exact"]["f1"] == pytest.approx(2 / 7)
    assert result["pairs"][0]["tokens"]["kappa"] == pytest.approx(23 / 50)


def test_a_project_nobody_finished_says_so_in_a_sentence(store, location, capsys):
    add_document(store, "Rome is a city.", "Rome")
    assert main(["--db", location, "agreement"]) == 0
    assert "Nothing to compare: no annotator has finished a document yet." in \
        capsys.readouterr().err
