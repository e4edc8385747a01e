-- The token cache keeps each document's JSONL `tokens` list itself, serialised and
-- zstd-compressed (`json_zstd`, about 13 bytes a token; `annotator.core.tokens.DocTokens`):
-- an export embeds it as it is, where making it from the deflated offsets of 0009 cost more
-- than the rest of the export. The cache is derived data: old rows are dropped and rebuilt
-- on demand.
DROP TABLE document_tokens;
CREATE TABLE document_tokens (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    tokenizer  TEXT NOT NULL,
    json_zstd  BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);
