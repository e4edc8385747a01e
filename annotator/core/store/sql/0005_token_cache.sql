-- Tokens are derived data (docs/architecture.md), cached per document as an export needs them
-- for every article and tokenizing costs several times the export's own work. `tokenizer`
-- names what made the row (spaCy version and language): rows of another tokenizer are
-- stale and get replaced. Offsets are 32-bit little-endian arrays, `ws` one byte per token,
-- `json` the JSONL export's `tokens` list (docs/architecture.md) serialised.
CREATE TABLE document_tokens (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    tokenizer  TEXT NOT NULL,
    n_tokens   INTEGER NOT NULL CHECK (n_tokens >= 0),
    starts     BLOB NOT NULL CHECK (length(starts) = 4 * n_tokens),
    ends       BLOB NOT NULL CHECK (length(ends) = 4 * n_tokens),
    ws         BLOB NOT NULL CHECK (length(ws) = n_tokens),
    json       BLOB NOT NULL,
    created_at TEXT NOT NULL
);
