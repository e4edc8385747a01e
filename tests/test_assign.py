"""Handing out work (`annotator assign`) on both backends: balance by words, determinism, the
overlap share, re-assigning after new documents and after a person leaves, started work
that never moves, rights; the per-annotator stats; next-to-do and the list following it."""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import orjson
import pytest

from annotator.cli import main
from annotator.core import ops
from annotator.core.errors import OpError, RightsError
from annotator.core.importers import import_paths
from annotator.core.project import current_schema, open_project
from annotator.core.session import Session
from annotator.core.team.assign import assign
from annotator.core.workflow import next_todo, start_work
from conftest import SEEDS
from test_gui_session import open_window

LEAD = Session("lead")  # an admin (the default role on a project file)
TEAM = ["alice", "bob", "carol"]


@pytest.fixture(autouse=True)
def _list_follows_by_default():
    """View → All documents is per-user state, which Qt keeps for the whole test process."""
    from annotator.gui.app import settings
    from annotator.gui.main_window import EVERYTHING_KEY

    settings().remove(EVERYTHING_KEY)
    yield
    settings().remove(EVERYTHING_KEY)


def add_documents(store, folder, sizes, batch: str = "a") -> list[str]:
    """Import documents of these word counts (each text unique); their ids in import order."""
    path = folder / f"{batch}.jsonl"
    path.write_text("".join(
        orjson.dumps({"text": " ".join(f"{batch}{i}w{j}" for j in range(n)),
                      "meta": {"title": f"{batch} {i}"}}).decode() + "\n"
        for i, n in enumerate(sizes)), encoding="utf-8")
    before = set(store.documents.ids_in_order())
    import_paths(store, [path], annotator="lead")
    return [d for d in store.documents.ids_in_order() if d not in before]


def sizes(n: int, seed: int = 5) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(30, 900) for _ in range(n)]


def people_of(store) -> dict[str, list[str]]:
    out = defaultdict(list)
    for doc_id, annotator in store.assignments.pairs():
        out[doc_id].append(annotator)
    return out


def word_loads(store) -> dict[str, int]:
    words = {d.id: len(d.text.split()) for d in store.documents.iter_all()}
    loads = Counter()
    for doc_id, annotator in store.assignments.pairs():
        loads[annotator] += words[doc_id]
    return loads


def start(store, annotator, doc_id):
    return start_work(store, Session(annotator, role="member"), doc_id,
                      current_schema(store).hash)


def finish(store, annotator, doc_id, status="done"):
    ops.set_status(Session(annotator, role="member"), start(store, annotator, doc_id),
                   status).apply(store)


def test_every_document_to_one_the_overlap_share_to_two_balanced_by_words(store, tmp_path):
    counts = sizes(45)
    ids = add_documents(store, tmp_path, counts)
    handout = assign(store, LEAD, TEAM, overlap=20, per_doc=2, seed=3)
    people = people_of(store)
    assert set(people) == set(ids)  # every included document has someone
    assert all(len(set(p)) == len(p) for p in people.values())  # never one person twice
    assert sorted(Counter(len(p) for p in people.values()).items()) == [(1, 36), (2, 9)]
    assert handout.overlapping == 9 and handout.new_documents == 45
    # Largest document first, each to whoever has the fewest words: after every placement
    # the spread between the most and the least loaded is at most the document just placed,
    # so it ends within the largest document's words (here 2% of a person's ~8,700).
    loads = word_loads(store)
    assert set(loads) == set(TEAM)
    assert max(loads.values()) - min(loads.values()) <= max(counts)
    assert {a: s.words_to_do for a, s in handout.shares.items()} == loads
    event = store.events.list(action="assign")[-1]
    assert event.annotator == "lead" and event.payload["added"] == 54


def test_per_doc_three_takes_three_different_people(store, tmp_path):
    add_documents(store, tmp_path, sizes(10))
    assign(store, LEAD, TEAM, overlap=50, per_doc=3)
    people = people_of(store)
    assert sorted(Counter(len(p) for p in people.values()).values()) == [5, 5]
    assert all(sorted(p) == TEAM for p in people.values() if len(p) == 3)


def test_the_same_seed_gives_the_same_assignment(tmp_path, location):
    counts = sizes(30)
    results = []
    for seed, where in ((7, location), (7, str(tmp_path / "again.db")),
                        (8, str(tmp_path / "other.db"))):
        with open_project(where) as project:
            add_documents(project, tmp_path, counts)
            assign(project, LEAD, TEAM, overlap=30, seed=seed)
            results.append(project.assignments.pairs())
    assert results[0] == results[1]
    assert results[0] != results[2]  # another seed: other overlap documents, other ties


def test_assigning_again_after_new_documents_places_only_the_new_ones(store, tmp_path):
    first = add_documents(store, tmp_path, sizes(20), "a")
    assign(store, LEAD, TEAM, overlap=20, seed=1)
    before = set(store.assignments.pairs())
    repeat = assign(store, LEAD, TEAM, overlap=20, seed=1)
    assert (repeat.added, repeat.removed) == ([], [])
    new = add_documents(store, tmp_path, sizes(10, seed=9), "b")
    handout = assign(store, LEAD, TEAM, overlap=20, seed=1)
    after = set(store.assignments.pairs())
    assert before <= after and handout.removed == []
    assert {doc for doc, _ in after - before} == set(new)
    assert handout.new_documents == 10
    people = people_of(store)
    assert set(people) == set(first + new)
    assert sum(len(p) > 1 for p in people.values()) == round(0.2 * 30)


