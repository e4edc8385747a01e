"""A server's search vectors are computed a batch ahead of an import, on a second connection
(`importers/search_ahead.py`, migration 18): a document's vector must still be the one of its
title and text, however it was made, and the vectors made ahead must never outlive the run."""

from __future__ import annotations

import json

import pytest

from annotator.core.identity import doc_id_for
from annotator.core.importers import ImportFailed, import_paths
from annotator.core.importers.planning import DocumentEntry, PlannedBatch
from annotator.core.importers.search_ahead import searched_ahead
from annotator.core.store import Store

TEXT = "Officials in Paris said the talks on Zorblax number {n} went well.\n"


def _batch(numbers: range) -> PlannedBatch:
    entries = [DocumentEntry(doc_id_for(TEXT.format(n=n)), f"input:{n}", False,
                             {"id": doc_id_for(TEXT.format(n=n)), "text": TEXT.format(n=n),
                              "title": f"Report {n}"}, None) for n in numbers]
    return PlannedBatch(entries, None, [], [], 0)


def _ahead(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT doc_id FROM search_vectors_ahead")}


def _wrong_vectors(store: Store) -> int:
    """Documents whose vector is not the one of their title and text."""
    return store.conn.execute(
        "SELECT count(*) FROM documents "
        "WHERE search IS DISTINCT FROM document_search_vector(title, text)").fetchone()[0]


def test_each_batch_is_handed_on_with_its_vectors_made_and_none_outlive_the_run(store):
    batches = [_batch(range(0, 3)), _batch(range(3, 5)), _batch(range(5, 6))]
    handed = []
    with searched_ahead(store, iter(batches)) as ready:
        for batch in ready:
            handed.append(batch)
            if store.documents.computes_search_ahead:
                assert {e.id for e in batch.documents} <= _ahead(store)
            with store.transaction():
                store.documents.insert_many([e.row for e in batch.documents])
    assert handed == batches
    if store.documents.computes_search_ahead:
        assert _ahead(store) == set()
        assert _wrong_vectors(store) == 0
    assert store.documents.search("Zorblax number 4") == [doc_id_for(TEXT.format(n=4))]


def test_a_vector_made_ahead_is_taken_only_for_the_same_text_and_title(pg_project_url):
    """The trigger takes a row of `search_vectors_ahead` as it is (a marker here, to see it
    taken), for the same document id (its text's hash) and title; else it computes."""
    text = TEXT.format(n=1)
    with Store(pg_project_url) as store:
        with store.transaction():
            store.conn.execute("INSERT INTO search_vectors_ahead (doc_id, title, search) "
                               "VALUES (?, 'Report', to_tsvector('simple', 'marker')), "
                               "(?, 'Other title', to_tsvector('simple', 'marker'))",
                               (doc_id_for(text), doc_id_for(TEXT.format(n=2))))
            store.documents.insert_many([
                {"id": doc_id_for(text), "text": text, "title": "Report"},
                {"id": doc_id_for(TEXT.format(n=2)), "text": TEXT.format(n=2), "title": "R"}])
        assert store.documents.search("marker") == [doc_id_for(text)]
        assert _wrong_vectors(store) == 1
        with store.transaction():
            store.conn.execute("UPDATE documents SET title = 'Paris report' WHERE id = ?",
                               (doc_id_for(text),))
            store.conn.execute("UPDATE documents SET search = to_tsvector('simple', 'forged')")
        assert _wrong_vectors(store) == 0
        assert store.documents.search("forged") == []
        with store.transaction():
            store.documents.forget_search_ahead([])
        assert _ahead(store) == {doc_id_for(text), doc_id_for(TEXT.format(n=2))}, \
            "rows of today are kept until their run drops them"
        with store.transaction():
            store.conn.execute("UPDATE search_vectors_ahead SET made_at = now() - interval "
                               "'25 hours' WHERE doc_id = ?", (doc_id_for(text),))
            store.documents.forget_search_ahead([])
        assert _ahead(store) == {doc_id_for(TEXT.format(n=2))}, "a dead run's are swept"


def _corpus(path, documents: int, *, broken_at: int | None = None):
    lines = [json.dumps({"text": TEXT.format(n=n), "meta": {"title": f"Report {n}"}})
             if n != broken_at else "{not json" for n in range(documents)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_over_several_batches_leaves_every_vector_right(store, tmp_path):
    import_paths(store, [_corpus(tmp_path / "corpus.jsonl", 1_100)], annotator="importer")
    assert store.documents.count() == 1_100
    assert store.documents.search("Zorblax number 1042") == [doc_id_for(TEXT.format(n=1042))]
    if store.documents.computes_search_ahead:
        assert _wrong_vectors(store) == 0
        assert _ahead(store) == set()


@pytest.mark.parametrize("how", ["a bad record", "cancelled"])
def test_a_run_that_stores_nothing_leaves_no_vectors_behind(store, tmp_path, how):
    corpus = _corpus(tmp_path / "corpus.jsonl", 1_100, broken_at=1_050 if how == "a bad record"
                     else None)

    def cancel(done: int, total: int) -> None:
        if how == "cancelled" and done < total:
            raise KeyboardInterrupt

    with pytest.raises(ImportFailed if how == "a bad record" else KeyboardInterrupt):
        import_paths(store, [corpus], annotator="importer", progress=cancel)
    assert store.documents.count() == 0
    if store.documents.computes_search_ahead:
        assert _ahead(store) == set()
