"""Documents: inserted once, never edited; listed in pages for views of any size."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.core.clock import now_iso
from annotator.core.model import Document
from annotator.core.store import _rows
from annotator.core.store.search import annotation_condition, fts_query, parse, tsquery

# Rows per multi-row INSERT. Each statement ends by flushing the full-text index's new terms
# into a segment of their own (FTS5 syncs at every statement's savepoint), and segments are
# merged four at a time: fewer, larger statements merge less (docs/benchmarks.md). 9 values
# a row stay under SQLite's 32,766 variables (SQLite 3.32 on; the store needs 3.35).
BATCH = 500
VARYING_FIELDS = {"title": "title", "source": "source", "date": "date", "url": "url",
                  "cluster": "cluster_id"}  # list columns that may say nothing: their fields
ASSIGNED = ("EXISTS (SELECT 1 FROM assignments a WHERE a.doc_id = d.id "
            "AND a.annotator = ?)")  # the documents handed to one annotator


_CLUSTER_COLUMNS = {"story": "cluster_id", "duplicate": "duplicate_id"}
# Names joined by a line break, which no login role or annotator name holds.
_NAMES = {"sqlite": "group_concat(o.annotator, char(10))",
          "postgresql": "string_agg(o.annotator, chr(10))"}
_COLUMNS = ("id", "text", "n_chars", "title", "source", "date", "url", "meta", "imported_at")


class Documents:
    def __init__(self, conn):
        self._conn = conn
        self._sqlite = conn.dialect == "sqlite"

    def count(self, *, included_only: bool = False, assigned_to: str | None = None) -> int:
        where = ["d.curation = 'included'"] if included_only else []
        if assigned_to is not None:
            where.append(ASSIGNED)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return self._conn.execute(f"SELECT count(*) FROM documents d{clause}",
                                  () if assigned_to is None else (assigned_to,)).fetchone()[0]

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk, marks in _rows.in_chunks(list(ids)):
            found.update(r[0] for r in self._conn.execute(
                f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
        return found

    def insert_many(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert new documents (dicts with id, text, title, source, date, url, meta).

        In a file, rows go in by multi-row INSERTs of `BATCH` rows (quicker than one row a
        statement); on a server they stream in by ``COPY``. The caller owns the transaction:
        an import is all or nothing.
        """
        imported_at = now_iso()
        records = [(r["id"], r["text"], len(r["text"]), r.get("title", ""), r.get("source", ""),
                    r.get("date"), r.get("url"), _rows.dumps(r.get("meta", {})), imported_at)
                   for r in rows]
        if not self._sqlite:
            self._conn.copy_rows("documents", _COLUMNS, records)
            return len(records)
        row_marks = f"({', '.join('?' * len(_COLUMNS))})"
        for start in range(0, len(records), BATCH):
            chunk = records[start:start + BATCH]
            self._conn.execute(
                f"INSERT INTO documents ({', '.join(_COLUMNS)}) VALUES "
                f"{', '.join([row_marks] * len(chunk))}",
                [value for record in chunk for value in record])
        return len(records)

    @property
    def computes_search_ahead(self) -> bool:
        """Whether `compute_search_ahead` does anything: a server's search vectors may be
        computed on a second connection; a file's index is written in the insert itself."""
        return not self._sqlite

    def compute_search_ahead(self, rows: Sequence[dict[str, Any]]) -> None:
        """On a server, compute the search vectors of documents about to be inserted by
        another connection, whose `insert_many` then takes them instead of computing them
        (migration 18): an import runs this a batch ahead on a second connection, so two of
        the server's cores share the work. Documents already stored are left out. Rows made
        by a run that died are swept after a day; they hold correct vectors meanwhile."""
        if self._sqlite or not rows:
            return
        self._conn.execute(
            "INSERT INTO search_vectors_ahead AS v (doc_id, title, search) "
            "SELECT u.id, u.title, document_search_vector(u.title, u.body) "
            "FROM unnest(?::text[], ?::text[], ?::text[]) AS u(id, title, body) "
            "WHERE NOT EXISTS (SELECT FROM documents d WHERE d.id = u.id) "
            "ON CONFLICT (doc_id) DO UPDATE SET title = excluded.title, "
            "search = excluded.search, made_at = excluded.made_at",
            ([r["id"] for r in rows], [r.get("title", "") for r in rows],
             [r["text"] for r in rows]))

    def forget_search_ahead(self, ids: Sequence[str]) -> None:
        """Drop the vectors computed ahead for `ids`, and any a dead run left a day ago."""
        if self._sqlite:
            return
        self._conn.execute("DELETE FROM search_vectors_ahead "
                           "WHERE doc_id = ANY(?) OR made_at < now() - interval '1 day'",
                           (list(ids),))

    def get(self, doc_id: str) -> Document | None:
        row = self._conn.execute(
            f"SELECT {_rows.DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _rows.document(row) if row else None

    def text(self, doc_id: str) -> str:
        row = self._conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return row[0]

    def iter_all(self, batch: int = 256, *, included_only: bool = False) -> Iterable[Document]:
        """Every document in import order, read in batches so memory stays flat; exports ask
        for `included_only` (excluded documents never leave the project)."""
        last = 0
        curation = " AND curation = 'included'" if included_only else ""
        while True:
            rows = self._conn.execute(
                f"SELECT {_rows.DOCUMENT_COLUMNS} FROM documents WHERE num > ?{curation} "
                "ORDER BY num LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            for row in rows:
                yield _rows.document(row)
            last = rows[-1][0]

    def ids_in_order(self, *, search: str | None = None, source: str | None = None,
                     status: str | None = None, annotator: str | None = None,
                     assigned: bool = False, excluded: bool = True,
                     cluster: tuple[str, str | None] | None = None) -> list[str]:
        """Ids of the documents to list, filtered, in import order (ids first, rows lazily);
        `assigned` keeps those assigned to `annotator`; `excluded=False` drops excluded ones;
        `cluster` is (kind, id): the documents of that story or duplicate cluster, or with
        id None those in any such cluster of more than one document. `search` holds words
        and annotation terms (`search.parse`); a term named wrongly raises QueryError."""
        where, params = [], []
        if not excluded:  # by the curation index (rowids), not by reading every row's text
            where.append("d.num NOT IN (SELECT num FROM documents WHERE curation = 'excluded')")
        if cluster is not None:
            column = _CLUSTER_COLUMNS[cluster[0]]
            if cluster[1] is None:
                where.append(f"d.{column} IN (SELECT {column} FROM documents WHERE {column} IS "
                             f"NOT NULL GROUP BY {column} HAVING count(*) > 1)")
            else:
                where.append(f"d.{column} = ?")
                params.append(cluster[1])
        if assigned:
            where.append(ASSIGNED)
            params.append(annotator or "")
        asked = parse(search or "")  # QueryError: a term the user named wrongly
        if asked.words:
            condition, query = self._matching(asked.words)
            if query:
                where.append(condition)
                params.append(query)
            elif not asked.names_annotations:  # only punctuation: nothing to find
                return []
        if asked.names_annotations:
            condition, values = annotation_condition(asked, annotator)
            where.append(condition)
            params += values
        if source:
            where.append("d.source = ?")
            params.append(source)
        if status:
            where.append("coalesce((SELECT s.status FROM annotation_sets s WHERE s.doc_id = d.id "
                         "AND s.annotator = ?), 'todo') = ?")
            params += [annotator or "", status]
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return [r[0] for r in self._conn.execute(
            f"SELECT d.id FROM documents d {clause} ORDER BY d.num", params)]

    def summaries(self, ids: Sequence[str], annotator: str) -> dict[str, dict[str, Any]]:
        """List rows (title, source, date, curation and its reason, the sizes of the story
        and duplicate clusters, status, the flag's note and entity counts — suggested,
        accepted — for `annotator`, and the others who finished the document, by name) for
        a page of ids."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        cursor = self._conn.execute(
            "SELECT d.id, d.title, d.source, d.date, d.curation, d.exclude_reason, "
            "(SELECT count(*) FROM documents c WHERE c.cluster_id = d.cluster_id), "
            "(SELECT count(*) FROM documents c WHERE c.duplicate_id = d.duplicate_id), "
            "coalesce(s.status, 'todo') AS status, s.note, "
            "(SELECT count(*) FROM spans p WHERE p.set_id = s.id AND p.layer = 'entity' "
            " AND p.state = 'suggested'), "
            "(SELECT count(*) FROM spans p WHERE p.set_id = s.id AND p.layer = 'entity' "
            " AND p.state = 'accepted'), "
            f"(SELECT {_NAMES[self._conn.dialect]} FROM annotation_sets o "
            " WHERE o.doc_id = d.id AND o.annotator != ? AND o.status = 'done') "
            "FROM documents d LEFT JOIN annotation_sets s ON s.doc_id = d.id AND s.annotator = ? "
            f"WHERE d.id IN ({marks})", [annotator, annotator, *ids])
        fields = ("id", "title", "source", "date", "curation", "exclude_reason", "story_size",
                  "copies", "status", "note", "suggested", "accepted")
        return {row[0]: dict(zip(fields, row[:len(fields)]),
                             done_by=sorted(row[len(fields)].split("\n"))
                             if row[len(fields)] else [])
                for row in cursor}

    def sources(self) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT DISTINCT source FROM documents WHERE source != '' ORDER BY source")]

    def search(self, query: str, limit: int = 100) -> list[str]:
        """Ids of documents matching free user text, best first; never raises on syntax."""
        if self._sqlite:
            match = fts_query(query)
            sql = ("SELECT d.id FROM documents_fts f JOIN documents d ON d.num = f.rowid "
                   "WHERE documents_fts MATCH ? ORDER BY f.rank LIMIT ?")
        else:
            match = tsquery(query)
            sql = ("SELECT d.id FROM documents d, to_tsquery('annotator', ?) q "
                   "WHERE d.search @@ q ORDER BY ts_rank(d.search, q) DESC, d.num LIMIT ?")
        if not match:
            return []
        return [r[0] for r in self._conn.execute(sql, (match, limit))]

    def _matching(self, user_text: str) -> tuple[str, str]:
        """The condition on `d` that keeps documents matching `user_text`, and its query."""
        if self._sqlite:
            return ("d.num IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)",
                    fts_query(user_text))
        return "d.search @@ to_tsquery('annotator', ?)", tsquery(user_text)

    def next_with_status(self, annotator: str, statuses: Sequence[str],
                         after: str | None = None, *, assigned: bool = False) -> str | None:
        """The first included document after `after` (import order, wrapping around) whose
        status for `annotator` is one of `statuses`, of those assigned to them if `assigned`;
        never `after` itself."""
        marks = ",".join("?" * len(statuses))
        mine = f"AND {ASSIGNED} " if assigned else ""
        after_num = 0
        if after is not None:
            row = self._conn.execute("SELECT num FROM documents WHERE id = ?", (after,)).fetchone()
            after_num = row[0] if row else 0
        sql = ("SELECT d.id FROM documents d LEFT JOIN annotation_sets s "
               "ON s.doc_id = d.id AND s.annotator = ? WHERE d.curation = 'included' "
               f"AND coalesce(s.status, 'todo') IN ({marks}) {mine}AND d.num {{}} ? "
               "ORDER BY d.num LIMIT 1")
        params = [annotator, *statuses, *([annotator] if assigned else [])]
        for comparison in (">", "<"):
            row = self._conn.execute(sql.format(comparison), [*params, after_num]).fetchone()
            if row:
                return row[0]
        return None

    def with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        """Ids starting with `prefix` (ids are hex: the range [prefix, prefix + 'g') holds
        them all), by the primary key."""
        return [r[0] for r in self._conn.execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            (prefix, prefix + "g", limit))]

    def curations(self, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """(curation, exclusion reason) of each of these documents that exists."""
        out: dict[str, tuple[str, str | None]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            out.update((doc_id, (curation, reason)) for doc_id, curation, reason in
                       self._conn.execute(
                           "SELECT id, curation, exclude_reason FROM documents WHERE id IN "
                           f"({','.join('?' * len(chunk))})", chunk))
        return out

    def set_curation(self, doc_id: str, curation: str, reason: str | None = None) -> None:
        """Include or exclude a document (an excluded one is never exported)."""
        if curation not in ("included", "excluded"):
            raise ValueError(f"curation must be 'included' or 'excluded', got {curation!r}")
        self._conn.execute("UPDATE documents SET curation = ?, exclude_reason = ? WHERE id = ?",
                           (curation, reason if curation == "excluded" else None, doc_id))

    def set_title(self, doc_id: str, title: str) -> None:
        """A corrected title (the text never changes); the full-text index follows it (a
        trigger on either backend)."""
        self._conn.execute("UPDATE documents SET title = ? WHERE id = ?", (title, doc_id))

    def varying(self, fields: Sequence[str]) -> set[str]:
        """Which of these document fields differ from one document to another: a list column
        of a field that holds one value everywhere (none at all, or the same source) says
        nothing. Each check stops at the first document that differs from the first."""
        out = set()
        for name in fields:
            column = VARYING_FIELDS[name]  # a known name: never user text in the SQL
            if self._conn.execute(
                    f"SELECT EXISTS (SELECT 1 FROM documents WHERE coalesce({column}, '') <> "
                    f"(SELECT coalesce({column}, '') FROM documents ORDER BY num LIMIT 1))"
                    ).fetchone()[0]:
                out.add(name)
        return out

    def clusters(self, kind: str = "story") -> dict[str, list[tuple[str, str]]]:
        """cluster id → its documents' (id, title), in import order; `kind` "story" (reports
        of one event) or "duplicate" (near-duplicates inside a story)."""
        column = _CLUSTER_COLUMNS[kind]
        out: dict[str, list[tuple[str, str]]] = {}
        for cluster, doc_id, title in self._conn.execute(
                f"SELECT {column}, id, title FROM documents WHERE {column} IS NOT NULL "
                "ORDER BY num"):
            out.setdefault(cluster, []).append((doc_id, title))
        return out

    def exclusion_reasons(self) -> dict[str | None, int]:
        """How many excluded documents give each stored reason (None: no reason)."""
        return dict(self._conn.execute(
            "SELECT exclude_reason, count(*) FROM documents WHERE curation = 'excluded' "
            "GROUP BY exclude_reason").fetchall())

    def clusters_computed(self) -> bool:
        """Whether a cluster refresh has ever stored ids in this project."""
        return bool(self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE cluster_id IS NOT NULL)"
        ).fetchone()[0])

    def story_of(self, doc_id: str) -> list[dict[str, Any]]:
        """Every document of `doc_id`'s story (itself included), in import order, with what
        the Story panel and "keep the longest / the earliest" compare; [] when the document
        has no cluster yet."""
        keys = ("id", "title", "source", "date", "n_chars", "curation", "exclude_reason",
                "duplicate_id")
        return [dict(zip(keys, row)) for row in self._conn.execute(
            f"SELECT {', '.join('d.' + k for k in keys)} FROM documents d "
            "JOIN documents o ON o.cluster_id = d.cluster_id WHERE o.id = ? ORDER BY d.num",
            (doc_id,))]

    def set_clusters(self, stories: dict[str, str], duplicates: dict[str, str]) -> int:
        """Store each document's story and duplicate cluster ids (doc id → cluster id);
        returns how many rows changed. Rows already holding their ids are left alone, so a
        refresh that finds the same groups writes nothing. The caller owns the transaction."""
        differs = "IS NOT" if self._sqlite else "IS DISTINCT FROM"
        return self._conn.executemany(
            "UPDATE documents SET cluster_id = ?, duplicate_id = ? WHERE id = ? AND "
            f"(cluster_id {differs} ? OR duplicate_id {differs} ?)",
            [(story, duplicates[doc_id], doc_id, story, duplicates[doc_id])
             for doc_id, story in stories.items()]).rowcount

