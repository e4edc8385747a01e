"""The one road: actions, the change feed, the core history, rights and curation."""

from __future__ import annotations

import threading

import pytest

from annotator.core import actions, changes, ops
from annotator.core.changes import CURATION, WORK
from annotator.core.history import History
from annotator.core.project import current_schema, use_schema
from annotator.core.rights import GOLD, MEMBER, REVIEWER
from annotator.core.session import Session
from annotator.core.store import Store
from annotator.core.workflow import start_work


def listen(store):
    received = []
    unsubscribe = actions.feed_of(store).subscribe(received.append)
    return received, unsubscribe


def count(store, table):
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def entity(store, set_id, word, label="GPE", state="suggested"):
    doc_id = store.sets.get(set_id).doc_id
    at = store.documents.text(doc_id).index(word)
    return store.spans.add(set_id, at, at + len(word), layer="entity", label=label,
                           origin="model:test@1", state=state).id


def test_an_action_commits_one_event_then_publishes_its_change(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    received, unsubscribe = listen(seeded)
    session = Session("ann")
    with actions.action(seeded, session, "settings.example", payload={"value": 1}) as act:
        seeded.settings.set("example", 1)
        assert received == []  # nothing is published before the commit
    (change,) = received
    assert change is act.change and change.event_id is not None
    event = seeded.events.list(action="settings.example")[-1]
    assert (event.id, event.payload, event.session_id) == \
        (change.event_id, {"value": 1}, session.session_id)

    before = count(seeded, "events")
    with pytest.raises(RuntimeError):
        with actions.action(seeded, session, "document.start", docs=[doc_id]):
            seeded.sets.ensure(doc_id, "ann", None)
            raise RuntimeError("half-way")
    assert (count(seeded, "events"), len(received)) == (before, 1)
    assert seeded.sets.find(doc_id, "ann") is None
    unsubscribe()


def test_a_change_made_on_another_connection_reaches_the_same_feed(seeded):
    received, unsubscribe = listen(seeded)
    doc_id = seeded.documents.ids_in_order()[1]

    def worker():
        with Store(seeded.location) as own:  # a worker thread's own connection
            start_work(own, Session("ann"), doc_id, current_schema(own).hash)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    (change,) = received
    assert (change.docs, change.action, change.set_fields) == \
        ({doc_id}, "document.start", {"status"})
    unsubscribe()


def test_a_multi_document_step_is_undone_and_redone_as_one(seeded):
    ids = seeded.documents.ids_in_order()
    session, history = Session("lead"), History()
    received, unsubscribe = listen(seeded)
    change = history.do(seeded, ops.set_curation(session, seeded, ids[:3], "excluded",
                                                 "duplicate"))
    assert change.docs == set(ids[:3]) and change.scopes == {CURATION}
    assert seeded.documents.count(included_only=True) == 2
    event = seeded.events.list(action="curation.exclude")[-1]
    assert event.doc_id is None and event.payload == {"reason": "duplicate",
                                                      "docs": sorted(ids[:3])}
    assert history.depth == 1 and history.undo_label() == "curation exclude"
    history.undo(seeded)
    assert seeded.documents.count(included_only=True) == 5
    assert seeded.documents.curations(ids[:3]) == {i: ("included", None) for i in ids[:3]}
    history.redo(seeded)
    assert seeded.documents.count(included_only=True) == 2
    assert [c.action for c in received] == ["curation.exclude", "curation.exclude.undo",
                                            "curation.exclude"]
    with pytest.raises(ops.OpError, match="already excluded"):
        ops.set_curation(session, seeded, ids[:3], "excluded", "duplicate")
    unsubscribe()


def test_an_op_across_documents_undoes_in_one_step_and_restores_each(seeded):
    """A step touching the annotation sets of several documents (as "apply this label to
    every occurrence" will): one action, one undo."""
    ids = seeded.documents.ids_in_order()
    session, history = Session("ann"), History()
    schema_hash = current_schema(seeded).hash
    targets = [start_work(seeded, session, doc_id, schema_hash) for doc_id in ids[:2]]
    spans = [entity(seeded, t.set_id, "Israel") for t in targets]
    step = ops.Macro(session, targets[0], "spans.accept_everywhere",
                     [ops.accept(session, seeded, t, s) for t, s in zip(targets, spans)])
    change = history.do(seeded, step)
    assert change.docs == set(ids[:2]) and change.spans == set(spans)
    assert {seeded.spans.get(s).state for s in spans} == {"accepted"}
    history.undo(seeded)
    assert {seeded.spans.get(s).state for s in spans} == {"suggested"}
    assert seeded.events.list(action="spans.accept_everywhere.undo")[-1].payload["docs"] == \
        sorted(ids[:2])


def test_an_annotator_edits_only_their_own_work(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    schema_hash = current_schema(seeded).hash
    alice = start_work(seeded, Session("alice"), doc_id, schema_hash)
    span = entity(seeded, alice.set_id, "Syria")
    bob = Session("bob")
    before = count(seeded, "events")
    with pytest.raises(ops.OpError, match="this is alice's work: only alice edits it"):
        ops.accept(bob, seeded, alice, span).apply(seeded)
    assert seeded.spans.get(span).state == "suggested" and count(seeded, "events") == before


def test_gold_is_a_reviewers_and_carries_who_reviewed_it(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    gold = seeded.sets.ensure(doc_id, GOLD, current_schema(seeded).hash)
    target = ops.Target(doc_id, gold.id)
    span = entity(seeded, gold.id, "Syria")
    with pytest.raises(ops.OpError, match="only a reviewer edits gold"):
        ops.accept(Session("ann", role=MEMBER), seeded, target, span).apply(seeded)
    assert seeded.sets.get(gold.id).reviewed_by is None
    change = ops.accept(Session("rita", role=REVIEWER), seeded, target, span).apply(seeded)
    assert seeded.sets.get(gold.id).reviewed_by == "rita"
    assert "reviewed_by" in change.set_fields and WORK in change.scopes


def test_project_level_changes_are_an_admins(seeded, tmp_path):
    member = Session("ann", role=MEMBER)
    ids = seeded.documents.ids_in_order()
    with pytest.raises(ops.OpError, match="only an admin may curate the corpus"):
        ops.set_curation(member, seeded, ids[:1], "excluded").apply(seeded)
    assert seeded.documents.count(included_only=True) == 5
    with pytest.raises(ops.OpError, match="only an admin may change the labeling schema"):
        use_schema(seeded, current_schema(seeded), annotator="ann", role=MEMBER)


def test_a_record_of_another_process_names_its_documents_and_scope():
    change = changes.from_event(7, "status.done.undo", "bob", "d1", {})
    assert (change.docs, change.scopes, change.set_fields, change.remote) == \
        ({"d1"}, {WORK}, {"status"}, True)
    many = changes.from_event(8, "curation.exclude", "lead", None, {"docs": ["a", "b"]})
    assert (many.docs, many.scopes) == ({"a", "b"}, {CURATION})
    assert changes.from_event(9, "import", "lead", None, {}).scopes == {changes.DOCUMENTS}


def test_a_refused_step_leaves_the_rows_and_the_handles_as_they_were(seeded):
    """A step whose second half is refused rolls back whole: the span its first half deleted
    is back, and so is the handle later steps reach it through."""
    doc_id = seeded.documents.ids_in_order()[0]
    session = Session("ann")
    target = start_work(seeded, session, doc_id, current_schema(seeded).hash)
    syria = entity(seeded, target.set_id, "Syria", state="accepted")
    handle = session.span(syria)
    events = count(seeded, "events")

    class Refused(ops.Op):
        action = "refused"

        def _apply(self, store):
            raise ops.OpError("no")
    step = ops.Macro(session, target, "delete.then.refuse",
                     [ops.delete_span(session, seeded, target, syria), Refused(session, target)])
    with pytest.raises(ops.OpError):
        step.apply(seeded)
    assert handle.id == syria and session.span(syria) is handle
    assert seeded.spans.get(syria).state == "accepted" and count(seeded, "events") == events


def test_a_step_the_project_no_longer_allows_leaves_the_history(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    session, history = Session("ann"), History()
    target = start_work(seeded, session, doc_id, current_schema(seeded).hash)
    span = entity(seeded, target.set_id, "Syria")
    history.do(seeded, ops.accept(session, seeded, target, span))
    with seeded.transaction():  # another window deletes the span
        seeded.spans.delete(span)
    with pytest.raises(ops.OpError):
        history.undo(seeded)
    assert (history.depth, history.can_redo) == (0, False)
    assert history.undo(seeded) is None
