-- The data model (docs/architecture.md). Constraints live here, not only in Python, so no
-- writer -- ours, a script, a later PostgreSQL port -- can store a span outside its text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
);

-- Every schema a project has used, by content hash: annotation sets name the hash they were
-- made under, so a changed schema never silently reinterprets old work.
CREATE TABLE schemas (
    hash     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    version  TEXT NOT NULL,
    body     TEXT NOT NULL CHECK (json_valid(body)),
    added_at TEXT NOT NULL
);

CREATE TABLE documents (
    num            INTEGER PRIMARY KEY,  -- import order: the stable sort key of the list
    id             TEXT NOT NULL UNIQUE CHECK (length(id) = 64),
    text           TEXT NOT NULL CHECK (length(text) > 0),
    n_chars        INTEGER NOT NULL CHECK (n_chars = length(text)),
    title          TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',
    date           TEXT,
    url            TEXT,
    meta           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
    curation       TEXT NOT NULL DEFAULT 'included' CHECK (curation IN ('included', 'excluded')),
    exclude_reason TEXT,
    cluster_id     TEXT,
    imported_at    TEXT NOT NULL
);

CREATE TRIGGER documents_text_immutable
BEFORE UPDATE OF id, text, n_chars ON documents
BEGIN
    SELECT RAISE(ABORT, 'document text is immutable: every offset in the project points into it');
END;

CREATE TABLE annotation_sets (
    id          INTEGER PRIMARY KEY,
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator   TEXT NOT NULL CHECK (length(annotator) > 0),
    status      TEXT NOT NULL DEFAULT 'todo'
                CHECK (status IN ('todo', 'in_progress', 'done', 'skipped', 'flagged')),
    note        TEXT,
    cats        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(cats)),
    schema_hash TEXT REFERENCES schemas(hash),
    reviewed_by TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (doc_id, annotator)
);
CREATE INDEX annotation_sets_by_annotator ON annotation_sets (annotator, status);

CREATE TABLE spans (
    id         INTEGER PRIMARY KEY,
    set_id     INTEGER NOT NULL REFERENCES annotation_sets(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL CHECK (start >= 0),
    "end"      INTEGER NOT NULL CHECK ("end" > start),
    layer      TEXT NOT NULL CHECK (layer IN ('entity', 'claim', 'source', 'cue')),
    label      TEXT NOT NULL CHECK (length(label) > 0),
    origin     TEXT NOT NULL CHECK (length(origin) > 0),
    score      REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
    state      TEXT NOT NULL CHECK (state IN ('suggested', 'accepted', 'rejected')),
    attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX spans_by_set ON spans (set_id, start);

-- 0 <= start < end <= len(text): the upper bound needs the document, so it is a trigger.
CREATE TRIGGER spans_inside_text_on_insert
BEFORE INSERT ON spans
WHEN NEW."end" > (SELECT d.n_chars FROM documents d
                  JOIN annotation_sets s ON s.doc_id = d.id WHERE s.id = NEW.set_id)
BEGIN
    SELECT RAISE(ABORT, 'span end lies beyond the document text');
END;

CREATE TRIGGER spans_inside_text_on_update
BEFORE UPDATE OF start, "end", set_id ON spans
WHEN NEW."end" > (SELECT d.n_chars FROM documents d
                  JOIN annotation_sets s ON s.doc_id = d.id WHERE s.id = NEW.set_id)
BEGIN
    SELECT RAISE(ABORT, 'span end lies beyond the document text');
END;

CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    set_id          INTEGER NOT NULL REFERENCES annotation_sets(id) ON DELETE CASCADE,
    content_span_id INTEGER NOT NULL UNIQUE REFERENCES spans(id) ON DELETE CASCADE,
    source_span_id  INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    cue_span_id     INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    type            TEXT NOT NULL CHECK (length(type) > 0),
    attributes      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX claims_by_set ON claims (set_id);

-- The audit trail: one row per user action, never changed or removed.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    annotator  TEXT NOT NULL,
    session_id TEXT,
    doc_id     TEXT,
    action     TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload))
);
CREATE INDEX events_by_doc ON events (doc_id, id);

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
