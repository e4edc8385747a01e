"""Every op and its inverse, on a real project file: apply, undo, redo leave exact rows."""

from __future__ import annotations

import pytest

from annotator.core import ops
from annotator.core.ops import OpError, OverlapError, Session
from annotator.core.project import current_schema
from annotator.core.workflow import start_work

TYPES = ("direct_quote", "indirect", "unattributed")


@pytest.fixture
def work(seeded):
    """The first seed opened by `ann`, with three suggested entities."""
    session = Session("ann")
    doc_id = seeded.documents.ids_in_order()[0]
    target = start_work(seeded, session, doc_id, current_schema(seeded).hash)
    text = seeded.documents.text(doc_id)
    spans = {}
    for word, label in (("Syria", "GPE"), ("Israel", "GPE"), ("Paris", "GPE")):
        start = text.index(word)
        spans[word] = seeded.spans.add(target.set_id, start, start + len(word), layer="entity",
                                       label=label, origin="model:test@1", state="suggested",
                                       score=0.9).id
    return seeded, session, target, text, spans


def rows(store, target):
    """The set's spans, status and claims as comparable tuples (ids left out: undo may change them)."""
    spans = {s.id: s for s in store.spans.for_set(target.set_id)}
    key = {i: (s.start, s.end, s.layer) for i, s in spans.items()}
    annotation_set = store.sets.get(target.set_id)
    return (sorted((s.start, s.end, s.layer, s.label, s.origin, s.state, s.score)
                   for s in spans.values()),
            (annotation_set.status, annotation_set.note, annotation_set.cats),
            sorted((key[c.content_span_id], key.get(c.source_span_id), key.get(c.cue_span_id),
                    c.type) for c in store.claims.for_set(target.set_id)))


def roundtrip(store, op):
    """Apply, undo, redo; return the rows after apply and check undo/redo restore exactly."""
    target = op.target
    before = rows(store, target)
    op.apply(store)
    after = rows(store, target)
    assert after != before
    op.undo(store)
    assert rows(store, target) == before
    op.redo(store)
    assert rows(store, target) == after
    return after


def state(store, span_id):
    return store.spans.get(span_id).state


def test_accept_and_reject_roundtrip_and_log_events(work):
    store, session, target, _, spans = work
    op = ops.accept(session, store, target, spans["Syria"])
    change = op.apply(store)
    assert change.spans == {spans["Syria"]} and state(store, spans["Syria"]) == "accepted"
    op.undo(store)
    assert state(store, spans["Syria"]) == "suggested"
    op.redo(store)
    assert state(store, spans["Syria"]) == "accepted"
    roundtrip(store, ops.reject(session, store, target, spans["Israel"]))
    assert state(store, spans["Israel"]) == "rejected"
    actions = [e.action for e in store.events.list(doc_id=target.doc_id)]
    assert actions == ["document.start", "span.accept", "span.accept.undo", "span.accept",
                       "span.reject", "span.reject.undo", "span.reject"]
    assert all(e.session_id == session.session_id for e in store.events.list(annotator="ann"))


def test_accepting_twice_is_refused(work):
    store, session, target, _, spans = work
    ops.accept(session, store, target, spans["Syria"]).apply(store)
    with pytest.raises(OpError, match="already accepted"):
        ops.accept(session, store, target, spans["Syria"])


def test_relabel_accepts_with_the_new_label(work):
    store, session, target, _, spans = work
    roundtrip(store, ops.relabel(session, store, target, spans["Paris"], "LOC"))
    span = store.spans.get(spans["Paris"])
    assert (span.label, span.state) == ("LOC", "accepted")


def test_delete_then_undo_restores_offsets_label_state_and_later_ops_follow(work):
    store, session, target, _, spans = work
    original = store.spans.get(spans["Syria"])
    delete = ops.delete_span(session, store, target, spans["Syria"])
    delete.apply(store)
    assert spans["Syria"] not in {s.id for s in store.spans.for_set(target.set_id)}
    delete.undo(store)
    restored = [s for s in store.spans.for_set(target.set_id) if s.start == original.start][0]
    assert (restored.end, restored.label, restored.state, restored.origin, restored.score) == \
        (original.end, original.label, original.state, original.origin, original.score)
    # An op built on the restored span, then the delete redone and undone again: the op
    # still finds its span although the id changed twice.
    accept = ops.accept(session, store, target, restored.id)
    accept.apply(store)
    accept.undo(store)
    delete.redo(store)
    delete.undo(store)
    accept.redo(store)
    again = [s for s in store.spans.for_set(target.set_id) if s.start == original.start][0]
    assert again.state == "accepted"


