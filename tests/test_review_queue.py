"""The review queue on both backends: who is in it and why others are not, agreement order,
filters, and review state from times ("changed since review" without touching gold)."""

from __future__ import annotations

import time

import pytest

from annotator.core import ops
from annotator.core.ops import OpError, Session, Target
from annotator.core.project import current_schema
from annotator.core.review import decide
from annotator.core.review.picture import merged_picture
from annotator.core.review.queue import (CHANGED, EXCLUDED, NO_LABEL, NONE_FINISHED, NOT_BY,
                                         ONE_FINISHED, OTHER_STATE, REVIEWED, TO_REVIEW,
                                         review_queue)
from annotator.core.review.work import load_one
from review_work import at, finish, two_annotators


@pytest.fixture
def project(seeded):
    """Five seeds: 0 with conflicts, 1 agreed by alice and bob, 2 finished by alice only
    (bob still working), 3 finished by both but excluded, 4 untouched."""
    ids = seeded.documents.ids_in_order()
    two_annotators(seeded, ids[0])
    text = seeded.documents.text(ids[1])
    paris = [at(text, "Paris", "GPE")]
    for name in ("alice", "bob"):
        finish(seeded, ids[1], name, paris)
        finish(seeded, ids[3], name, [])
    finish(seeded, ids[2], "alice", [])
    finish(seeded, ids[2], "bob", [], status="in_progress")
    ops.set_curation(Session("admin"), seeded, [ids[3]], "excluded", "duplicate").apply(seeded)
    return seeded, ids


def test_queue_lists_documents_two_finished_lowest_agreement_first(project):
    store, ids = project
    queue = review_queue(store, schema_hash=current_schema(store).hash)
    assert [d.doc_id for d in queue.documents] == [ids[0], ids[1]]
    first, second = queue.documents
    # seed 0: Paris, Tuesday and genre agreed; 5 conflicts
    assert first.agreement == pytest.approx(3 / 8) and first.conflicts == 5
    assert second.agreement == 1.0 and second.conflicts == 0
    assert first.annotators == ("alice", "bob") and first.state == TO_REVIEW
    assert first.flagged == ()
    assert queue.left_out == {EXCLUDED: 1, NONE_FINISHED: 1, ONE_FINISHED: 1}
    json = queue.as_json()
    assert set(json) == {"documents", "left_out"}
    assert {"doc_id", "title", "annotators", "agreement", "state"} <= set(json["documents"][0])


def test_filters_count_what_they_leave_out(project):
    store, ids = project
    assert review_queue(store, annotator="carol").documents == ()
    assert review_queue(store, annotator="carol").left_out[NOT_BY] == 2
    by_label = review_queue(store, label="DATE")
    assert [d.doc_id for d in by_label.documents] == [ids[0]]
    assert by_label.left_out[NO_LABEL] == 1
    assert [d.doc_id for d in review_queue(store, label="relevance").documents] == [ids[0]]
    state = review_queue(store, state=REVIEWED)
    assert state.documents == () and state.left_out[OTHER_STATE] == 2
    with pytest.raises(ValueError, match="unknown review state"):
        review_queue(store, state="done")


def test_a_set_under_another_schema_is_in_the_queue_flagged(project):
    store, _ = project
    queue = review_queue(store, schema_hash="another")
    assert queue.documents[0].flagged == ("alice", "bob")


def review_doc(store, doc_id):
    rita = Session("rita", role="reviewer")
    target = decide.start_review(store, rita, doc_id, current_schema(store).hash)
    picture = merged_picture(load_one(store, doc_id).works)
    decide.accept_agreed(rita, store, target, picture).apply(store)
    decide.mark_reviewed(rita, store, target).apply(store)
    return rita, target


def state_of(store, doc_id):
    return next(d.state for d in review_queue(store).documents if d.doc_id == doc_id)


def gold_rows(store, target):
    return sorted((s.start, s.end, s.layer, s.label, s.state)
                  for s in store.spans.for_set(target.set_id))


def test_an_annotators_later_change_marks_changed_since_review_and_leaves_gold(project):
    store, ids = project
    rita, target = review_doc(store, ids[1])
    assert state_of(store, ids[1]) == REVIEWED
    before = gold_rows(store, target)
    time.sleep(0.01)
    alice = Session("alice", role="member")
    mine = Target(ids[1], store.sets.find(ids[1], "alice").id)
    span = store.spans.for_set(mine.set_id)[0]
    ops.relabel(alice, store, mine, span.id, "LOC").apply(store)
    assert state_of(store, ids[1]) == CHANGED
    assert gold_rows(store, target) == before
    # Reviewing again clears it; undoing that review brings it back.
    again = decide.mark_reviewed(rita, store, target)
    again.apply(store)
    assert state_of(store, ids[1]) == REVIEWED
    again.undo(store)
    assert state_of(store, ids[1]) == CHANGED
    again.redo(store)
    with pytest.raises(OpError, match="already marked reviewed"):
        decide.mark_reviewed(rita, store, target)


def test_a_deletion_alone_is_a_change_since_review(project):
    store, ids = project
    review_doc(store, ids[1])
    time.sleep(0.01)
    bob = Session("bob", role="member")
    mine = Target(ids[1], store.sets.find(ids[1], "bob").id)
    ops.delete_span(bob, store, mine, store.spans.for_set(mine.set_id)[0].id).apply(store)
    assert state_of(store, ids[1]) == CHANGED


def test_the_reviewers_own_gold_edits_are_not_changes_since_review(project):
    store, ids = project
    ids1 = ids[1]
    rita, target = review_doc(store, ids1)
    time.sleep(0.01)
    # rita, who reviewed it, also finished it: her gold edits are not her own set's changes.
    finish(store, ids1, "rita", [at(store.documents.text(ids1), "Paris", "GPE")])
    decide.mark_reviewed(rita, store, target).apply(store)
    time.sleep(0.01)
    gold_span = store.spans.for_set(target.set_id)[0]
    ops.relabel(rita, store, target, gold_span.id, "LOC").apply(store)
    assert state_of(store, ids1) == REVIEWED
