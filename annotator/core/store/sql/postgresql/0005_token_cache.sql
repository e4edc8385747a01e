-- Tokens cached per document, as ../0005: offsets are 32-bit little-endian arrays, `ws` one
-- byte per token, `json` the export's serialised `tokens` list (bytes, not jsonb: it is
-- written and read whole, never queried).
CREATE TABLE document_tokens (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    tokenizer  TEXT NOT NULL,
    n_tokens   INTEGER NOT NULL CHECK (n_tokens >= 0),
    starts     BYTEA NOT NULL CHECK (length(starts) = 4 * n_tokens),
    ends       BYTEA NOT NULL CHECK (length(ends) = 4 * n_tokens),
    ws         BYTEA NOT NULL CHECK (length(ws) = n_tokens),
    json       BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
