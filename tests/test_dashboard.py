"""The dashboard's figures (`core.curate.dashboard`) and `annotator stats --json`, which
carries them: every test taking `seeded` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from annotator.cli import main
from annotator.core.curate.dashboard import figures, progress

DAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _work(store) -> list[str]:
    """Two done documents (one by two people), one flagged, one untouched, one excluded as a
    duplicate; accepted, suggested and rejected entities; two claims, one rejected."""
    ids = store.documents.ids_in_order()
    with store.transaction():
        first = store.sets.ensure(ids[0], "ann", None)
        for start, end, label, state in ((0, 3, "GPE", "accepted"), (5, 9, "GPE", "accepted"),
                                         (10, 14, "ORG", "accepted"),
                                         (20, 24, "ORG", "rejected"),
                                         (30, 34, "PERSON", "suggested")):
            store.spans.add(first.id, start, end, layer="entity", label=label, origin="human",
                            state=state)
        for start, state, kind in ((40, "accepted", "direct"), (60, "rejected", "indirect")):
            content = store.spans.add(first.id, start, start + 10, layer="claim", label=kind,
                                      origin="human", state=state)
            store.claims.add(first.id, content.id, type=kind)
        store.sets.update(first.id, status="done")
        store.sets.update(store.sets.ensure(ids[1], "ann", None).id, status="in_progress")
        store.sets.update(store.sets.ensure(ids[1], "bob", None).id, status="done")
        store.sets.update(store.sets.ensure(ids[2], "bob", None).id, status="flagged")
        store.sets.update(store.sets.ensure(ids[4], "bob", None).id, status="done")
        store.documents.set_curation(ids[4], "excluded", "duplicate")
    return ids


def _sessions(store) -> None:
    """ann: a 30-minute session on day one (2 done), one on day two (3 done, 1 undone)."""
    def at(day: int, minutes: int) -> str:
        return (DAY + timedelta(days=day, minutes=minutes)).isoformat(timespec="milliseconds")

    rows = [(at(0, 0), "ann", "s1", "status.done"), (at(0, 30), "ann", "s1", "status.done"),
            *[(at(1, m), "ann", "s2", "status.done") for m in (0, 10, 20)],
            (at(1, 60), "ann", "s2", "status.done.undo")]
    with store.transaction():
        store.transfer.insert("events", ("ts", "annotator", "session_id", "action", "payload"),
                              [(*row, "{}") for row in rows])


def test_the_figures_count_status_curation_labels_claims_and_progress(seeded):
    _work(seeded)
    _sessions(seeded)
    got = figures(seeded)
    assert got["by_status"] == {"todo": 1, "skipped": 0, "flagged": 1, "in_progress": 0,
                                "done": 2}
    assert got["by_curation"] == {"included": 4, "excluded": 1}
    assert got["excluded_by_reason"] == {"duplicate": 1}
    assert got["entity_labels"] == {"GPE": 2, "ORG": 1}
    assert got["claim_types"] == {"direct": 1}
    assert got["progress"]["ann"] == [
        {"day": "2026-11-30", "done": 2, "total": 2, "pace": 4.0},
        {"day": "2026-12-01", "done": 2, "total": 4, "pace": 2.0}]


def test_an_empty_project_has_zero_figures_and_no_progress(store):
    got = figures(store)
    assert got["by_status"] == dict.fromkeys(("todo", "skipped", "flagged", "in_progress",
                                              "done"), 0)
    assert got["by_curation"] == {"included": 0, "excluded": 0}
    assert (got["excluded_by_reason"], got["entity_labels"], got["claim_types"],
            got["progress"]) == ({}, {}, {}, {})


def test_a_session_without_duration_has_no_pace_and_undos_never_count_below_zero():
    sessions = [("ann", DAY, DAY, 1), ("ann", DAY + timedelta(days=1), DAY + timedelta(
        days=1, hours=1), -1)]
    assert progress(sessions) == {"ann": [
        {"day": "2026-11-30", "done": 1, "total": 1, "pace": None},
        {"day": "2026-12-01", "done": -1, "total": 0, "pace": 0.0}]}


def test_stats_json_carries_the_dashboard_and_keeps_its_keys(seeded, capsys):
    _work(seeded)
    _sessions(seeded)
    assert main(["stats", "--json", "--db", seeded.location.value]) == 0
    printed = orjson.loads(capsys.readouterr().out)
    assert {"documents", "excluded_documents", "annotation_sets", "spans", "claims", "events",
            "suggestions", "annotators"} <= set(printed)
    assert printed["dashboard"] == figures(seeded)
    assert printed["documents"] == 5 and printed["excluded_documents"] == 1


def test_stats_text_shows_the_dashboard_figures(seeded, capsys):
    _work(seeded)
    assert main(["stats", "--db", seeded.location.value]) == 0
    out = capsys.readouterr().out
    assert "documents by status: todo 1, skipped 0, flagged 1, in_progress 0, done 2" in out
    assert "excluded by reason: duplicate 1" in out
    assert "claims by type: direct 1" in out
