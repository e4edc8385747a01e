-- Corpus memory: how often each annotator accepted and rejected each (surface text, label) of
-- an entity. Triggers on `spans` keep it current inside every write transaction, whoever
-- writes (ops, imports, suggestions, a script), so opening a document reads a few index
-- entries instead of every decided span of the project.
--
-- The surface text is `substr` of the document's text: SQLite counts characters there, as
-- span offsets do. A row whose counts both fall to zero is removed.
CREATE TABLE entity_memory (
    text      TEXT NOT NULL,
    label     TEXT NOT NULL,
    annotator TEXT NOT NULL,
    accepted  INTEGER NOT NULL CHECK (accepted >= 0),
    rejected  INTEGER NOT NULL CHECK (rejected >= 0),
    PRIMARY KEY (text, label, annotator)
) WITHOUT ROWID;

CREATE TRIGGER entity_memory_forget_zero
AFTER UPDATE OF accepted, rejected ON entity_memory
WHEN NEW.accepted = 0 AND NEW.rejected = 0
BEGIN
    DELETE FROM entity_memory
    WHERE text = NEW.text AND label = NEW.label AND annotator = NEW.annotator;
END;

CREATE TRIGGER entity_memory_span_added
AFTER INSERT ON spans
WHEN NEW.layer = 'entity' AND NEW.state IN ('accepted', 'rejected')
BEGIN
    INSERT INTO entity_memory (text, label, annotator, accepted, rejected)
    SELECT substr(d.text, NEW.start + 1, NEW."end" - NEW.start), NEW.label, a.annotator,
           CASE NEW.state WHEN 'accepted' THEN 1 ELSE 0 END,
           CASE NEW.state WHEN 'rejected' THEN 1 ELSE 0 END
    FROM annotation_sets a JOIN documents d ON d.id = a.doc_id
    WHERE a.id = NEW.set_id
    ON CONFLICT (text, label, annotator) DO UPDATE
    SET accepted = accepted + excluded.accepted, rejected = rejected + excluded.rejected;
END;

CREATE TRIGGER entity_memory_span_removed
AFTER DELETE ON spans
WHEN OLD.layer = 'entity' AND OLD.state IN ('accepted', 'rejected')
BEGIN
    UPDATE entity_memory
    SET accepted = accepted - CASE OLD.state WHEN 'accepted' THEN 1 ELSE 0 END,
        rejected = rejected - CASE OLD.state WHEN 'rejected' THEN 1 ELSE 0 END
    WHERE (text, label, annotator) = (
        SELECT substr(d.text, OLD.start + 1, OLD."end" - OLD.start), OLD.label, a.annotator
        FROM annotation_sets a JOIN documents d ON d.id = a.doc_id
        WHERE a.id = OLD.set_id);
END;

-- An update is the old row removed and the new one added (two triggers: each side counts
-- only when it is a decided entity).
CREATE TRIGGER entity_memory_span_changed_from
AFTER UPDATE OF set_id, start, "end", layer, label, state ON spans
WHEN OLD.layer = 'entity' AND OLD.state IN ('accepted', 'rejected')
BEGIN
    UPDATE entity_memory
    SET accepted = accepted - CASE OLD.state WHEN 'accepted' THEN 1 ELSE 0 END,
        rejected = rejected - CASE OLD.state WHEN 'rejected' THEN 1 ELSE 0 END
    WHERE (text, label, annotator) = (
        SELECT substr(d.text, OLD.start + 1, OLD."end" - OLD.start), OLD.label, a.annotator
        FROM annotation_sets a JOIN documents d ON d.id = a.doc_id
        WHERE a.id = OLD.set_id);
END;

CREATE TRIGGER entity_memory_span_changed_to
AFTER UPDATE OF set_id, start, "end", layer, label, state ON spans
WHEN NEW.layer = 'entity' AND NEW.state IN ('accepted', 'rejected')
BEGIN
    INSERT INTO entity_memory (text, label, annotator, accepted, rejected)
    SELECT substr(d.text, NEW.start + 1, NEW."end" - NEW.start), NEW.label, a.annotator,
           CASE NEW.state WHEN 'accepted' THEN 1 ELSE 0 END,
           CASE NEW.state WHEN 'rejected' THEN 1 ELSE 0 END
    FROM annotation_sets a JOIN documents d ON d.id = a.doc_id
    WHERE a.id = NEW.set_id
    ON CONFLICT (text, label, annotator) DO UPDATE
    SET accepted = accepted + excluded.accepted, rejected = rejected + excluded.rejected;
END;

-- A span's memory is removed through its set and document, so a set or a document is
-- emptied before it goes (the cascade would run after they are gone, with nothing to read).
CREATE TRIGGER entity_memory_set_removed
BEFORE DELETE ON annotation_sets
BEGIN
    DELETE FROM spans WHERE set_id = OLD.id;
END;

CREATE TRIGGER entity_memory_document_removed
BEFORE DELETE ON documents
BEGIN
    DELETE FROM annotation_sets WHERE doc_id = OLD.id;
END;

-- The spans already there, counted as the insert trigger counts them. (A GROUP BY over the
-- surface text would make SQLite sort every row with its document's whole text: 6x slower.)
INSERT INTO entity_memory (text, label, annotator, accepted, rejected)
SELECT substr(d.text, s.start + 1, s."end" - s.start), s.label, a.annotator,
       CASE s.state WHEN 'accepted' THEN 1 ELSE 0 END,
       CASE s.state WHEN 'rejected' THEN 1 ELSE 0 END
FROM spans s
JOIN annotation_sets a ON a.id = s.set_id
JOIN documents d ON d.id = a.doc_id
WHERE s.layer = 'entity' AND s.state IN ('accepted', 'rejected')
ON CONFLICT (text, label, annotator) DO UPDATE
SET accepted = accepted + excluded.accepted, rejected = rejected + excluded.rejected;
