"""The span rules of `annotator.core.invariants`, and the edits that once broke them: a
rejected entity made to stand again where another now stands (accept, relabel, undo, redo)
left two accepted entities on the same words, and every export of that annotator failed."""

from __future__ import annotations

from types import SimpleNamespace

import orjson
import pytest

from annotator.core import ops
from annotator.core.export.run import ExportOptions, export_dataset
from annotator.core.importers import ImportFailed, import_paths
from annotator.core.invariants import (Coverage, first_overlap, overlap, standing_overlaps,
                                       stands, within)
from annotator.core.ops import OverlapError, Session, Target
from annotator.core.project import current_schema
from conftest import SEEDS


def span(start, end, layer="entity", state="accepted", label="GPE"):
    return SimpleNamespace(start=start, end=end, layer=layer, state=state, label=label)


def test_an_entity_stands_unless_rejected_and_only_entities_stand():
    assert stands(span(0, 5)) and stands(span(0, 5, state="suggested"))
    assert not stands(span(0, 5, state="rejected"))
    assert not stands(span(0, 5, layer="claim")) and not stands(span(0, 5, layer="source"))


def test_overlap_is_a_shared_character_and_same_words_overlap():
    assert overlap(4, 9, 4, 9) and overlap(0, 5, 4, 9) and overlap(0, 10, 3, 4)
    assert not overlap(0, 4, 4, 9) and not overlap(5, 9, 0, 5)
    under = [span(0, 5, state="rejected"), span(0, 5, layer="claim"), span(0, 5, label="ORG"),
             span(5, 9)]
    assert standing_overlaps(under, 2, 5) == [under[2]]


def test_first_overlap_finds_any_overlap_among_neighbours_in_text_order():
    assert first_overlap([(0, 4, "A"), (4, 9, "B"), (10, 12, "C")]) is None
    assert first_overlap([(4, 9, "PERSON"), (4, 9, "GPE")]) == ((4, 9, "PERSON"), (4, 9, "GPE"))
    # C starts inside A, not inside B right before it: A and B are the overlap shown
    assert first_overlap([(0, 10, "A"), (5, 6, "B"), (7, 8, "C")]) == ((0, 10, "A"), (5, 6, "B"))
    assert first_overlap([]) is None


def test_bounds_and_coverage():
    assert within(0, 1, 1) and within(3, 10, 10)
    assert not within(0, 0, 5) and not within(-1, 2, 5) and not within(3, 11, 10)
    taken = Coverage()
    assert taken.claim(4, 9) and taken.claim(0, 4) and taken.claim(9, 30)
    assert not taken.claim(8, 10) and not taken.claim(4, 9)


def test_the_store_reads_only_the_spans_touching_a_range(store):
    import_paths(store, [SEEDS], annotator="tester")
    doc_id = store.documents.ids_in_order()[0]
    set_id = store.sets.ensure(doc_id, "ann", None).id
    for start, end, layer in ((0, 4, "entity"), (4, 9, "entity"), (9, 12, "entity"),
                              (2, 12, "claim")):
        store.spans.add(set_id, start, end, layer=layer, label="X", origin="human",
                        state="accepted")
    other = store.sets.ensure(doc_id, "bob", None).id
    store.spans.add(other, 4, 9, layer="entity", label="X", origin="human", state="accepted")
    assert [(s.start, s.end) for s in store.spans.touching(set_id, 4, 9, layer="entity")] == \
        [(4, 9)]
    assert [(s.start, s.end) for s in store.spans.touching(set_id, 3, 10, layer="entity")] == \
        [(0, 4), (4, 9), (9, 12)]
    assert [s.layer for s in store.spans.touching(set_id, 0, 1, layer="claim")] == []


@pytest.fixture
def work(seeded):
    """The first seed in `ann`'s set: 'Syria' suggested as GPE."""
    doc_id = seeded.documents.ids_in_order()[0]
    aset = seeded.sets.ensure(doc_id, "ann", current_schema(seeded).hash)
    target = Target(doc_id, aset.id)
    text = seeded.documents.text(doc_id)
    start = text.index("Syria")
    syria = seeded.spans.add(aset.id, start, start + 5, layer="entity", label="GPE",
                             origin="model:test@1", state="suggested").id
    return seeded, Session("ann"), target, text, syria


def snapshot(store, target):
    return store.spans.for_set(target.set_id), len(store.events.list())


def standing(store, target):
    return [(s.start, s.end, s.label) for s in store.spans.for_set(target.set_id, layer="entity")
            if s.state != "rejected"]


def exported_spans(store, tmp_path, target):
    ops.mark_done(Session("ann"), store, target).apply(store)
    out = tmp_path / "export"
    export_dataset(store, ExportOptions(annotator="ann"), out)
    (record,) = [orjson.loads(line) for line in (out / "all.jsonl").read_bytes().splitlines()]
    return [(s["start"], s["end"], s["label"]) for s in record["spans"]]


