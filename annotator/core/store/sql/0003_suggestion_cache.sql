-- Model suggestions cached per (document, model name@version, schema hash): re-running the
-- suggester does no work, and a new model or schema gets its own rows.
CREATE TABLE suggestions (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    schema_hash TEXT NOT NULL,
    payload     TEXT NOT NULL CHECK (json_valid(payload)),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, model, schema_hash)
);
