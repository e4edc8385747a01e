-- Which annotation sets have received the suggestions of which model: suggestions are put
-- into an annotator's set at most once per model, so a suggestion the annotator deleted or
-- rejected never comes back when the document is opened again.
CREATE TABLE suggestions_materialised (
    set_id      INTEGER NOT NULL REFERENCES annotation_sets(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    schema_hash TEXT NOT NULL,
    n_spans     INTEGER NOT NULL CHECK (n_spans >= 0),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (set_id, model)
);
