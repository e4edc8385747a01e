"""Whole tables in and out of a project, on either backend: what copying a project
(`annotator copy`) and merging one into another (`annotator merge`) read and write
(docs/architecture.md, "Copying and merging projects").

Rows travel as the tuples the database gives, read in key order and in batches (a server
streams them through a named cursor, so memory stays flat) and written in bulk
(`executemany` in a file, ``COPY`` on a server). Ids may be written as they are: a server's
identity sequences are moved past them afterwards (`reset_identities`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.core.store import _rows
from annotator.core.store.errors import StoreError
from annotator.core.store.location import Location

# Every table a copy carries, parents before children, each with the key it is read in.
TABLES: dict[str, str] = {
    "settings": "key", "schemas": "hash", "documents": "num", "annotation_sets": "id",
    "spans": "id", "claims": "id", "events": "id",
    "suggestions": "doc_id, model, schema_hash", "suggestions_materialised": "set_id, model",
    "document_tokens": "doc_id", "assignments": "doc_id, annotator", "merges": "id",
}
# Kept by the database itself from the tables above (by triggers), and the
# record of the destination's own migrations: never written by a copy.
DERIVED = {"entity_memory": "text, label, annotator"}
OWN = ("migrations",)
# Filled and emptied by one import (`Spans.defer_memory` inside its transaction; a server's
# search vectors made ahead, `Documents.compute_search_ahead`): their rows are never part of
# a project's data.
SCRATCH = ("entity_memory_deferred", "search_vectors_ahead")
# A server's search vectors, kept by its trigger from each document's title and text.
_DERIVED_COLUMNS = {("documents", "search")}
_FTS = "documents_fts"  # a file's full-text index and its shadow tables
BATCH = 2000

_STORED_COLUMNS = {
    "sqlite": "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid",
    "postgresql": "SELECT column_name FROM information_schema.columns "
                  "WHERE table_schema = current_schema() AND table_name = ? "
                  "ORDER BY ordinal_position",
}
_TABLE_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' "
              "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


class Transfer:
    def __init__(self, conn):
        self._conn = conn
        self._sqlite = conn.dialect == "sqlite"

    def unknown_tables(self) -> list[str]:
        """Tables of this project a copy would not carry (a migration added one and the copy
        was not told): a copy refuses to run rather than lose them."""
        known = {*TABLES, *DERIVED, *OWN, *SCRATCH}
        return sorted(name for (name,) in self._conn.execute(_TABLE_NAMES[self._conn.dialect])
                      if name not in known and not name.startswith(_FTS))

    def columns(self, table: str) -> list[str]:
        """The stored columns of `table` (a server's search vectors left out)."""
        return [name for (name,) in self._conn.execute(_STORED_COLUMNS[self._conn.dialect],
                                                       (table,))
                if (table, name) not in _DERIVED_COLUMNS]

    def count(self, table: str) -> int:
        return self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def rows(self, table: str, columns: Sequence[str], *, where: str = "",
             params: Sequence[Any] = (), batch: int = BATCH) -> Iterator[list[tuple]]:
        """`table`'s rows in key order, `batch` at a time. On a server the caller holds a
        transaction (a `snapshot`): the rows stream through a cursor that lives in it."""
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f"SELECT {names} FROM {table}{f' WHERE {where}' if where else ''} " \
              f"ORDER BY {TABLES.get(table) or DERIVED[table]}"
        if self._sqlite:
            cursor = self._conn.execute(sql, params)
            while chunk := cursor.fetchmany(batch):
                yield chunk
            return
        yield from self._conn.stream(sql, params, batch)

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows into `table` in bulk, ids and all; the caller owns the transaction."""
        if not self._sqlite:
            self._conn.copy_rows(table, columns, rows)
            return
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self._conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def reset_identities(self) -> None:
        """After ids were written as they came, a server's identity sequences continue
        past them (a file's INTEGER PRIMARY KEY needs nothing)."""
        if self._sqlite:
            return
        for table, column in self._conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall():
            self._conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                               f"max({column})) FROM {table}")

    def new_ids(self, table: str, n: int) -> Sequence[int]:
        """`n` ids for new rows of `table` (`_rows.new_ids`)."""
        return _rows.new_ids(self._conn, table, n)

    # -- what a merge asks of the project it merges into ------------------------------------

    def sets_of(self, doc_ids: Sequence[str], columns: Sequence[str]) -> list[tuple]:
        """The annotation sets of these documents (in `columns`)."""
        names = ", ".join(f'"{c}"' for c in columns)
        found: list[tuple] = []
        for chunk, marks in _rows.in_chunks(list(doc_ids)):
            found += self._conn.execute(
                f"SELECT {names} FROM annotation_sets WHERE doc_id IN ({marks})", chunk
            ).fetchall()
        return found

    def rows_of_sets(self, table: str, columns: Sequence[str],
                     set_ids: Sequence[int]) -> list[tuple]:
        """The spans or claims of these sets (in `columns`), by id."""
        names = ", ".join(f'"{c}"' for c in columns)
        found: list[tuple] = []
        for chunk, marks in _rows.in_chunks(list(set_ids)):
            found += self._conn.execute(
                f"SELECT {names} FROM {table} WHERE set_id IN ({marks}) ORDER BY id", chunk
            ).fetchall()
        return found

    def clear_sets(self, set_ids: Sequence[int]) -> None:
        """Remove the spans (and with them the claims) of sets whose work is replaced."""
        for chunk, marks in _rows.in_chunks(list(set_ids)):
            self._conn.execute(f"DELETE FROM spans WHERE set_id IN ({marks})", chunk)

    def replace_set(self, set_id: int, fields: dict[str, Any]) -> None:
        """A set's own row made the given one (status, labels, times, version…)."""
        assignments = ", ".join(f'"{name}" = ?' for name in fields)
        self._conn.execute(f"UPDATE annotation_sets SET {assignments} WHERE id = ?",
                           [*fields.values(), set_id])

    def insert_missing(self, table: str, columns: Sequence[str],
                       rows: Sequence[Sequence[Any]]) -> None:
        """Rows whose key may already be there (schemas, suggestion marks): kept if so."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self._conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) "
                               "ON CONFLICT DO NOTHING", rows)

    def event_keys(self, annotators: Sequence[str]) -> set[tuple]:
        """(ts, annotator, session, document, action) of these annotators' events: an event
        brought by a merge is the same event when all five agree."""
        found: set[tuple] = set()
        for chunk, marks in _rows.in_chunks(list(annotators)):
            found.update(self._conn.execute(
                "SELECT ts, annotator, session_id, doc_id, action FROM events "
                f"WHERE annotator IN ({marks})", chunk).fetchall())
        return found

    def merged(self, fingerprint: str) -> tuple[str, str] | None:
        """(source, when) of an earlier merge of exactly this content, if any."""
        row = self._conn.execute("SELECT source, merged_at FROM merges WHERE fingerprint = ? "
                                 "ORDER BY id LIMIT 1", (fingerprint,)).fetchone()
        return (row[0], row[1]) if row else None

    def record_merge(self, source: str, fingerprint: str, merged_at: str, merged_by: str,
                     summary: dict[str, Any]) -> None:
        self._conn.execute("INSERT INTO merges (source, fingerprint, merged_at, merged_by, "
                           "summary) VALUES (?, ?, ?, ?, ?)",
                           (source, fingerprint, merged_at, merged_by, _rows.dumps(summary)))


@contextlib.contextmanager
def new_file(location: Location) -> Iterator[Location]:
    """A new project file built beside `location` under a hidden name and renamed into place
    only when the block succeeds, so a copy cancelled or failed half-way leaves nothing
    there. The caller opens and closes its store on the yielded location inside the block.
    `location` must not hold a project yet (an empty file may be replaced)."""
    path = location.path
    if path.exists() and (path.is_dir() or path.stat().st_size > 0):
        raise StoreError(f"{location.display} already exists: a copy makes a new project, "
                         "so name a new file (or an empty one)")
    building = path.with_name(f".{path.name}.copying")
    leftovers = [building.with_name(building.name + suffix) for suffix in ("", "-wal", "-shm")]
    for leftover in leftovers:  # of a copy killed before it could clean up
        leftover.unlink(missing_ok=True)
    try:
        yield Location.parse(building)
        os.replace(building, path)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
