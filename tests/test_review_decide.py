"""Review decisions as ops on both backends: each one an event naming whose version it
took, undone and redone exactly; gold written only by a reviewer and exported as `gold`."""

from __future__ import annotations

import pytest

from annotator.core.errors import RightsError
from annotator.core.export.selection import Selection, iter_annotations
from annotator.core.history import History
from annotator.core.ops import OpError, Session
from annotator.core.project import current_schema
from annotator.core.review import decide
from annotator.core.review.picture import (BOUNDARY, CATS, CLAIM, CLAIM_PART, DOCUMENT_LABEL,
                                           ENTITY, LABEL, ONLY_ONE, gold_version,
                                           merged_picture)
from annotator.core.review.work import load_one
from review_work import at, two_annotators


@pytest.fixture
def review(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    made = two_annotators(seeded, doc_id)
    session = Session("rita", role="reviewer")
    target = decide.start_review(seeded, session, doc_id, current_schema(seeded).hash)
    picture = merged_picture(load_one(seeded, doc_id).works)
    conflicts = {(c.layer, c.kind): c for c in picture.conflicts}
    return seeded, session, target, picture, conflicts, made


def gold(store, target):
    """Gold's content as the picture compares it."""
    work = load_one(store, target.doc_id).gold_work
    return sorted(work.entities), sorted(work.claims), work.cats


def last_event(store, doc_id):
    return store.events.list(doc_id=doc_id)[-1]


def roundtrip(store, session, op, history):
    """Apply through the history, undo, redo: undo restores gold exactly, redo re-makes it."""
    target = op.target
    before = gold(store, target)
    history.do(store, op)
    after = gold(store, target)
    assert after != before
    history.undo(store)
    assert gold(store, target) == before
    history.redo(store)
    assert gold(store, target) == after
    return after


def test_the_picture_of_the_seed_has_every_kind(review):
    _, _, _, picture, conflicts, made = review
    assert set(conflicts) == {(ENTITY, LABEL), (ENTITY, BOUNDARY), (ENTITY, ONLY_ONE),
                              (CLAIM, CLAIM_PART), (CATS, DOCUMENT_LABEL)}
    text = made["text"]
    assert picture.entities == (at(text, "Paris", "GPE"), at(text, "Tuesday", "DATE"))
    assert picture.cats == {"genre": "news_report"}


def test_taking_a_version_records_whose_and_undoes(review):
    store, session, target, _, conflicts, made = review
    text, history = made["text"], History()
    label = conflicts[(ENTITY, LABEL)]
    bobs = next(i for i, v in enumerate(label.versions) if v.holders == ("bob",))
    entities, _, _ = roundtrip(store, session, decide.take(session, store, target, label, bobs),
                               history)
    assert entities == [at(text, "Kurdistan24", "GPE")]
    assert gold_version(label, load_one(store, target.doc_id).gold_work) == bobs
    event = last_event(store, target.doc_id)
    assert event.action == "review.take" and event.annotator == "rita"
    assert event.payload["taken_from"] == ["bob"] and event.payload["kind"] == LABEL
    assert event.payload["redo"] is True
    assert [e.action for e in store.events.list(doc_id=target.doc_id)][-3:] == [
        "review.take", "review.take.undo", "review.take"]
    assert store.sets.get(target.set_id).reviewed_by == "rita"
    # Taking the other version replaces gold's there; taking it again is refused.
    alices = 1 - bobs
    history.do(store, decide.take(session, store, target, label, alices))
    assert gold(store, target)[0] == [at(text, "Kurdistan24", "ORG")]
    with pytest.raises(OpError, match="already holds"):
        decide.take(session, store, target, label, alices)


def test_boundary_claim_part_and_document_label_versions(review):
    store, session, target, _, conflicts, made = review
    text, history = made["text"], History()
    boundary = conflicts[(ENTITY, BOUNDARY)]
    bobs = next(i for i, v in enumerate(boundary.versions) if v.holders == ("bob",))
    history.do(store, decide.take(session, store, target, boundary, bobs))
    part = conflicts[(CLAIM, CLAIM_PART)]
    assert part.parts == ("type",)
    alices = next(i for i, v in enumerate(part.versions) if v.holders == ("alice",))
    _, claims, _ = roundtrip(store, session, decide.take(session, store, target, part, alices),
                             history)
    assert claims == [made["claim"]]  # content, type, source and cue as alice has them
    cats = conflicts[(CATS, DOCUMENT_LABEL)]
    bobs = next(i for i, v in enumerate(cats.versions) if v.holders == ("bob",))
    _, _, gold_cats = roundtrip(store, session, decide.take(session, store, target, cats, bobs),
                                history)
    assert gold_cats == {"relevance": "partly_relevant"}
    entities, _, _ = gold(store, target)
    assert entities == [at(text, "US Department of State", "ORG")]


def test_drop_removes_gold_there_and_undoes(review):
    store, session, target, _, conflicts, made = review
    history = History()
    only = conflicts[(ENTITY, ONLY_ONE)]
    history.do(store, decide.take(session, store, target, only, 0))
    assert gold(store, target)[0] == [at(made["text"], "Syria", "GPE")]
    roundtrip(store, session, decide.drop(session, store, target, only), history)
    assert gold(store, target)[0] == []
    assert last_event(store, target.doc_id).payload["taken_from"] == ["bob"]
    assert only.versions[gold_version(only, load_one(store, target.doc_id).gold_work)
                         ].holders == ("bob",)
    with pytest.raises(OpError, match="nothing there"):
        decide.drop(session, store, target, only)


def test_accept_agreed_then_mark_reviewed(review):
    store, session, target, picture, _, made = review
    text, history = made["text"], History()
    entities, claims, cats = roundtrip(
        store, session, decide.accept_agreed(session, store, target, picture), history)
    assert entities == [at(text, "Paris", "GPE"), at(text, "Tuesday", "DATE")]
    assert claims == [] and cats == {"genre": "news_report"}
    event = last_event(store, target.doc_id)
    assert event.action == "review.accept_agreed"
    assert (event.payload["entities"], event.payload["cats"]) == (2, 1)
    with pytest.raises(OpError, match="already holds everything"):
        decide.accept_agreed(session, store, target, picture)
    op = decide.mark_reviewed(session, store, target)
    history.do(store, op)
    assert store.sets.get(target.set_id).status == "done"
    history.undo(store)
    assert store.sets.get(target.set_id).status == "in_progress"
    history.redo(store)
    with pytest.raises(OpError, match="already marked reviewed"):
        decide.mark_reviewed(session, store, target)


def test_the_majority_rule_goes_into_gold_with_the_agreed(review):
    store, session, target, _, _, made = review
    from review_work import finish
    text = made["text"]
    finish(store, target.doc_id, "carol", made["alice"][:3],
           cats={"relevance": "relevant", "genre": "news_report"})
    picture = merged_picture(load_one(store, target.doc_id).works, min_agree=2)
    decide.accept_agreed(session, store, target, picture).apply(store)
    entities, _, cats = gold(store, target)
    assert at(text, "Kurdistan24", "ORG") in entities  # alice and carol against bob
    assert cats == {"relevance": "relevant", "genre": "news_report"}


def test_only_a_reviewer_writes_gold(review):
    store, _, target, _, conflicts, _ = review
    member = Session("alice", role="member")
    with pytest.raises(RightsError, match="only a reviewer"):
        decide.start_review(store, member, target.doc_id, None)
    op = decide.take(member, store, target, conflicts[(ENTITY, LABEL)], 0)
    with pytest.raises(RightsError, match="only a reviewer"):
        op.apply(store)
    assert gold(store, target)[0] == []


def test_gold_is_exported_by_the_gold_selection(review):
    store, session, target, picture, conflicts, made = review
    text = made["text"]
    decide.accept_agreed(session, store, target, picture).apply(store)
    decide.take(session, store, target, conflicts[(CLAIM, CLAIM_PART)], 0).apply(store)
    decide.mark_reviewed(session, store, target).apply(store)
    [record] = list(iter_annotations(store, Selection("gold"), with_tokens=False))
    assert record.annotator == "gold" and record.doc.id == target.doc_id
    assert [tuple(e) for e in record.entities] == [at(text, "Paris", "GPE"),
                                                   at(text, "Tuesday", "DATE")]
    [claim] = record.claims
    version = conflicts[(CLAIM, CLAIM_PART)].versions[0].items[0]
    assert (claim.type, tuple(claim.content[:2]), tuple(claim.source[:2]),
            tuple(claim.cue[:2])) == (version.type, (version.start, version.end),
                                      version.source, version.cue)
    assert record.cats == {"genre": "news_report"}
