"""The token cache: filled by the first export, read by the next, replaced when the tokenizer
changes, never needed for correct bytes, and never in the way of a read-only or busy project."""

import zlib

import orjson
import pytest

from annotator.core import tokens as tokens_module
from annotator.core.export import ExportOptions, export_dataset
from annotator.core.export.record import RecordBuilder
from annotator.core.export import selection
from annotator.core.export.selection import Selection, iter_annotations
from annotator.core.project import current_schema, open_project
from annotator.core.store import Store, migrations
from annotator.core.store.connection import connect
from annotator.core.tokens import (aligned_tokens, cached_tables, read_tables, tokenize,
                                   tokenizer_key)
from locks import impatient, locked_by_another
from test_export_jsonl import annotate


@pytest.fixture
def annotated(seeded):
    annotate(seeded)
    return seeded


@pytest.fixture
def tokenizer_calls(monkeypatch):
    """How many texts spaCy's tokenizer was run on."""
    calls = []
    real = tokens_module.tokenizer()

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(tokens_module, "tokenizer", lambda: counting)
    return calls


TOKEN_CACHE_MIGRATION = 5  # sql/0005_token_cache.sql
ZSTD_CACHE_MIGRATION = 10  # sql/0010_zstd_token_cache.sql


def _jsonl(folder):
    return (folder / "all.jsonl").read_bytes()


def test_first_export_fills_the_cache_and_the_next_one_does_not_tokenize(
        annotated, tmp_path, tokenizer_calls):
    assert annotated.tokens.count() == 0
    export_dataset(annotated, ExportOptions(), tmp_path / "cold")
    assert len(tokenizer_calls) == 5
    assert annotated.tokens.count(tokenizer_key()) == 5
    export_dataset(annotated, ExportOptions(with_rejected=True), tmp_path / "warm")
    export_dataset(annotated, ExportOptions(format="conll"), tmp_path / "conll")
    assert len(tokenizer_calls) == 5
    warm = [r for r in map(orjson.loads, _jsonl(tmp_path / "warm").splitlines())
            if r["answer"] == "accept"]
    assert b"\n".join(map(orjson.dumps, warm)) + b"\n" == _jsonl(tmp_path / "cold")


def test_another_tokenizer_invalidates_the_cached_rows(annotated, tmp_path, tokenizer_calls,
                                                       monkeypatch):
    export_dataset(annotated, ExportOptions(), tmp_path / "one")
    monkeypatch.setattr(tokens_module, "tokenizer_key", lambda: "spacy-99.0/en")
    export_dataset(annotated, ExportOptions(), tmp_path / "two")
    assert len(tokenizer_calls) == 10  # every document tokenized again
    assert annotated.tokens.count("spacy-99.0/en") == 5
    assert annotated.tokens.count() == 5  # the old rows were replaced, not kept beside
    assert _jsonl(tmp_path / "one") == _jsonl(tmp_path / "two")


def test_export_bytes_are_the_same_with_and_without_the_cache(annotated, tmp_path):
    """Cold (filling), warm (reading) and a read-only project that cannot cache at all."""
    export_dataset(annotated, ExportOptions(), tmp_path / "cold")
    export_dataset(annotated, ExportOptions(), tmp_path / "warm")
    with annotated.transaction():
        annotated.tokens.clear()
    with open_project(annotated.location, read_only=True) as reader:
        export_dataset(reader, ExportOptions(), tmp_path / "uncached")
        assert reader.tokens.count() == 0
    assert _jsonl(tmp_path / "cold") == _jsonl(tmp_path / "warm") == \
        _jsonl(tmp_path / "uncached")


def test_embedded_token_json_is_what_dumping_the_token_objects_gives(annotated):
    schema = current_schema(annotated)
    as_json = RecordBuilder(schema, with_rejected=True, json_tokens=True)
    as_objects = RecordBuilder(schema, with_rejected=True)
    records = 0
    for ann in iter_annotations(annotated, Selection("alice")):
        for fragment, objects in zip(as_json.build(ann), as_objects.build(ann)):
            assert isinstance(fragment.record["tokens"], orjson.Fragment)
            assert isinstance(objects.record["tokens"], list)
            assert orjson.dumps(fragment.record) == orjson.dumps(objects.record)
            records += 1
    assert records == 10


def test_a_span_edge_inside_a_cached_token_still_splits_it(seeded, tmp_path):
    doc = next(d for d in seeded.documents.iter_all() if "Israeli‑Syrian" in d.text)
    at = doc.text.index("Israeli‑Syrian")
    edges = [(at, at + 7), (at + 8, at + 14)]
    with seeded.transaction():
        aset = seeded.sets.ensure(doc.id, "alice", current_schema(seeded).hash)
        for start, end in edges:
            seeded.spans.add(aset.id, start, end, layer="entity", label="NORP",
                             origin="human", state="accepted")
        seeded.sets.update(aset.id, status="done")
    expected, _ = aligned_tokens(doc.text, edges)
    for name in ("cold", "warm"):
        result = export_dataset(seeded, ExportOptions(), tmp_path / name)
        assert result.manifest["tokens_split_at_span_edges"] == 2
        (record,) = map(orjson.loads, _jsonl(tmp_path / name).splitlines())
        assert [(t["start"], t["end"], t["ws"]) for t in record["tokens"]] == \
            [(t.start, t.end, t.ws) for t in expected]
        assert [t["id"] for t in record["tokens"]] == list(range(len(expected)))
        assert [(s["token_start"], s["token_end"]) for s in record["spans"]] == \
            [(i, i) for i, t in enumerate(expected) if (t.start, t.end) in edges]
    assert seeded.tokens.count() == 1
    (ann,) = iter_annotations(seeded, Selection("alice"))
    schema = current_schema(seeded)
    (spliced,) = RecordBuilder(schema, json_tokens=True).build(ann)
    (objects,) = RecordBuilder(schema).build(ann)
    assert spliced.split_tokens == objects.split_tokens == 2
    assert orjson.dumps(spliced.record) == orjson.dumps(objects.record)


