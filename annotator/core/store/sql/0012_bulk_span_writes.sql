-- Bulk span writes (an import of annotated work: docs/architecture.md, "The store").
--
-- A span's bounds check looks its document's length up by id. The row holds the text before
-- `n_chars`, so reading `n_chars` from the row walks the text's overflow pages; this index
-- answers the lookup alone (an import of 150,000 spans: docs/benchmarks.md). The triggers
-- name it: SQLite's planner takes the unique index on `id` otherwise.
CREATE INDEX documents_length ON documents (id, n_chars);

DROP TRIGGER spans_inside_text_on_insert;
CREATE TRIGGER spans_inside_text_on_insert
BEFORE INSERT ON spans
WHEN NEW."end" > (SELECT d.n_chars FROM documents d INDEXED BY documents_length
                  JOIN annotation_sets s ON s.doc_id = d.id WHERE s.id = NEW.set_id)
BEGIN
    SELECT RAISE(ABORT, 'span end lies beyond the document text');
END;

DROP TRIGGER spans_inside_text_on_update;
CREATE TRIGGER spans_inside_text_on_update
BEFORE UPDATE OF start, "end", set_id ON spans
WHEN NEW."end" > (SELECT d.n_chars FROM documents d INDEXED BY documents_length
                  JOIN annotation_sets s ON s.doc_id = d.id WHERE s.id = NEW.set_id)
BEGIN
    SELECT RAISE(ABORT, 'span end lies beyond the document text');
END;

-- Sets whose entity spans a bulk write counts into the corpus memory itself, in one statement
-- before its transaction ends (`Spans.count_deferred_memory`), instead of the triggers reading
-- the document's text once per span. Empty outside such a transaction; the triggers keep the
-- memory for every other write.
CREATE TABLE entity_memory_deferred (set_id INTEGER PRIMARY KEY);

DROP TRIGGER entity_memory_span_added;
CREATE TRIGGER entity_memory_span_added
AFTER INSERT ON spans
WHEN NEW.layer = 'entity' AND NEW.state IN ('accepted', 'rejected')
     AND NOT EXISTS (SELECT 1 FROM entity_memory_deferred WHERE set_id = NEW.set_id)
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

DROP TRIGGER entity_memory_span_removed;
CREATE TRIGGER entity_memory_span_removed
AFTER DELETE ON spans
WHEN OLD.layer = 'entity' AND OLD.state IN ('accepted', 'rejected')
     AND NOT EXISTS (SELECT 1 FROM entity_memory_deferred WHERE set_id = OLD.set_id)
BEGIN
    UPDATE entity_memory
    SET accepted = accepted - CASE OLD.state WHEN 'accepted' THEN 1 ELSE 0 END,
        rejected = rejected - CASE OLD.state WHEN 'rejected' THEN 1 ELSE 0 END
    WHERE (text, label, annotator) = (
        SELECT substr(d.text, OLD.start + 1, OLD."end" - OLD.start), OLD.label, a.annotator
        FROM annotation_sets a JOIN documents d ON d.id = a.doc_id
        WHERE a.id = OLD.set_id);
END;

DROP TRIGGER entity_memory_span_changed_from;
CREATE TRIGGER entity_memory_span_changed_from
AFTER UPDATE OF set_id, start, "end", layer, label, state ON spans
WHEN OLD.layer = 'entity' AND OLD.state IN ('accepted', 'rejected')
     AND NOT EXISTS (SELECT 1 FROM entity_memory_deferred WHERE set_id = OLD.set_id)
BEGIN
    UPDATE entity_memory
    SET accepted = accepted - CASE OLD.state WHEN 'accepted' THEN 1 ELSE 0 END,
        rejected = rejected - CASE OLD.state WHEN 'rejected' THEN 1 ELSE 0 END
    WHERE (text, label, annotator) = (
        SELECT substr(d.text, OLD.start + 1, OLD."end" - OLD.start), OLD.label, a.annotator
        FROM annotation_sets a JOIN documents d ON d.id = a.doc_id
        WHERE a.id = OLD.set_id);
END;

DROP TRIGGER entity_memory_span_changed_to;
CREATE TRIGGER entity_memory_span_changed_to
AFTER UPDATE OF set_id, start, "end", layer, label, state ON spans
WHEN NEW.layer = 'entity' AND NEW.state IN ('accepted', 'rejected')
     AND NOT EXISTS (SELECT 1 FROM entity_memory_deferred WHERE set_id = NEW.set_id)
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
