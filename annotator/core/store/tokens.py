"""The token cache: one row of tokens per document, as opaque blobs.

What the blobs mean belongs to `annotator.core.tokens` (which fills and reads them); this
repository only stores them under the key of the tokenizer that made them, so a row made by
another tokenizer reads as missing and is replaced when written again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from annotator.core.clock import now_iso
from annotator.core.store import _rows

Blobs = tuple[bytes, bytes, bytes, bytes]  # starts, ends, ws, json


class Tokens:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def get_many(self, doc_ids: Sequence[str], tokenizer: str) -> dict[str, Blobs]:
        """Cached rows of these documents made by `tokenizer`; others are left out."""
        found: dict[str, Blobs] = {}
        for chunk, marks in _rows.in_chunks(doc_ids):
            for doc_id, *blobs in self._conn.execute(
                    f"SELECT doc_id, starts, ends, ws, json FROM document_tokens "
                    f"WHERE tokenizer = ? AND doc_id IN ({marks})", [tokenizer, *chunk]):
                found[doc_id] = tuple(blobs)
        return found

    def put_many(self, tokenizer: str, rows: Iterable[tuple[str, bytes, bytes, bytes, bytes]]
                 ) -> int:
        """Store (doc_id, starts, ends, ws, json) rows, replacing a document's older row."""
        now = now_iso()
        cursor = self._conn.executemany(
            "INSERT INTO document_tokens (doc_id, tokenizer, n_tokens, starts, ends, ws, json, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
            "tokenizer = excluded.tokenizer, n_tokens = excluded.n_tokens, "
            "starts = excluded.starts, ends = excluded.ends, ws = excluded.ws, "
            "json = excluded.json, created_at = excluded.created_at",
            ((doc_id, tokenizer, len(ws), starts, ends, ws, json, now)
             for doc_id, starts, ends, ws, json in rows))
        return cursor.rowcount

    def count(self, tokenizer: str | None = None) -> int:
        if tokenizer is None:
            return self._conn.execute("SELECT count(*) FROM document_tokens").fetchone()[0]
        return self._conn.execute("SELECT count(*) FROM document_tokens WHERE tokenizer = ?",
                                  (tokenizer,)).fetchone()[0]

    def clear(self) -> int:
        """Forget every cached row (they are rebuilt on demand); returns how many."""
        return self._conn.execute("DELETE FROM document_tokens").rowcount