def test_a_reused_id_never_confuses_a_handle(work):
    store, session, target, text, spans = work
    newest = store.spans.add(target.set_id, text.index("US"), text.index("US") + 2,
                             layer="entity", label="GPE", origin="human", state="accepted")
    delete = ops.delete_span(session, store, target, newest.id)
    delete.apply(store)
    # Another row (here: of the same set, as a worker would add) takes the freed id, as
    # SQLite gives the highest id again; a server never does, but a copied row may.
    store.conn.execute(
        'INSERT INTO spans (id, set_id, start, "end", layer, label, origin, state, created_at, '
        "updated_at) VALUES (?, ?, 0, 2, 'claim', 'CLAIM', 'x', 'suggested', '', '')",
        (newest.id, target.set_id))
    other = store.spans.get(newest.id)
    delete.undo(store)
    assert store.spans.get(other.id).layer == "claim"
    restored = [s for s in store.spans.for_set(target.set_id) if s.layer == "entity"
                and s.start == newest.start]
    assert len(restored) == 1 and restored[0].id != other.id


def test_add_entity_snaps_outward_to_tokens(work):
    store, session, target, text, _ = work
    start = text.index("Kurdistan24")
    op = ops.add_entity(session, store, target, text, start + 2, start + 5, "ORG")
    roundtrip(store, op)
    span = store.spans.get(op.handle.id)
    assert (text[span.start:span.end], span.label, span.origin, span.state) == \
        ("Kurdistan24", "ORG", "human", "accepted")


def test_overlapping_entity_is_refused_with_a_clear_message(work):
    store, session, target, text, spans = work
    start = text.index("Syria")
    before = rows(store, target)
    with pytest.raises(OverlapError, match=r"overlaps GPE 'Syria'") as info:
        ops.add_entity(session, store, target, text, start, start + 8, "ORG")
    assert [s.id for s in info.value.spans] == [spans["Syria"]]
    assert rows(store, target) == before


def test_overlap_replaced_on_request_rejects_the_suggestion(work):
    store, session, target, text, spans = work
    start = text.index("Syria")
    op = ops.add_entity(session, store, target, text, start, start + 8, "ORG", replace=True)
    roundtrip(store, op)
    assert state(store, spans["Syria"]) == "rejected"
    assert any(s.label == "ORG" and s.start == start for s in store.spans.for_set(target.set_id))


def test_selecting_exactly_an_entity_relabels_it(work):
    store, session, target, text, spans = work
    start = text.index("Paris")
    ops.add_entity(session, store, target, text, start, start + 5, "LOC").apply(store)
    span = store.spans.get(spans["Paris"])
    assert (span.label, span.state) == ("LOC", "accepted")


def test_empty_selection_is_refused(work):
    store, session, target, text, _ = work
    with pytest.raises(OpError, match="no word"):
        ops.add_entity(session, store, target, text, 84, 86, "ORG")  # "\n\n" after the title


def test_accept_all_is_one_step(work):
    store, session, target, _, spans = work
    op = ops.accept_all(session, store, target)
    assert op.apply(store).counts["spans"] == 3
    op.undo(store)
    assert {state(store, i) for i in spans.values()} == {"suggested"}
    op.redo(store)
    assert {state(store, i) for i in spans.values()} == {"accepted"}
    with pytest.raises(OpError, match="no suggestions"):
        ops.accept_all(session, store, target)


def make_claim(store, session, target, text):
    quote = "rare joint statement"
    start = text.index(quote)
    op = ops.make_claim(session, store, target, text, start, start + len(quote), TYPES)
    op.apply(store)
    return op.claim.id


def test_make_claim_guesses_the_type_and_undoes(work):
    store, session, target, text, _ = work
    start = text.index("rare joint statement")
    op = ops.make_claim(session, store, target, text, start, start + 20, TYPES)
    _, _, claims = roundtrip(store, op)
    assert claims == [((start, start + 20, "claim"), None, None, "indirect")]
    assert ops.guess_type('he said "we go" now', 9, 14, TYPES) == "direct_quote"


def test_claim_source_from_a_selection_and_cue_from_a_selection(work):
    store, session, target, text, spans = work
    claim_id = make_claim(store, session, target, text)
    source = text.index("The United States")
    roundtrip(store, ops.set_claim_part(session, store, target, claim_id, "source",
                                        selection=(source, source + 17), text=text))
    cue = text.index("issued a rare")
    roundtrip(store, ops.set_claim_part(session, store, target, claim_id, "cue",
                                        selection=(cue, cue + 6), text=text))
    claim = store.claims.get(claim_id)
    source_span, cue_span = store.spans.get(claim.source_span_id), store.spans.get(claim.cue_span_id)
    assert (source_span.layer, text[source_span.start:source_span.end]) == \
        ("source", "The United States")
    assert (cue_span.layer, text[cue_span.start:cue_span.end]) == ("cue", "issued")