@pytest.mark.parametrize("replaced", [False, True], ids=["rejected", "replaced by drawing"])
def test_a_rejected_entity_is_not_accepted_or_relabelled_under_a_drawn_one(work, tmp_path,
                                                                           replaced):
    store, session, target, text, syria = work
    start = text.index("Syria")
    end = text.index("Israel", start) + len("Israel") if replaced else start + 5
    if replaced:  # drawn over the suggestion: the suggestion is rejected in the same step
        ops.add_entity(session, store, target, text, start, end, "ORG", replace=True).apply(store)
        assert store.spans.get(syria).state == "rejected"
    else:
        ops.accept(session, store, target, syria).apply(store)
        ops.reject(session, store, target, syria).apply(store)
        ops.add_entity(session, store, target, text, start, end, "ORG").apply(store)
    before = snapshot(store, target)
    message = (rf"GPE 'Syria' \({start}:{start + 5}\) would overlap ORG '{text[start:end]}' "
               rf"\({start}:{end}\) standing there: reject or delete that first")
    with pytest.raises(OverlapError, match=message) as refused:
        ops.accept(session, store, target, syria)
    assert [(s.label, s.state) for s in refused.value.spans] == [("ORG", "accepted")]
    with pytest.raises(OverlapError, match=message.replace("GPE", "LOC")):
        ops.relabel(session, store, target, syria, "LOC")
    assert snapshot(store, target) == before
    assert exported_spans(store, tmp_path, target) == [(start, end, "ORG")]


def test_relabelling_a_rejected_entity_in_a_free_place_accepts_it(work):
    store, session, target, _, syria = work
    ops.reject(session, store, target, syria).apply(store)
    ops.relabel(session, store, target, syria, "LOC").apply(store)
    assert (store.spans.get(syria).label, store.spans.get(syria).state) == ("LOC", "accepted")


def test_undoing_a_reject_refuses_once_another_window_drew_there(work, tmp_path):
    store, session, target, text, syria = work
    start = text.index("Syria")
    ops.accept(session, store, target, syria).apply(store)
    reject = ops.reject(session, store, target, syria)
    reject.apply(store)
    other = Session("ann")  # a second window on the same set: not in this undo history
    ops.add_entity(other, store, target, text, start, start + 5, "PERSON").apply(store)
    before = snapshot(store, target)
    with pytest.raises(OverlapError, match="would overlap PERSON 'Syria'"):
        reject.undo(store)
    assert snapshot(store, target) == before
    assert exported_spans(store, tmp_path, target) == [(start, start + 5, "PERSON")]


def test_undoing_a_replace_refuses_when_the_deleted_entity_lost_its_place(work, tmp_path):
    store, session, target, text, syria = work
    start = text.index("Syria")
    wide_end = text.index("Israel", start) + len("Israel")  # "Syria and Israel"
    ops.accept(session, store, target, syria).apply(store)
    replace = ops.add_entity(session, store, target, text, start, wide_end, "ORG", replace=True)
    replace.apply(store)
    other = Session("ann")
    (org,) = [s for s in store.spans.for_set(target.set_id) if s.label == "ORG"]
    ops.reject(other, store, target, org.id).apply(store)
    ops.add_entity(other, store, target, text, start, start + 5, "PERSON").apply(store)
    before = snapshot(store, target)
    with pytest.raises(OverlapError, match="GPE 'Syria'.* would overlap PERSON 'Syria'"):
        replace.undo(store)
    assert snapshot(store, target) == before
    assert exported_spans(store, tmp_path, target) == [(start, start + 5, "PERSON")]


def test_redoing_a_drawing_refuses_once_the_place_is_taken(work):
    store, session, target, text, _ = work
    start = text.index("Kurdistan24")
    draw = ops.add_entity(session, store, target, text, start, start + 11, "ORG")
    draw.apply(store)
    draw.undo(store)
    ops.add_entity(Session("ann"), store, target, text, start, start + 11, "GPE").apply(store)
    before = snapshot(store, target)
    with pytest.raises(OverlapError, match="ORG 'Kurdistan24'.* would overlap GPE"):
        draw.redo(store)
    assert snapshot(store, target) == before
    assert standing(store, target).count((start, start + 11, "GPE")) == 1


def test_an_import_giving_the_same_words_two_labels_is_refused(store, tmp_path):
    text = "Gamma met Delta Force."
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"text": text, "answer": "accept", "spans": [
        {"start": 10, "end": 21, "label": label}]}) + b"\n" for label in ("ORG", "ORG", "GPE")))
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana")
    assert str(failed.value.report.problems[0]) == (
        f"{path}:3: entity GPE 10:21 overlaps an entity of an earlier record for the same "
        "document and annotator")
    assert store.documents.count() == 0
