"""Row ↔ record conversion shared by the repositories (JSON columns decoded with orjson)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import orjson

from annotator.core.clock import now_iso

from annotator.core.model import AnnotationSet, Claim, Document, Event, Span


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


def loads(value: str | None) -> Any:
    return orjson.loads(value) if value else {}


IN_CHUNK = 500  # ids per IN (...) query, below SQLite's bound-parameter limit


def in_chunks(ids: Sequence[Any]) -> Iterator[tuple[list[Any], str]]:
    """`ids` in slices small enough for one `IN (...)`, each with its `?,?,…` placeholders."""
    for i in range(0, len(ids), IN_CHUNK):
        chunk = list(ids[i:i + IN_CHUNK])
        yield chunk, ",".join("?" * len(chunk))


def new_ids(conn: sqlite3.Connection, table: str, count: int) -> Sequence[int]:
    """Ids for `count` new rows of `table`, taken inside the caller's write transaction, so
    that a bulk writer can point other rows at them before they are stored. A file hands out
    the ids after its highest, in a row (its write lock keeps others out until they are
    inserted); a server takes them from the table's sequence in one round trip, the sequence
    named once for the statement (looked up again for every row it cost an import of 150,000
    spans 0.3 s of the server's CPU: docs/benchmarks.md)."""
    if count == 0:
        return []
    if conn.dialect == "sqlite":
        last = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        return range(last + 1, last + 1 + count)
    return [r[0] for r in conn.execute(
        f"SELECT nextval(s) FROM CAST(pg_get_serial_sequence('{table}', 'id') AS regclass) s, "
        "generate_series(1, ?)", (count,))]


def update_fields(conn: sqlite3.Connection, table: str, row_id: int, fields: dict[str, Any], *,
                  allowed: set[str], json_fields: tuple[str, ...] = ()) -> None:
    """The one UPDATE path of the repositories: only `allowed` columns, JSON columns encoded,
    `updated_at` stamped (now, unless the caller may and does give it: an import keeps when
    the work was done). Column names come from `allowed`, never from the caller's text."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {table} fields {sorted(unknown)}")
    values = {name: dumps(value) if name in json_fields else value
              for name, value in fields.items()}
    values.setdefault("updated_at", now_iso())
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id])


DOCUMENT_COLUMNS = ("num, id, text, title, source, date, url, meta, curation, exclude_reason, "
                    "cluster_id, duplicate_id")


def document(row: tuple) -> Document:
    num, id_, text, title, source, date, url, meta, curation, reason, cluster, duplicate = row
    return Document(num, id_, text, title, source, date, url, loads(meta), curation, reason,
                    cluster, duplicate)


SET_COLUMNS = ("id, doc_id, annotator, status, note, cats, schema_hash, reviewed_by, "
               "created_at, updated_at, version")


def annotation_set(row: tuple) -> AnnotationSet:
    (id_, doc_id, annotator, status, note, cats, schema_hash, reviewed_by, created, updated,
     version) = row
    return AnnotationSet(id_, doc_id, annotator, status, note, loads(cats), schema_hash,
                         reviewed_by, created, updated, version)


SPAN_COLUMNS = 'id, set_id, start, "end", layer, label, origin, state, score, attributes'


def span(row: tuple) -> Span:
    id_, set_id, start, end, layer, label, origin, state, score, attributes = row
    return Span(id_, set_id, start, end, layer, label, origin, state, score, loads(attributes))


CLAIM_COLUMNS = "id, set_id, content_span_id, source_span_id, cue_span_id, type, attributes"


def claim(row: tuple) -> Claim:
    id_, set_id, content, source, cue, type_, attributes = row
    return Claim(id_, set_id, content, source, cue, type_, loads(attributes))


EVENT_COLUMNS = "id, ts, annotator, session_id, doc_id, action, payload"


def event(row: tuple) -> Event:
    id_, ts, annotator, session_id, doc_id, action, payload = row
    return Event(id_, ts, annotator, session_id, doc_id, action, loads(payload))
