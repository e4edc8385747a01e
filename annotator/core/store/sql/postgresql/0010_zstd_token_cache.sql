-- The token cache keeps each document's JSONL `tokens` list itself, serialised and
-- zstd-compressed, as ../0010: an export embeds it as it is. Derived data: old rows are
-- dropped and rebuilt on demand.
DROP TABLE document_tokens;
CREATE TABLE document_tokens (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    tokenizer  TEXT NOT NULL,
    json_zstd  BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);
