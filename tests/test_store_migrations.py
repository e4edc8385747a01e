"""Migrations from an empty file and from every earlier version; constraints in the schema."""

import sqlite3

import pytest

from annotator.core.store import (NotAProject, Store, StoreIntegrityError, StoreReadOnly,
                                  StoreVersionError, migrations)
from annotator.core.store.connection import connect, transaction

TEXT = "Netanyahu’s office said the talks focused on security."


def _tables(conn):
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_empty_file_reaches_latest_version(db_path):
    store = Store(db_path)
    assert migrations.current_version(store.conn) == migrations.LATEST
    recorded = [r[0] for r in store.conn.execute("SELECT version FROM migrations ORDER BY 1")]
    assert recorded == list(range(1, migrations.LATEST + 1))
    assert {"documents", "annotation_sets", "spans", "claims", "events", "settings",
            "schemas", "suggestions", "documents_fts"} <= _tables(store.conn)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    store.close()


def _fill_version_1(conn):
    """Rows every later migration must carry over."""
    with transaction(conn):
        conn.execute("INSERT INTO documents (id, text, n_chars, title, imported_at) "
                     "VALUES (?, ?, ?, 'Netanyahu', 'now')", ("d" * 64, TEXT, len(TEXT)))
        conn.execute("INSERT INTO annotation_sets (doc_id, annotator, created_at, updated_at) "
                     "VALUES (?, 'ana', 'now', 'now')", ("d" * 64,))
        conn.execute('INSERT INTO spans (set_id, start, "end", layer, label, origin, state, '
                     "created_at, updated_at) VALUES (1, 0, 9, 'entity', 'PERSON', 'human', "
                     "'accepted', 'now', 'now')")


@pytest.mark.parametrize("start_version", range(1, migrations.LATEST))
def test_upgrade_from_each_earlier_version_keeps_data(db_path, start_version):
    conn = connect(db_path)
    assert migrations.migrate(conn, target=start_version) == list(range(1, start_version + 1))
    _fill_version_1(conn)
    conn.close()

    store = Store(db_path)
    assert migrations.current_version(store.conn) == migrations.LATEST
    assert store.documents.get("d" * 64).text == TEXT
    [span] = store.spans.for_set(store.sets.find("d" * 64, "ana").id)
    assert (span.start, span.end, span.label) == (0, 9, "PERSON")
    assert store.documents.search("Netanyahu") == ["d" * 64]  # FTS built over old rows
    store.close()


def test_an_upgraded_index_merges_sixteen_segments_at_a_time(db_path):
    """Migration 16: FTS5 merges its segments 16 at a time (an import writes one segment a
    statement); the documents already indexed stay found."""
    conn = connect(db_path)
    migrations.migrate(conn, target=15)
    _fill_version_1(conn)
    conn.close()

    store = Store(db_path)
    assert store.conn.execute(
        "SELECT v FROM documents_fts_config WHERE k = 'automerge'").fetchone()[0] == 16
    assert store.documents.search("security") == ["d" * 64]
    store.close()


def test_reopening_applies_nothing(db_path):
    Store(db_path).close()
    conn = connect(db_path)
    assert migrations.migrate(conn) == []
    conn.close()


def test_file_from_a_newer_annotator_is_refused(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    with pytest.raises(StoreVersionError, match="written by a newer Annotator"):
        Store(db_path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not a database\n" * 100)
    with pytest.raises(NotAProject, match="not an SQLite database"):
        Store(path)


@pytest.fixture
def one_set(store):
    with store.transaction():
        store.documents.insert_many([{"id": "d" * 64, "text": TEXT}])
        return store.sets.ensure("d" * 64, "ana", None)


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (6, 2), (0, len(TEXT) + 1)])
def test_span_offsets_are_checked_by_the_database(store, one_set, start, end):
    with pytest.raises(StoreIntegrityError):
        store.spans.add(one_set.id, start, end, layer="entity", label="PERSON",
                        origin="human", state="accepted")


