"""Corpus memory: accepted entities become patterns, rejected forms are not proposed again,
and suggestions reach an annotator's set once, without duplicates."""

from __future__ import annotations

import pytest

from annotator.core.importers import import_paths
from annotator.core.model import PATTERN
from annotator.core.suggest import ensure_suggestions
from annotator.core.project import current_schema
from annotator.core.store import GOLD
from annotator.core.suggest.memory import MEMORY_SHARED, memory_for, resolve

NEWS = "The delegation of Kurdistan24 met Zorblax Industries in Paris on Tuesday.\n"
LATER = "Officials of Zorblax Industries and Kurdistan24 travelled to Paris.\n"


@pytest.fixture
def schema(store):
    return current_schema(store)


@pytest.fixture
def two_docs(store, tmp_path):
    for name, text in (("a.txt", NEWS), ("b.txt", LATER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    import_paths(store, [tmp_path / "a.txt", tmp_path / "b.txt"], annotator="tester")
    return store, store.documents.ids_in_order()


def entities(store, doc_id, annotator):
    found = store.sets.find(doc_id, annotator)
    text = store.documents.text(doc_id)
    return {(text[s.start:s.end], s.label, s.origin)
            for s in store.spans.for_set(found.id, layer="entity")}


def test_an_accepted_entity_becomes_a_pattern_for_other_documents(two_docs, nlp):
    store, (first, second) = two_docs
    with store.transaction():
        set_id = store.sets.ensure(first, "ann", None).id
        start = NEWS.index("Zorblax Industries")
        store.spans.add(set_id, start, start + len("Zorblax Industries"), layer="entity",
                        label="ORG", origin="human", state="accepted")
    ensure_suggestions(store, second, "ann", nlp=nlp)
    assert ("Zorblax Industries", "ORG", PATTERN) in entities(store, second, "ann")


def accept(store, doc_id, annotator, text, form, label):
    with store.transaction():
        set_id = store.sets.ensure(doc_id, annotator, None).id
        start = text.index(form)
        store.spans.add(set_id, start, start + len(form), layer="entity", label=label,
                        origin="human", state="accepted")


def reject_paris(store, doc_id, annotator, nlp):
    """`annotator`'s suggestions for the first document, with Paris (GPE) rejected."""
    ensure_suggestions(store, doc_id, annotator, nlp=nlp)
    assert ("Paris", "GPE") in {(t, label) for t, label, _o in entities(store, doc_id, annotator)}
    with store.transaction():
        for span in store.spans.for_set(store.sets.find(doc_id, annotator).id, layer="entity"):
            if NEWS[span.start:span.end] == "Paris":
                store.spans.update(span.id, state="rejected")


def test_a_rejected_form_is_not_proposed_again(two_docs, nlp):
    store, (first, second) = two_docs
    reject_paris(store, first, "ann", nlp)
    ensure_suggestions(store, second, "ann", nlp=nlp)
    later = {(t, label) for t, label, _o in entities(store, second, "ann")}
    assert ("Paris", "GPE") not in later
    assert later  # the rest still comes


def test_another_annotators_rejects_and_accepts_do_not_reach_my_suggestions(two_docs, nlp):
    store, (first, second) = two_docs
    reject_paris(store, first, "ann", nlp)
    accept(store, first, "ann", NEWS, "Zorblax Industries", "ORG")
    ensure_suggestions(store, second, "bob", nlp=nlp)
    mine = entities(store, second, "bob")
    assert ("Paris", "GPE") in {(t, label) for t, label, _o in mine}
    assert not any(origin == PATTERN for _t, _l, origin in mine)


def test_a_shared_memory_learns_from_the_whole_team(two_docs, nlp):
    store, (first, second) = two_docs
    reject_paris(store, first, "ann", nlp)
    accept(store, first, "ann", NEWS, "Zorblax Industries", "ORG")
    with store.transaction():
        store.settings.set(MEMORY_SHARED, True)
    ensure_suggestions(store, second, "bob", nlp=nlp)
    theirs = entities(store, second, "bob")
    assert ("Paris", "GPE") not in {(t, label) for t, label, _o in theirs}
    assert ("Zorblax Industries", "ORG", PATTERN) in theirs


def test_the_gold_set_learns_from_gold_not_from_the_reviewers_own_work(two_docs, nlp):
    store, (first, second) = two_docs
    reject_paris(store, first, "rev", nlp)
    accept(store, first, "rev", NEWS, "Zorblax Industries", "ORG")
    accept(store, first, GOLD, NEWS, "Kurdistan24", "ORG")
    ensure_suggestions(store, second, GOLD, nlp=nlp)
    gold = entities(store, second, GOLD)
    assert ("Kurdistan24", "ORG", PATTERN) in gold
    assert ("Paris", "GPE") in {(t, label) for t, label, _o in gold}
    assert ("Zorblax Industries", "ORG", PATTERN) not in gold


def test_a_form_accepted_more_often_than_rejected_stays_a_pattern(store, schema):
    texts = ["Paris, Kurdistan24 and Acme.", "Paris again, Kurdistan24 too.",
             "Paris once more.", "Paris at last."]
    with store.transaction():
        store.documents.insert_many([{"id": str(i) * 64, "text": t}
                                     for i, t in enumerate(texts)])
    for i, (text, state) in enumerate(zip(texts, ["accepted", "accepted", "accepted",
                                                  "rejected"])):
        with store.transaction():
            set_id = store.sets.ensure(str(i) * 64, "ann", None).id
            store.spans.add(set_id, 0, 5, layer="entity", label="GPE", origin="human",
                            state=state)
    decisions = [(0, "Kurdistan24", "GPE", "rejected"), (1, "Kurdistan24", "ORG", "accepted"),
                 (0, "Acme", "WIDGET", "accepted")]
    with store.transaction():
        for i, form, label, state in decisions:
            start = texts[i].index(form)
            store.spans.add(store.sets.find(str(i) * 64, "ann").id, start, start + len(form),
                            layer="entity", label=label, origin="human", state=state)
    patterns, blocked = memory_for(store, schema, "ann").judge(
        ["Paris", "Kurdistan24", "Acme", "Nowhere"])
    assert patterns == {"Paris": ["GPE"], "Kurdistan24": ["ORG"]}
    assert blocked == {("Kurdistan24", "GPE")}
    assert memory_for(store, schema, "bob").judge(["Paris", "Kurdistan24"]) == ({}, set())


def test_conflicts_longest_first_then_pattern_over_model():
    model = "model:x@1"
    candidates = [
        {"start": 0, "end": 5, "label": "GPE", "score": None, "origin": model},
        {"start": 0, "end": 12, "label": "ORG", "score": None, "origin": model},
        {"start": 20, "end": 25, "label": "GPE", "score": 0.9, "origin": model},
        {"start": 20, "end": 25, "label": "ORG", "score": None, "origin": PATTERN},
        {"start": 30, "end": 40, "label": "ORG", "score": None, "origin": PATTERN},
        {"start": 35, "end": 48, "label": "GPE", "score": None, "origin": model},
    ]
    assert [(s["start"], s["end"], s["label"]) for s in resolve(candidates)] == [
        (0, 12, "ORG"), (20, 25, "ORG"), (35, 48, "GPE")]


def test_ensure_suggestions_is_idempotent_and_never_duplicates(seeded, nlp):
    store = seeded
    doc_id = store.documents.ids_in_order()[1]
    added = ensure_suggestions(store, doc_id, "ann", nlp=nlp)
    set_id = store.sets.find(doc_id, "ann").id
    spans = store.spans.for_set(set_id)
    claims = store.claims.for_set(set_id)
    assert added == len(spans) > 0 and claims
    assert {s.state for s in spans} == {"suggested"}
    assert {s.layer for s in spans} == {"entity", "claim", "source", "cue"}
    assert ensure_suggestions(store, doc_id, "ann", nlp=nlp) == 0
    assert len(store.spans.for_set(set_id)) == len(spans)
    keys = [(s.layer, s.start, s.end) for s in spans]
    assert len(keys) == len(set(keys))
    entity = sorted((s.start, s.end) for s in spans if s.layer == "entity")
    assert all(a[1] <= b[0] for a, b in zip(entity, entity[1:]))  # no overlaps


def test_existing_work_is_not_duplicated_and_deleted_suggestions_stay_gone(seeded, nlp):
    store = seeded
    doc_id = store.documents.ids_in_order()[1]
    text = store.documents.text(doc_id)
    start = text.index("Reuters")
    with store.transaction():
        set_id = store.sets.ensure(doc_id, "ann", None).id
        store.spans.add(set_id, start, start + 7, layer="entity", label="ORG", origin="human",
                        state="accepted")
    ensure_suggestions(store, doc_id, "ann", nlp=nlp)
    at_reuters = [s for s in store.spans.for_set(set_id, layer="entity")
                  if s.start < start + 7 and s.end > start]
    assert [(s.origin, s.state) for s in at_reuters] == [("human", "accepted")]
    with store.transaction():
        for span in store.spans.for_set(set_id, layer="entity"):
            if span.state == "suggested":
                store.spans.delete(span.id)
    assert ensure_suggestions(store, doc_id, "ann", nlp=nlp) == 0
    assert len(store.spans.for_set(set_id, layer="entity")) == 1


def test_claims_link_content_source_and_cue_spans(seeded, nlp):
    store = seeded
    doc_id = store.documents.ids_in_order()[1]
    ensure_suggestions(store, doc_id, "ann", nlp=nlp)
    set_id = store.sets.find(doc_id, "ann").id
    text = store.documents.text(doc_id)
    spans = {s.id: s for s in store.spans.for_set(set_id)}
    readable = set()
    for claim in store.claims.for_set(set_id):
        content = spans[claim.content_span_id]
        assert content.layer == "claim" and content.label == claim.type
        source = spans[claim.source_span_id] if claim.source_span_id else None
        cue = spans[claim.cue_span_id]
        readable.add((claim.type, text[source.start:source.end] if source else None,
                      text[cue.start:cue.end]))
    assert ("indirect", "A Syrian official", "said") in readable
    assert ("direct_quote", "the website", "explained") in readable
