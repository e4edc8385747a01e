-- The token cache keeps offsets only, deflated (about 3 bytes a token): the serialised JSONL
-- `tokens` lists it held before grew a 10,000-article project from 95 to 607 MiB, and an
-- export makes them from the offsets instead. `offsets` is zlib-deflated: every token's start,
-- then every token's end, as 32-bit little-endian integers, then one byte per token, 1 when a
-- space follows it (see `annotator.core.tokens.TokenTable`). The cache is derived data: old
-- rows are dropped and rebuilt on demand.
DROP TABLE document_tokens;
CREATE TABLE document_tokens (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    tokenizer  TEXT NOT NULL,
    n_tokens   INTEGER NOT NULL CHECK (n_tokens >= 0),
    offsets    BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);
