"""`annotator review` on both backends: the queue's JSON shape, accept-agreed's counts and
the gold it writes (exported by `--annotator gold`), the report, the bare command."""

from __future__ import annotations

import orjson
import pytest

from annotator.cli import main
from review_work import at, finish, two_annotators


@pytest.fixture
def project(seeded):
    ids = seeded.documents.ids_in_order()
    made = two_annotators(seeded, ids[0])
    text = seeded.documents.text(ids[1])
    finish(seeded, ids[1], "alice", [at(text, "Paris", "GPE")])
    finish(seeded, ids[1], "bob", [at(text, "Paris", "GPE")])
    finish(seeded, ids[1], "carol", [at(text, "Paris", "LOC")])
    finish(seeded, ids[2], "alice", [])
    return seeded, ids, made


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_queue_json_shape(project, capsys):
    store, ids, _ = project
    code, out, _ = run(capsys, "review", "queue", "--json", "--db", store.location.value)
    assert code == 0
    queue = orjson.loads(out)
    # lowest agreement first: carol's LOC against alice's and bob's GPE agrees on nothing
    assert [d["doc_id"] for d in queue["documents"]] == [ids[1], ids[0]]
    assert queue["documents"][0]["agreement"] == 0.0
    first = queue["documents"][1]
    assert {k: first[k] for k in ("doc_id", "annotators", "agreement", "state")} == {
        "doc_id": ids[0], "annotators": ["alice", "bob"], "agreement": 0.375,
        "state": "to review"}
    assert first["title"] == store.documents.get(ids[0]).title
    assert queue["left_out"] == {"no finished annotator": 2, "one finished annotator": 1}
    code, out, _ = run(capsys, "review", "queue", "--by", "carol", "--db", store.location.value)
    assert code == 0 and ids[1][:12] in out and ids[0][:12] not in out
    assert "1 not by the annotator asked for" in out


def test_review_summary_prints_the_queue_summary(project, capsys):
    store, _, _ = project
    code, out, _ = run(capsys, "review", "summary", "--db", store.location.value)
    assert code == 0
    assert "review queue: 2 document(s): 2 to review, 0 reviewed, 0 changed since review" in out
    assert "left out: 2 no finished annotator, 1 one finished annotator" in out


def test_accept_agreed_writes_gold_that_the_gold_export_takes(project, capsys, tmp_path):
    store, ids, made = project
    db = store.location.value
    # On a server one works as one's login; in a file as --annotator.
    who = ["--annotator", "rita"] if store.user is None else []
    reviewer = store.user or "rita"
    code, out, _ = run(capsys, "review", "accept-agreed", "--db", db, *who)
    assert code == 0
    # seed 0: Paris, Tuesday, genre agreed by both; seed 1: nothing agreed by all three.
    assert "gold written for 1 document(s): 2 entities, 0 claims, 1 document labels" in out
    assert "1 unchanged" in out and "6 conflict(s) left for review" in out
    assert store.sets.find(ids[1], "gold") is None  # nothing agreed: no gold set made
    code, out, _ = run(capsys, "review", "accept-agreed", "--min", "2", "--db", db, *who)
    assert "gold written for 1 document(s): 1 entities" in out  # seed 1: GPE, 2 of 3
    code, _, _ = run(capsys, "export", "--annotator", "gold", "--include-unfinished",
                     "--out", str(tmp_path / "gold"), "--db", db)
    assert code == 0
    records = [orjson.loads(line) for line in
               (tmp_path / "gold" / "all.jsonl").read_text().splitlines()]
    text = made["text"]
    by_doc = {r["meta"]["doc_id"]: r for r in records}
    assert set(by_doc) == {ids[0], ids[1]}
    assert [(s["start"], s["end"], s["label"]) for s in by_doc[ids[0]]["spans"]] == [
        at(text, "Paris", "GPE"), at(text, "Tuesday", "DATE")]
    assert [s["label"] for s in by_doc[ids[1]]["spans"]] == ["GPE"]
    events = [e for e in store.events.list() if e.action == "review.accept_agreed"]
    assert [e.annotator for e in events] == [reviewer, reviewer]
    code, _, err = run(capsys, "review", "accept-agreed", "--min", "0", "--db", db)
    assert code == 1 and "--min must be at least 1" in err


def test_report_json_and_html(project, capsys, tmp_path):
    store, ids, made = project
    finish(store, ids[0], "gold", made["bob"], [made["claim"]], {"genre": "news_report"})
    page = tmp_path / "report.html"
    code, out, _ = run(capsys, "review", "report", "--json", "--html", str(page),
                       "--db", store.location.value)
    assert code == 0
    report = orjson.loads(out)
    assert set(report) == {"documents", "reviewed", "annotators"}
    assert set(report["annotators"]) == {"alice", "bob"}
    assert set(report["annotators"]["alice"]) == {"documents", "entities", "claims",
                                                  "versions", "confusions"}
    assert report["annotators"]["alice"]["confusions"][0]["theirs"] == "ORG"
    assert "<h2>alice</h2>" in page.read_text()
    code, out, _ = run(capsys, "review", "report", "--db", store.location.value)
    assert code == 0 and "ORG→GPE 1 time(s)" in out and "claims type" in out