def test_a_removed_persons_unstarted_documents_go_to_the_others(store, tmp_path):
    add_documents(store, tmp_path, sizes(24))
    assign(store, LEAD, TEAM, overlap=25, seed=2)
    carols = [doc for doc, who in store.assignments.pairs() if who == "carol"]
    finish(store, "carol", carols[0])
    start(store, "carol", carols[1])
    finish(store, "carol", carols[2], "skipped")
    kept = set(carols[:3])
    handout = assign(store, LEAD, ["alice", "bob"], overlap=25, seed=2)
    people = people_of(store)
    assert {doc for doc, who in store.assignments.pairs() if who == "carol"} == kept
    assert sorted(handout.removed) == sorted((doc, "carol") for doc in carols[3:])
    for doc in carols[3:]:  # each went to someone, never twice to one person
        assert people[doc] and "carol" not in people[doc]
        assert len(set(people[doc])) == len(people[doc])
    assert sorted(handout.shares) == ["alice", "bob"]


def test_started_work_never_moves_and_a_starter_is_assigned(store, tmp_path):
    ids = add_documents(store, tmp_path, sizes(12))
    finish(store, "dave", ids[0])  # dave worked before anything was handed out
    start(store, "alice", ids[1])
    assign(store, LEAD, ["alice", "bob", "dave"], seed=4)
    people = people_of(store)
    assert "dave" in people[ids[0]] and "alice" in people[ids[1]]
    assign(store, LEAD, ["bob"], seed=4)  # everyone but bob leaves
    people = people_of(store)
    assert "dave" in people[ids[0]] and "alice" in people[ids[1]]
    assert all(p == ["bob"] for doc, p in people.items() if doc not in ids[:2])


def test_a_new_person_gets_new_documents_and_old_ones_stay(store, tmp_path):
    add_documents(store, tmp_path, sizes(12), "a")
    assign(store, LEAD, ["alice", "bob"], seed=1)
    before = set(store.assignments.pairs())
    new = add_documents(store, tmp_path, [400] * 6, "b")
    assign(store, LEAD, ["alice", "bob", "erin"], seed=1)
    added = set(store.assignments.pairs()) - before
    assert before <= set(store.assignments.pairs())
    # erin starts with nothing to do, so the new documents go to her first
    assert {doc for doc, who in added if who == "erin"} == set(new)


def test_a_member_cannot_assign_and_bad_teams_are_refused(store, tmp_path):
    add_documents(store, tmp_path, sizes(4))
    with pytest.raises(RightsError, match="only an admin may assign work; bob is a member"):
        assign(store, Session("bob", role="member"), TEAM)
    for names, kwargs, message in (
            (["alice", "gold"], {}, "'gold' names a set, not a person"),
            (["alice", "alice"], {}, "alice is named twice"),
            (["alice", ""], {}, "an annotator's name is empty"),
            ([], {}, "name at least one annotator"),
            (TEAM, {"overlap": 120}, "a percentage from 0 to 100, not 120"),
            (["alice", "bob"], {"overlap": 10, "per_doc": 3}, "needs 2 to 2")):
        with pytest.raises(OpError, match=message):
            assign(store, LEAD, names, **kwargs)
    assert not store.assignments.exists() and not store.events.list(action="assign")


def test_next_todo_and_the_list_follow_the_assignment(store, tmp_path):
    ids = add_documents(store, tmp_path, sizes(9))
    assert next_todo(store, "alice") == ids[0]  # nothing handed out: as before
    assign(store, LEAD, TEAM, seed=6)
    mine = [d for d in store.documents.ids_in_order()
            if d in {doc for doc, who in store.assignments.pairs() if who == "alice"}]
    assert store.documents.ids_in_order(annotator="alice", assigned=True) == mine
    assert next_todo(store, "alice") == mine[0]
    assert next_todo(store, "alice", after=mine[0]) == mine[1]
    assert next_todo(store, "alice", after=mine[0], everything=True) == ids[ids.index(mine[0]) + 1]
    for doc in mine:
        finish(store, "alice", doc)
    assert next_todo(store, "alice") is None
    assert next_todo(store, "zoe") is None  # not on the team: nothing of theirs to do
    assert next_todo(store, "zoe", everything=True) == ids[0]


