-- Team work (docs/architecture.md, "People and rights"): who is to annotate which document,
-- which other projects were merged in, and a version on every annotation set, so that a
-- set several people may write (gold) refuses a write made from a stale copy.
CREATE TABLE assignments (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator   TEXT NOT NULL CHECK (length(annotator) > 0),
    assigned_at TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator)
);
CREATE INDEX assignments_by_annotator ON assignments (annotator, doc_id);

-- One row per merge that brought something in: a repeat of the same content is a no-op.
CREATE TABLE merges (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    merged_at   TEXT NOT NULL,
    merged_by   TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary))
);
CREATE INDEX merges_by_fingerprint ON merges (fingerprint);

ALTER TABLE annotation_sets ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