def test_claim_source_linked_to_an_entity_and_replaced_source_span_goes(work):
    store, session, target, text, spans = work
    claim_id = make_claim(store, session, target, text)
    source = text.index("The United States")
    ops.set_claim_part(session, store, target, claim_id, "source",
                       selection=(source, source + 17), text=text).apply(store)
    own = store.claims.get(claim_id).source_span_id
    link = ops.set_claim_part(session, store, target, claim_id, "source", span_id=spans["Syria"])
    roundtrip(store, link)
    assert store.claims.get(claim_id).source_span_id == spans["Syria"]
    assert own not in {s.id for s in store.spans.for_set(target.set_id)}  # made for the claim
    link.undo(store)
    restored = store.spans.get(store.claims.get(claim_id).source_span_id)
    assert (restored.layer, restored.start) == ("source", source)


def test_selection_equal_to_an_entity_links_that_entity(work):
    store, session, target, text, spans = work
    claim_id = make_claim(store, session, target, text)
    start = text.index("Israel")
    ops.set_claim_part(session, store, target, claim_id, "source", selection=(start, start + 6),
                       text=text).apply(store)
    assert store.claims.get(claim_id).source_span_id == spans["Israel"]


def test_claim_type_set_and_cycled(work):
    store, session, target, text, _ = work
    claim_id = make_claim(store, session, target, text)
    roundtrip(store, ops.cycle_claim_type(session, store, target, claim_id, TYPES))
    claim = store.claims.get(claim_id)
    assert claim.type == "unattributed"
    assert store.spans.get(claim.content_span_id).label == "unattributed"  # as the suggester
    ops.cycle_claim_type(session, store, target, claim_id, TYPES).apply(store)
    assert store.claims.get(claim_id).type == "direct_quote"
    with pytest.raises(OpError, match="unknown claim type"):
        ops.set_claim_type(session, store, target, claim_id, "rumour", TYPES)


def test_delete_claim_removes_its_own_parts_and_undo_relinks_them(work):
    store, session, target, text, spans = work
    claim_id = make_claim(store, session, target, text)
    cue = text.index("issued a rare")
    ops.set_claim_part(session, store, target, claim_id, "source",
                       span_id=spans["Syria"]).apply(store)
    ops.set_claim_part(session, store, target, claim_id, "cue", selection=(cue, cue + 6),
                       text=text).apply(store)
    op = ops.delete_claim(session, store, target, claim_id)
    before = rows(store, target)
    op.apply(store)
    assert store.claims.for_set(target.set_id) == []
    layers = {s.layer for s in store.spans.for_set(target.set_id)}
    assert layers == {"entity"}  # the linked entity stays, the cue made for the claim goes
    op.undo(store)
    assert rows(store, target) == before
    assert store.claims.for_set(target.set_id)[0].source_span_id == spans["Syria"]


def test_deleting_a_linked_entity_unlinks_and_undo_relinks(work):
    store, session, target, text, spans = work
    claim_id = make_claim(store, session, target, text)
    ops.set_claim_part(session, store, target, claim_id, "source",
                       span_id=spans["Syria"]).apply(store)
    roundtrip(store, ops.delete_span(session, store, target, spans["Syria"]))
    assert store.claims.get(claim_id).source_span_id is None


def test_edit_claim_moves_its_content(work):
    store, session, target, text, _ = work
    claim_id = make_claim(store, session, target, text)
    start = text.index("joint statement")
    roundtrip(store, ops.edit_claim(session, store, target, claim_id, text, start, start + 15))
    content = store.spans.get(store.claims.get(claim_id).content_span_id)
    assert text[content.start:content.end] == "joint statement"


def test_document_labels(work):
    store, session, target, _, _ = work
    schema = current_schema(store)
    roundtrip(store, ops.set_cats(session, store, target, schema, "relevance", "relevant"))
    ops.set_cats(session, store, target, schema, "relevance", "irrelevant").apply(store)
    assert store.sets.get(target.set_id).cats == {"relevance": "irrelevant"}
    with pytest.raises(OpError, match="unknown option"):
        ops.set_cats(session, store, target, schema, "relevance", "maybe")


def test_status_skip_and_flag_with_note(work):
    store, session, target, _, _ = work
    flag = ops.set_status(session, target, "flagged", note="garbled text")
    flag.apply(store)
    current = store.sets.get(target.set_id)
    assert (current.status, current.note) == ("flagged", "garbled text")
    flag.undo(store)
    current = store.sets.get(target.set_id)
    assert (current.status, current.note) == ("in_progress", None)
    ops.set_status(session, target, "skipped").apply(store)
    assert store.sets.get(target.set_id).status == "skipped"


def test_mark_done_accepts_undecided_and_reports_how_many(work):
    store, session, target, _, spans = work
    ops.reject(session, store, target, spans["Paris"]).apply(store)
    done = ops.mark_done(session, store, target)
    change = done.apply(store)
    assert change.counts["accepted"] == 2
    assert store.sets.get(target.set_id).status == "done"
    assert [state(store, spans[w]) for w in ("Syria", "Israel", "Paris")] == \
        ["accepted", "accepted", "rejected"]
    done.undo(store)
    assert store.sets.get(target.set_id).status == "in_progress"
    assert state(store, spans["Syria"]) == "suggested"
    assert store.events.list(action="status.done")[0].payload["accepted"] == 2
