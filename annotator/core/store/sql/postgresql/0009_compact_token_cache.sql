-- The token cache keeps offsets only, deflated, as ../0009: the serialised JSONL `tokens`
-- lists it held before are made by the export from the offsets instead. Derived data: old
-- rows are dropped and rebuilt on demand.
DROP TABLE document_tokens;
CREATE TABLE document_tokens (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    tokenizer  TEXT NOT NULL,
    n_tokens   INTEGER NOT NULL CHECK (n_tokens >= 0),
    offsets    BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);
