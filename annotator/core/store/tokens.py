"""The token cache: one row of tokens per document, as an opaque blob.

What the blob means belongs to `annotator.core.tokens` (which fills and reads them); this
repository only stores it under the key of the tokenizer that made them, so a row made by
another tokenizer reads as missing and is replaced when written again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from annotator.core.clock import now_iso
from annotator.core.store import _rows


class Tokens:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def get_many(self, doc_ids: Sequence[str], tokenizer: str) -> dict[str, bytes]:
        """Cached blobs of these documents made by `tokenizer`; others are left out."""
        found: dict[str, bytes] = {}
        for chunk, marks in _rows.in_chunks(doc_ids):
            for doc_id, blob in self._conn.execute(
                    f"SELECT doc_id, json_zstd FROM document_tokens "
                    f"WHERE tokenizer = ? AND doc_id IN ({marks})", [tokenizer, *chunk]):
                found[doc_id] = blob
        return found

    def put_many(self, tokenizer: str, rows: Iterable[tuple[str, bytes]]) -> int:
        """Store (doc_id, blob) rows, replacing a document's older row."""
        now = now_iso()
        cursor = self._conn.executemany(
            "INSERT INTO document_tokens (doc_id, tokenizer, json_zstd, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
            "tokenizer = excluded.tokenizer, json_zstd = excluded.json_zstd, "
            "created_at = excluded.created_at",
            ((doc_id, tokenizer, blob, now) for doc_id, blob in rows))
        return cursor.rowcount

    def count(self, tokenizer: str | None = None) -> int:
        if tokenizer is None:
            return self._conn.execute("SELECT count(*) FROM document_tokens").fetchone()[0]
        return self._conn.execute("SELECT count(*) FROM document_tokens WHERE tokenizer = ?",
                                  (tokenizer,)).fetchone()[0]

    def clear(self) -> int:
        """Forget every cached row (they are rebuilt on demand); returns how many."""
        return self._conn.execute("DELETE FROM document_tokens").rowcount
