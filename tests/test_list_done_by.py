"""The document list names the others who finished a document (a teammate's work shows in
everyone's list), on a file and on a server."""

from __future__ import annotations


def _finish(store, doc_id: str, annotator: str, status: str = "done") -> None:
    with store.transaction():
        store.sets.update(store.sets.ensure(doc_id, annotator, None).id, status=status)


def test_a_list_row_names_the_others_who_finished_the_document(seeded):
    first, second = seeded.documents.ids_in_order()[:2]
    _finish(seeded, first, "bob")
    _finish(seeded, first, "alice")
    _finish(seeded, first, "carol", status="in_progress")
    _finish(seeded, second, "dave")

    rows = seeded.documents.summaries([first, second], "carol")
    assert rows[first]["done_by"] == ["alice", "bob"]  # carol's own set is not listed
    assert rows[first]["status"] == "in_progress"
    assert rows[second]["done_by"] == ["dave"]
    assert seeded.documents.summaries([first], "alice")[first]["done_by"] == ["bob"]
    assert seeded.documents.summaries([second], "dave")[second]["done_by"] == []