def test_spans_stored_in_bulk_are_checked_to_end_inside_their_text(store, one_set):
    """A bulk insert is checked once for all its rows (in a file, instead of by the trigger
    a row, which it puts back): a span past the text refuses the whole write."""
    rows = [(0, 0, 9, "entity", "PERSON", "human", "accepted", None),
            (1, 10, len(TEXT) + 1, "entity", "ORG", "human", "accepted", None)]
    with pytest.raises(StoreIntegrityError, match="beyond the document text"):
        with store.transaction():
            store.spans.insert_grouped([(one_set.id, rows)], store.spans.new_ids(2))
    assert store.spans.for_set(one_set.id) == []
    with store.transaction():
        store.spans.insert_grouped([(one_set.id, rows[:1])], store.spans.new_ids(1))
    assert [(s.start, s.end) for s in store.spans.for_set(one_set.id)] == [(0, 9)]
    with pytest.raises(StoreIntegrityError, match="beyond the document text"):
        store.spans.add(one_set.id, 0, len(TEXT) + 1, layer="entity", label="PERSON",
                        origin="human", state="accepted")


def test_ids_handed_out_for_a_bulk_write_are_new_and_never_repeat(store, one_set):
    rows = [(i, i, i + 1, "entity", "PERSON", "human", "accepted", None) for i in range(3)]
    with store.transaction():
        first = store.spans.new_ids(3)
        store.spans.insert_grouped([(one_set.id, rows)], first)
    with store.transaction():
        second = store.spans.new_ids(2)
    stored = [s.id for s in store.spans.for_set(one_set.id)]
    assert sorted(stored) == sorted(first) and len(set(first)) == 3
    assert min(second) > max(stored) and len(set(second)) == 2
    assert store.spans.new_ids(0) == []


def test_span_may_end_exactly_at_the_end_of_the_text(store, one_set):
    span = store.spans.add(one_set.id, len(TEXT) - 9, len(TEXT), layer="entity", label="ORG",
                           origin="human", state="accepted")
    assert span.end == len(TEXT)


def test_document_text_is_immutable(store, one_set):
    with pytest.raises(StoreIntegrityError, match="immutable"):
        store.conn.execute("UPDATE documents SET text = 'x', n_chars = 1")


def test_event_log_is_append_only(store):
    store.events.append("ana", "open")
    with pytest.raises(StoreIntegrityError, match="append-only"):
        store.conn.execute("UPDATE events SET action = 'forged'")
    with pytest.raises(StoreIntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM events")


def test_events_of_any_of_several_actions(store):
    for doc_id, action in (("d1", "span.add"), ("d1", "review.take"), ("d2", "review.take"),
                           ("d1", "review.drop"), ("d1", "review.take.undo")):
        store.events.append("ana", action, doc_id=doc_id)
    found = store.events.list(doc_id="d1", actions=("review.take", "review.take.undo",
                                                    "review.drop"))
    assert [e.action for e in found] == ["review.take", "review.drop", "review.take.undo"]
    assert store.events.list(actions=()) == []


def test_a_failed_action_leaves_nothing_behind(store, one_set):
    with pytest.raises(StoreIntegrityError):
        with store.transaction():
            store.spans.add(one_set.id, 0, 9, layer="entity", label="PERSON", origin="human",
                            state="accepted")
            store.events.append("ana", "accept")
            store.spans.add(one_set.id, 0, 999, layer="entity", label="PERSON",
                            origin="human", state="accepted")
    assert store.spans.for_set(one_set.id) == []
    assert store.events.list(action="accept") == []


def test_nested_transactions_join_the_outer_one(store, one_set):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.events.append("ana", "outer")
            with store.transaction():
                store.events.append("ana", "inner")
            raise RuntimeError("the user action fails after the nested part")
    assert store.events.list(annotator="ana") == []


def test_deleting_a_document_cascades_to_its_annotations(store, one_set):
    store.spans.add(one_set.id, 0, 9, layer="entity", label="PERSON", origin="human",
                    state="accepted")
    store.conn.execute("DELETE FROM documents")
    assert store.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0
    assert store.documents.search("Netanyahu") == []


def test_read_only_store_cannot_write(store, one_set):
    reader = Store(store.location, read_only=True)
    assert reader.documents.count() == 1
    with pytest.raises(StoreReadOnly):
        reader.events.append("ana", "open")
    reader.close()
