-- Model suggestions cached per (document, model name@version, schema hash), as ../0003.
CREATE TABLE suggestions (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    schema_hash TEXT NOT NULL,
    payload     JSONB NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, model, schema_hash)
);