def test_a_locked_project_exports_without_caching(annotated, tmp_path, monkeypatch):
    """Held off once, the export keeps nothing more rather than wait for the lock again."""
    monkeypatch.setattr(selection, "TOKEN_PAGE", 1)
    monkeypatch.setattr(selection, "PAGE", 1)  # a try at keeping after every document
    tries = []
    real_keep = tokens_module.keep
    monkeypatch.setattr(tokens_module, "keep",
                        lambda store, rows: tries.append(len(rows)) or real_keep(store, rows))
    impatient(annotated)
    with locked_by_another(annotated):
        export_dataset(annotated, ExportOptions(), tmp_path / "out")
    assert len(_jsonl(tmp_path / "out").splitlines()) == 5
    assert annotated.tokens.count() == 0
    assert tries == [1]


def test_cached_rows_go_with_their_document(annotated, tmp_path):
    export_dataset(annotated, ExportOptions(), tmp_path / "out")
    annotated.conn.execute("DELETE FROM documents WHERE num = 1")
    assert annotated.tokens.count() == 4
    with annotated.transaction():
        assert annotated.tokens.clear() == 4
    assert annotated.tokens.count() == 0


def test_a_project_from_before_the_cache_upgrades_and_fills_it(db_path):
    text = "Israeli‑Syrian talks, “in Paris”.\r\nNetanyahu’s office 🙂 said so."
    conn = connect(db_path)
    migrations.migrate(conn, target=TOKEN_CACHE_MIGRATION - 1)
    conn.execute("INSERT INTO documents (id, text, n_chars, imported_at) VALUES (?, ?, ?, 'now')",
                 ("d" * 64, text, len(text)))
    conn.close()
    with Store(db_path) as store:
        assert migrations.current_version(store.conn) == migrations.LATEST
        assert store.tokens.count() == 0
        doc = store.documents.get("d" * 64)
        (table,) = cached_tables(store, [doc]).values()
        assert store.tokens.count(tokenizer_key()) == 1
        (cached,) = cached_tables(store, [doc]).values()
    assert table.tokens() == cached.tokens() == tokenize(text)
    assert cached.json == orjson.dumps([
        {"text": text[t.start:t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(tokenize(text))])


def test_a_project_with_the_offsets_token_cache_drops_it_on_upgrade(db_path, tmp_path):
    """Migration 10: rows of the old cache (deflated offsets) are derived data, dropped; the
    next reading caches the compressed `tokens` JSON."""
    text = "Netanyahu’s office said the talks in “Paris” focused on security."
    conn = connect(db_path)
    migrations.migrate(conn, target=ZSTD_CACHE_MIGRATION - 1)
    conn.execute("INSERT INTO documents (id, text, n_chars, imported_at) VALUES (?, ?, ?, 'now')",
                 ("d" * 64, text, len(text)))
    conn.execute("INSERT INTO document_tokens (doc_id, tokenizer, n_tokens, offsets, "
                 "created_at) VALUES (?, ?, 1, ?, 'now')",
                 ("d" * 64, tokenizer_key(), zlib.compress(b"\0" * 4 + b"\1\0\0\0" + b"\0")))
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        assert migrations.current_version(store.conn) == migrations.LATEST
        assert store.tokens.count() == 0
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(document_tokens)")}
        assert columns == {"doc_id", "tokenizer", "json_zstd", "created_at"}
        (made,) = cached_tables(store, [store.documents.get("d" * 64)]).values()
        assert store.tokens.count(tokenizer_key()) == 1
        (cached,) = read_tables(store, [store.documents.get("d" * 64)]).values()
    assert made.tokens() == cached.tokens() == tokenize(text)
    assert cached.json == made.json


def test_a_first_export_tokenizes_caches_and_writes_in_one_pass(annotated, tmp_path):
    calls = []
    export_dataset(annotated, ExportOptions(), tmp_path / "out",
                   progress=lambda done, total: calls.append((done, total)))
    assert {total for _, total in calls} == {5}  # five documents, written as they are tokenized
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (5, 5)
    assert annotated.tokens.count(tokenizer_key()) == 5


def test_reading_tables_never_writes_the_cache(annotated):
    """What the window's UI thread and an export's read snapshot use."""
    doc = next(iter(annotated.documents.iter_all()))
    (read,) = read_tables(annotated, [doc]).values()
    assert annotated.tokens.count() == 0
    (cached,) = cached_tables(annotated, [doc]).values()
    assert annotated.tokens.count() == 1
    (again,) = read_tables(annotated, [doc]).values()
    assert read.tokens() == cached.tokens() == again.tokens()


def test_a_page_of_cache_rows_unpacks_the_current_tokenizers_and_tokenizes_the_rest(
        tokenizer_calls):
    texts = ["Putin met Erdogan in Sochi.", "Talks resumed on Monday.", "No row yet."]
    made = [tokens_module.doc_tokens(text) for text in texts]
    rows = [(tokenizer_key(), made[0].to_blob(), texts[0]),
            ("spacy-2.0/en", made[1].to_blob(), texts[1]),  # another tokenizer's row
            (None, None, texts[2])]
    tokenizer_calls.clear()
    page = tokens_module.from_cache_page(rows)
    assert [doc.json for doc in page] == [doc.json for doc in made]
    assert tokenizer_calls == texts[1:]
