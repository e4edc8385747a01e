-- Which annotation sets have received the suggestions of which model, as ../0004.
CREATE TABLE suggestions_materialised (
    set_id      BIGINT NOT NULL REFERENCES annotation_sets(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    schema_hash TEXT NOT NULL,
    n_spans     INTEGER NOT NULL CHECK (n_spans >= 0),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (set_id, model)
);
