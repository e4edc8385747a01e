"""Spans and claims added a batch at a time (what an import does): the ids handed out are the
rows' own, claims link them, and bad rows or a missing transaction are refused."""

import pytest

from annotator.core.store.annotation_sets import GOLD


def _set(seeded):
    doc = next(iter(seeded.documents.iter_all()))
    return doc, seeded.sets.ensure(doc.id, GOLD, None)


def test_batched_spans_get_their_ids_in_order_and_claims_link_them(seeded):
    doc, aset = _set(seeded)
    with seeded.transaction():
        seeded.spans.add(aset.id, 0, 3, layer="entity", label="GPE", origin="human",
                         state="accepted")
        ids = seeded.spans.add_many([(aset.id, 5, 9, "entity", "PERSON", "import:x", "accepted"),
                                     (aset.id, 10, 20, "claim", "statement", "import:x",
                                      "accepted"),
                                     (aset.id, 5, 9, "source", "SOURCE", "import:x",
                                      "accepted")])
        seeded.claims.add_many([(aset.id, ids[1], ids[2], None, "statement", {"k": 1})])
    spans = {s.id: s for s in seeded.spans.for_set(aset.id)}
    assert [(spans[i].start, spans[i].end, spans[i].layer) for i in ids] == [
        (5, 9, "entity"), (10, 20, "claim"), (5, 9, "source")]
    (claim,) = seeded.claims.for_set(aset.id)
    assert (claim.content_span_id, claim.source_span_id, claim.cue_span_id) == (ids[1], ids[2],
                                                                               None)
    assert claim.attributes == {"k": 1}


def test_batched_spans_refuse_a_bad_row_and_a_missing_transaction(seeded):
    _, aset = _set(seeded)
    row = (aset.id, 5, 9, "entity", "PERSON", "import:x", "accepted")
    with pytest.raises(RuntimeError, match="transaction"):
        seeded.spans.add_many([row])
    with pytest.raises(ValueError, match="unknown span state"), seeded.transaction():
        seeded.spans.add_many([row, (*row[:6], "maybe")])
    assert seeded.spans.for_set(aset.id) == []
