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

Row = tuple[int, bytes]  # number of tokens, offsets


class Tokens:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def get_many(self, doc_ids: Sequence[str], tokenizer: str) -> dict[str, Row]:
        """Cached rows of these documents made by `tokenizer`; others are left out."""
        found: dict[str, Row] = {}
        for chunk, marks in _rows.in_chunks(doc_ids):
            for doc_id, n_tokens, offsets in self._conn.execute(
                    f"SELECT doc_id, n_tokens, offsets FROM document_tokens "
                    f"WHERE tokenizer = ? AND doc_id IN ({marks})", [tokenizer, *chunk]):
                found[doc_id] = n_tokens, offsets
        return found

    def put_many(self, tokenizer: str, rows: Iterable[tuple[str, int, bytes]]) -> int:
        """Store (doc_id, n_tokens, offsets) rows, replacing a document's older row."""
        now = now_iso()
        cursor = self._conn.executemany(
            "INSERT INTO document_tokens (doc_id, tokenizer, n_tokens, offsets, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
            "tokenizer = excluded.tokenizer, n_tokens = excluded.n_tokens, "
            "offsets = excluded.offsets, created_at = excluded.created_at",
            ((doc_id, tokenizer, n_tokens, offsets, now) for doc_id, n_tokens, offsets in rows))
        return cursor.rowcount

    def count(self, tokenizer: str | None = None) -> int:
        if tokenizer is None:
            return self._conn.execute("SELECT count(*) FROM document_tokens").fetchone()[0]
        return self._conn.execute("SELECT count(*) FROM document_tokens WHERE tokenizer = ?",
                                  (tokenizer,)).fetchone()[0]

    def clear(self) -> int:
        """Forget every cached row (they are rebuilt on demand); returns how many."""
        return self._conn.execute("DELETE FROM document_tokens").rowcount
