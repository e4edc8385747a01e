"""A project with something in every table, and every table's rows read back, for the copy
and merge tests (real files, the real server fixture)."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core.actions import action
from annotator.core.importers import import_paths
from annotator.core.project import current_schema
from annotator.core.session import Session
from annotator.core.store import Store
from annotator.core.store.transfer import DERIVED, TABLES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVSET = ROOT / "tests" / "data" / "devset.jsonl"
JSON_COLUMNS = {"settings": "value", "schemas": "body", "documents": "meta",
                "annotation_sets": "cats", "spans": "attributes", "claims": "attributes",
                "events": "payload", "suggestions": "payload", "merges": "summary"}


def fill(store: Store) -> None:
    """Documents with annotations and claims (an import), a hand-made span with a score
    and nested attributes, caches, a suggestion mark, an assignment and a merge record."""
    import_paths(store, [SEEDS, DEVSET], annotator="alice", as_done=True)
    schema = current_schema(store)
    doc_id = store.documents.iter_all().__next__().id
    session = Session("alice")
    with action(store, session, "span.add", docs=[doc_id]):
        target = store.sets.ensure(doc_id, "alice", schema.hash)
        span = store.spans.add(target.id, 0, 4, layer="entity", label=schema.labels[0],
                               origin="model:test", state="suggested", score=0.123456789,
                               attributes={"zeta": [1, 2.5, None], "alpha": {"ü": "…"}})
        store.suggestions.put_many("model:test", schema.hash, [(doc_id, {"ents": [[0, 4]]})])
        store.suggestions.mark_materialised(target.id, "model:test", schema.hash, 1)
        store.tokens.put_many("spacy-test", [(doc_id, b"\x00\x01\xff tokens")])
        store.transfer.insert("assignments", ("doc_id", "annotator", "assigned_at",
                                              "assigned_by"),
                              [(doc_id, "alice", "2026-01-01T00:00:00.000+00:00", "admin")])
        store.transfer.record_merge("elsewhere.db", "f" * 64, "2026-01-02T00:00:00.000+00:00",
                                    "admin", {"sets": 1})
    assert span.id


def rows(location) -> dict[str, list]:
    """Every table a copy carries and what the database derives from them, each as its
    sorted rows with JSON columns parsed (a server keeps JSON as jsonb, which orders keys
    its own way: the values must agree, not the text)."""
    out = {}
    with Store(location, read_only=True) as store, store.snapshot():
        for table in (*TABLES, *DERIVED):
            columns = sorted(store.transfer.columns(table))
            json_column = JSON_COLUMNS.get(table)
            found = []
            for batch in store.transfer.rows(table, columns):
                for row in batch:
                    found.append(tuple(orjson.loads(value) if name == json_column else value
                                       for name, value in zip(columns, row)))
            out[table] = (columns, sorted(found, key=repr))
    return out