def test_stats_per_annotator_with_pace_from_the_event_log(store, tmp_path, monkeypatch):
    ids = add_documents(store, tmp_path, sizes(6))
    assign(store, LEAD, ["alice", "bob"], seed=0)
    alices = [doc for doc, who in store.assignments.pairs() if who == "alice"]
    clock = (datetime(2026, 3, 1, 9, tzinfo=timezone.utc) + timedelta(minutes=10 * i)
             for i in itertools.count())
    monkeypatch.setattr("annotator.core.store.events.now_iso",
                        lambda: next(clock).isoformat(timespec="milliseconds"))
    session = Session("alice", role="member")
    for doc in alices[:2]:  # start, done: four events ten minutes apart, 30 minutes in all
        target = start_work(store, session, doc, current_schema(store).hash)
        ops.set_status(session, target, "done").apply(store)
    figures = store.stats.summary()["annotators"]
    assert figures["alice"] == {"assigned": len(alices), "done": 2,
                                "remaining": len(alices) - 2, "pace": 4.0}
    assert figures["bob"] == {"assigned": 6 - len(alices), "done": 0,
                              "remaining": 6 - len(alices), "pace": None}
    assert set(figures) == {"alice", "bob"} and len(ids) == 6


def test_assign_and_stats_on_the_command_line(location, capsys):
    assert main(["import", str(SEEDS), "--db", location]) == 0
    capsys.readouterr()
    assert main(["assign", "--annotators", "alice,bob", "--overlap", "40", "--seed", "2",
                 "--db", location]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 document(s): 5 newly assigned, 2 to more than one annotator\n")
    assert "alice" in out and "words to do" in out
    assert main(["assign", "--annotators", "alice,bob,bob", "--db", location]) == 1
    assert "bob is named twice" in capsys.readouterr().err
    assert main(["stats", "--db", location]) == 0
    out = capsys.readouterr().out
    assert "annotators:\n  alice: assigned " in out and "remaining" in out
    assert "no pace yet" in out


@pytest.mark.usefixtures("qapp")
def test_the_document_list_shows_my_documents_and_the_view_menu_all(qtbot, file_seeded):
    ids = file_seeded.documents.ids_in_order()
    assign(file_seeded, LEAD, ["alice", "bob"], seed=1)
    mine = [d for d in ids if "alice" in people_of(file_seeded)[d]]
    window = open_window(qtbot, file_seeded, "alice", suggest=False)
    model = window.documents.model
    assert [model.doc_id(r) for r in range(model.total())] == mine
    assert window.workspace.doc_id == mine[0]  # the first of hers to do
    assert window.status.progress_label.text() == f"0 / {len(mine)} done"
    everything = window.shortcuts["all_documents"]
    assert not everything.isChecked()
    everything.trigger()
    qtbot.waitUntil(lambda: model.total() == len(ids), timeout=5000)
    assert window.status.progress_label.text() == f"0 / {len(ids)} done"
    window.close()
    again = open_window(qtbot, file_seeded, "alice", suggest=False)  # the choice is kept
    assert again.shortcuts["all_documents"].isChecked()
    assert again.documents.model.total() == len(ids)
    again.shortcuts["all_documents"].trigger()
    qtbot.waitUntil(lambda: again.documents.model.total() == len(mine), timeout=5000)
    again.close()


@pytest.mark.usefixtures("qapp")
def test_someone_with_nothing_assigned_is_told_so_and_can_list_everything(qtbot,
                                                                          file_seeded):
    assign(file_seeded, LEAD, ["alice", "bob"], seed=1)
    window = open_window(qtbot, file_seeded, "zoe", suggest=False)
    assert window.documents.model.total() == 0 and window.workspace.doc_id is None
    assert window.status.message.text().startswith("nothing left for you to do")
    window.shortcuts["all_documents"].trigger()
    qtbot.waitUntil(lambda: window.documents.model.total() == 5, timeout=5000)
    window.close()


@pytest.mark.usefixtures("qapp")
def test_an_open_window_follows_work_handed_out_meanwhile(qtbot, file_seeded):
    ids = file_seeded.documents.ids_in_order()
    window = open_window(qtbot, file_seeded, "alice", suggest=False)
    model = window.documents.model
    assert model.total() == 5  # nothing handed out: every document, as before
    assign(file_seeded, LEAD, ["alice", "bob"], seed=1)
    mine = [d for d in ids if "alice" in people_of(file_seeded)[d]]
    qtbot.waitUntil(lambda: model.total() == len(mine), timeout=5000)
    assert [model.doc_id(r) for r in range(model.total())] == mine
    assert window.status.progress_label.text() == f"0 / {len(mine)} done"
    window.close()


def test_on_a_server_a_members_login_cannot_assign(pg_url, pg_server, monkeypatch, capsys):
    """The core refuses a member's login in one sentence (the server would refuse too)."""
    from test_pg_team import _user

    assert main(["team", "init", pg_url]) == 0
    assert main(["import", str(SEEDS), "--db", pg_url]) == 0
    member = _user(pg_url, pg_server, "member", monkeypatch, capsys).info.user
    as_member = pg_url.replace("postgres@", f"{member}@")
    capsys.readouterr()
    assert main(["assign", "--annotators", "alice,bob", "--db", as_member,
                 "--annotator", member]) == 1
    assert capsys.readouterr().err == \
        f"annotator: error: only an admin may assign work; {member} is a member\n"
    with open_project(pg_url) as store:
        assert not store.assignments.exists() and not store.events.list(action="assign")
