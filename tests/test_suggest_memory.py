"""Corpus memory: accepted entities become patterns, rejected forms are not proposed again,
and suggestions reach an annotator's set once, without duplicates."""

from __future__ import annotations

import pytest

from annotator.core.importers import import_paths
from annotator.core.model import PATTERN
from annotator.core.suggest import ensure_suggestions
from annotator.core.suggest.memory import Memory, resolve

NEWS = "The delegation of Kurdistan24 met Zorblax Industries in Paris on Tuesday.\n"
LATER = "Officials of Zorblax Industries and Kurdistan24 travelled to Paris.\n"


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


def test_a_rejected_form_is_not_proposed_again(two_docs, nlp):
    store, (first, second) = two_docs
    ensure_suggestions(store, first, "ann", nlp=nlp)
    suggested = {(t, label) for t, label, _o in entities(store, first, "ann")}
    assert ("Paris", "GPE") in suggested
    set_id = store.sets.find(first, "ann").id
    with store.transaction():
        for span in store.spans.for_set(set_id, layer="entity"):
            if NEWS[span.start:span.end] == "Paris":
                store.spans.update(span.id, state="rejected")
    ensure_suggestions(store, second, "bob", nlp=nlp)
    later = {(t, label) for t, label, _o in entities(store, second, "bob")}
    assert ("Paris", "GPE") not in later
    assert later  # the rest still comes


def test_a_form_accepted_more_often_than_rejected_stays_a_pattern():
    decisions = [("Paris", "GPE", "accepted", 3), ("Paris", "GPE", "rejected", 1),
                 ("Kurdistan24", "GPE", "rejected", 1), ("Kurdistan24", "ORG", "accepted", 1),
                 ("Acme", "WIDGET", "accepted", 1)]
    memory = Memory.from_decisions(decisions, {"GPE", "ORG"})
    assert memory.patterns == {("Paris", "GPE"), ("Kurdistan24", "ORG")}
    assert memory.blocked == {("Kurdistan24", "GPE")}


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
