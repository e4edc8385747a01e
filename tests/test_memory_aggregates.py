"""The corpus memory aggregates (`entity_memory`) always equal a recount of the decided entity
spans, whoever wrote them: the store, ops with their undo and redo, an import, a migration."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from annotator.core import ops
from annotator.core.identity import doc_id_for
from annotator.core.importers import import_paths
from annotator.core.ops import Session
from annotator.core.ops.base import Target
from annotator.core.store import Store, migrations
from annotator.core.store.connection import connect, transaction

FORMATS = Path(__file__).parent / "data" / "formats"
# Characters outside the Basic Multilingual Plane before and inside the spans: SQLite's substr
# must count them as one character each, as Python's str indices do.
TEXT = "🇸🇾 Talks in 𝔇amascus: Zorblax Industries 🙂 met Kurdistan24 in Paris and Paris again.\n"


def at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def aggregates(store: Store) -> dict[tuple[str, str, str], tuple[int, int]]:
    return {(text, label, annotator): (accepted, rejected)
            for text, label, annotator, accepted, rejected in store.conn.execute(
                "SELECT text, label, annotator, accepted, rejected FROM entity_memory")}


def recount(store: Store) -> dict[tuple[str, str, str], tuple[int, int]]:
    """The aggregates computed from scratch in Python (str slicing of the document text)."""
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for start, end, label, state, annotator, text in store.conn.execute(
            'SELECT s.start, s."end", s.label, s.state, a.annotator, d.text FROM spans s '
            "JOIN annotation_sets a ON a.id = s.set_id JOIN documents d ON d.id = a.doc_id "
            "WHERE s.layer = 'entity' AND s.state IN ('accepted', 'rejected')"):
        counts[(text[start:end], label, annotator, state)] += 1
    keys = {key[:3] for key in counts}
    return {key: (counts[(*key, "accepted")], counts[(*key, "rejected")]) for key in keys}


@pytest.fixture
def doc(store):
    with store.transaction():
        store.documents.insert_many([{"id": "d" * 64, "text": TEXT}])
    return store, "d" * 64


def add(store, set_id, word, label, state, nth=0, layer="entity"):
    start, end = at(word, nth)
    return store.spans.add(set_id, start, end, layer=layer, label=label, origin="human",
                           state=state)


def test_insert_update_delete_through_the_store(doc):
    store, doc_id = doc
    with store.transaction():
        ann = store.sets.ensure(doc_id, "ann", None).id
        bob = store.sets.ensure(doc_id, "bob", None).id
        paris = add(store, ann, "Paris", "GPE", "accepted")
        add(store, ann, "Paris", "GPE", "rejected", nth=1)
        zorblax = add(store, ann, "Zorblax Industries", "ORG", "suggested")
        add(store, bob, "𝔇amascus", "GPE", "accepted")
        add(store, bob, "Kurdistan24", "ORG", "accepted", layer="source")
    assert aggregates(store) == {("Paris", "GPE", "ann"): (1, 1),
                                 ("𝔇amascus", "GPE", "bob"): (1, 0)}

    with store.transaction():
        store.spans.update(zorblax.id, state="accepted")
        store.spans.update(paris.id, label="LOC")
    assert aggregates(store) == recount(store) == {
        ("Paris", "GPE", "ann"): (0, 1), ("Paris", "LOC", "ann"): (1, 0),
        ("Zorblax Industries", "ORG", "ann"): (1, 0), ("𝔇amascus", "GPE", "bob"): (1, 0)}

    start, end = at("Zorblax")
    with store.transaction():
        store.spans.update(zorblax.id, start=start, end=end)
        store.spans.update(paris.id, state="suggested")
        store.spans.update(paris.id, score=0.5)  # no decision changes
    assert aggregates(store) == recount(store)
    assert ("Zorblax", "ORG", "ann") in aggregates(store)
    assert ("Zorblax Industries", "ORG", "ann") not in aggregates(store)  # zero rows go

    with store.transaction():
        store.spans.delete(zorblax.id)
    assert aggregates(store) == recount(store) == {("Paris", "GPE", "ann"): (0, 1),
                                                   ("𝔇amascus", "GPE", "bob"): (1, 0)}


def test_a_failed_write_leaves_the_aggregates_as_they_were(doc):
    store, doc_id = doc
    with store.transaction():
        ann = store.sets.ensure(doc_id, "ann", None).id
    with pytest.raises(RuntimeError), store.transaction():
        add(store, ann, "Paris", "GPE", "accepted")
        raise RuntimeError("the action fails after the span was written")
    assert aggregates(store) == {}


def test_deleting_a_set_or_a_document_takes_its_decisions_along(doc):
    store, doc_id = doc
    with store.transaction():
        for annotator in ("ann", "bob"):
            set_id = store.sets.ensure(doc_id, annotator, None).id
            add(store, set_id, "Paris", "GPE", "accepted")
    store.conn.execute("DELETE FROM annotation_sets WHERE annotator = 'ann'")
    assert aggregates(store) == {("Paris", "GPE", "bob"): (1, 0)}
    store.conn.execute("DELETE FROM documents")
    assert aggregates(store) == {}


@pytest.mark.parametrize("seed", range(3))
def test_any_sequence_of_writes_keeps_the_aggregates_equal_to_a_recount(doc, seed):
    store, doc_id = doc
    rng = random.Random(seed)
    words = [(m, m + len(w)) for w in ("Paris", "Zorblax", "Industries", "𝔇amascus", "in")
             for m in [i for i in range(len(TEXT)) if TEXT.startswith(w, i)]]
    with store.transaction():
        sets = [store.sets.ensure(doc_id, name, None).id for name in ("ann", "bob", "gold")]
    for _ in range(150):
        with store.transaction():
            spans = [s for set_id in sets for s in store.spans.for_set(set_id)]
            action = rng.choice(["add", "add", "update", "delete"] if spans else ["add"])
            if action == "add":
                start, end = rng.choice(words)
                store.spans.add(rng.choice(sets), start, end,
                                layer=rng.choice(["entity", "entity", "claim"]),
                                label=rng.choice(["GPE", "ORG"]), origin="human",
                                state=rng.choice(["suggested", "accepted", "rejected"]))
            elif action == "update":
                start, end = rng.choice(words)
                field = rng.choice([{"state": rng.choice(["suggested", "accepted", "rejected"])},
                                    {"label": rng.choice(["GPE", "ORG", "LOC"])},
                                    {"start": start, "end": end}, {"layer": "source"}])
                store.spans.update(rng.choice(spans).id, **field)
            else:
                store.spans.delete(rng.choice(spans).id)
        assert aggregates(store) == recount(store)
    assert aggregates(store)  # the sequence did leave decisions to count


def test_ops_apply_undo_and_redo_keep_the_aggregates(doc):
    store, doc_id = doc
    session = Session("ann")
    with store.transaction():
        set_id = store.sets.ensure(doc_id, "ann", None).id
        suggested = {word: add(store, set_id, word, label, "suggested").id
                     for word, label in (("Paris", "GPE"), ("Kurdistan24", "ORG"))}
    target = Target(doc_id, set_id)
    start, end = at("Zorblax Industries")
    steps = [ops.accept(session, store, target, suggested["Paris"]),
             ops.reject(session, store, target, suggested["Kurdistan24"]),
             ops.add_entity(session, store, target, TEXT, start, end, "ORG")]
    for op in steps:
        op.apply(store)
    relabel = ops.relabel(session, store, target, suggested["Paris"], "LOC")
    relabel.apply(store)
    delete = ops.delete_span(session, store, target, suggested["Kurdistan24"])
    delete.apply(store)
    done = aggregates(store)
    assert done == recount(store) == {("Paris", "LOC", "ann"): (1, 0),
                                      ("Zorblax Industries", "ORG", "ann"): (1, 0)}

    for op in reversed([*steps, relabel, delete]):
        op.undo(store)
        assert aggregates(store) == recount(store)
    assert aggregates(store) == {}
    for op in [*steps, relabel, delete]:
        op.redo(store)
    assert aggregates(store) == recount(store) == done


def test_an_import_of_annotated_records_is_counted(store):
    report = import_paths(store, [FORMATS / "prodigy_db_out.jsonl"], annotator="importer")
    assert report.spans > 0
    counted = aggregates(store)
    assert counted == recount(store)
    # dave's record is answered `ignore`: it contributes no decision to count
    assert {annotator for _t, _l, annotator in counted} == {"news_ner-carol"}
    assert any(rejected for _a, rejected in counted.values())


def test_an_import_counts_decisions_changed_in_a_later_batch(store, tmp_path):
    """An import stores a batch at a time and counts its memory at the end: a decision that a
    record several batches later changes is counted as it ends, added to what is there."""
    paris = dict(zip(("start", "end"), at("Paris")))
    with store.transaction():
        store.documents.insert_many([{"id": "e" * 64, "text": TEXT + "more\n"}])
        earlier = store.sets.ensure("e" * 64, "ann", None).id
        add(store, earlier, "Paris", "GPE", "rejected")
    lines = [{"text": TEXT, "spans": [{**paris, "label": "GPE"}], "answer": "accept",
              "_annotator_id": "ann"}]
    lines += [{"text": f"filler {n}"} for n in range(1200)]
    lines += [{"text": TEXT, "spans": [{**paris, "label": "GPE", "answer": "reject"},
                                       {**dict(zip(("start", "end"), at("Zorblax"))),
                                        "label": "ORG"}],
               "answer": "accept", "_annotator_id": "ann"}]
    path = tmp_path / "late.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = import_paths(store, [path], annotator="importer")
    assert report.conflicts == 1 and report.spans == 2
    assert aggregates(store) == recount(store)
    assert aggregates(store)[("Paris", "GPE", "ann")] == (0, 2)
    assert aggregates(store)[("Zorblax", "ORG", "ann")] == (1, 0)
    assert store.conn.execute("SELECT count(*) FROM entity_memory_deferred").fetchone()[0] == 0
    imported = store.sets.find(doc_id_for(TEXT), "ann")
    with store.transaction():  # the run's sets are counted by the triggers again
        add(store, imported.id, "Kurdistan24", "ORG", "accepted")
    assert aggregates(store) == recount(store)
    assert aggregates(store)[("Kurdistan24", "ORG", "ann")] == (1, 0)


def test_the_migration_counts_the_spans_already_there(db_path):
    version = next(m.version for m in migrations.available() if m.name == "entity_memory")
    conn = connect(db_path)
    migrations.migrate(conn, target=version - 1)
    with transaction(conn):
        conn.execute("INSERT INTO documents (id, text, n_chars, imported_at) "
                     "VALUES (?, ?, ?, 'now')", ("d" * 64, TEXT, len(TEXT)))
        for set_id, annotator in ((1, "ann"), (2, "bob")):
            conn.execute("INSERT INTO annotation_sets (id, doc_id, annotator, created_at, "
                         "updated_at) VALUES (?, ?, ?, 'now', 'now')",
                         (set_id, "d" * 64, annotator))
        for set_id, word, nth, label, state in (
                (1, "Paris", 0, "GPE", "accepted"), (1, "Paris", 1, "GPE", "accepted"),
                (1, "𝔇amascus", 0, "GPE", "rejected"), (2, "Paris", 0, "GPE", "rejected"),
                (2, "Zorblax", 0, "ORG", "suggested")):
            conn.execute('INSERT INTO spans (set_id, start, "end", layer, label, origin, state, '
                         "created_at, updated_at) VALUES (?, ?, ?, 'entity', ?, 'human', ?, "
                         "'now', 'now')", (set_id, *at(word, nth), label, state))
    conn.close()

    store = Store(db_path)
    assert aggregates(store) == recount(store) == {
        ("Paris", "GPE", "ann"): (2, 0), ("𝔇amascus", "GPE", "ann"): (0, 1),
        ("Paris", "GPE", "bob"): (0, 1)}
    store.close()
