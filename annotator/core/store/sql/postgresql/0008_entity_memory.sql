-- Corpus memory (../0008): how often each annotator accepted and rejected each (surface
-- text, label) of an entity, kept current by a trigger on `spans` whoever writes. `substr`
-- counts characters, as span offsets do. A row whose counts both fall to zero is removed.
--
-- The trigger function runs with its owner's rights (annotator_admin, rights.sql): a member
-- changes the memory only through their spans, never by writing the table itself.
CREATE TABLE entity_memory (
    text      TEXT NOT NULL,
    label     TEXT NOT NULL,
    annotator TEXT NOT NULL,
    accepted  INTEGER NOT NULL CHECK (accepted >= 0),
    rejected  INTEGER NOT NULL CHECK (rejected >= 0),
    PRIMARY KEY (text, label, annotator)
);

-- Count one decided entity span in (+1) or out (-1) of its annotator's memory.
CREATE FUNCTION entity_memory_count(span public.spans, delta INTEGER) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    surface TEXT;
    who TEXT;
BEGIN
    IF span.layer <> 'entity' OR span.state NOT IN ('accepted', 'rejected') THEN
        RETURN;
    END IF;
    SELECT substr(d.text, span.start + 1, span."end" - span.start), a.annotator
    INTO surface, who
    FROM public.annotation_sets a JOIN public.documents d ON d.id = a.doc_id
    WHERE a.id = span.set_id;
    IF delta > 0 THEN
        INSERT INTO public.entity_memory AS m (text, label, annotator, accepted, rejected)
        VALUES (surface, span.label, who, (span.state = 'accepted')::INTEGER,
                (span.state = 'rejected')::INTEGER)
        ON CONFLICT (text, label, annotator) DO UPDATE
        SET accepted = m.accepted + excluded.accepted, rejected = m.rejected + excluded.rejected;
    ELSE
        UPDATE public.entity_memory
        SET accepted = accepted - (span.state = 'accepted')::INTEGER,
            rejected = rejected - (span.state = 'rejected')::INTEGER
        WHERE text = surface AND label = span.label AND annotator = who;
        DELETE FROM public.entity_memory
        WHERE text = surface AND label = span.label AND annotator = who
          AND accepted = 0 AND rejected = 0;
    END IF;
END;
$$;

CREATE FUNCTION entity_memory_span_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM entity_memory_count(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM entity_memory_count(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER entity_memory_span_changed
AFTER INSERT OR DELETE OR UPDATE OF set_id, start, "end", layer, label, state ON spans
FOR EACH ROW EXECUTE FUNCTION entity_memory_span_changed();

-- A span's memory is found through its set and document, so a set or a document is emptied
-- before it goes (the cascade would run after they are gone, with nothing to read).
CREATE FUNCTION entity_memory_set_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.spans WHERE set_id = OLD.id;
    RETURN OLD;
END;
$$;

CREATE TRIGGER entity_memory_set_removed
BEFORE DELETE ON annotation_sets
FOR EACH ROW EXECUTE FUNCTION entity_memory_set_removed();

CREATE FUNCTION entity_memory_document_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.annotation_sets WHERE doc_id = OLD.id;
    RETURN OLD;
END;
$$;

CREATE TRIGGER entity_memory_document_removed
BEFORE DELETE ON documents
FOR EACH ROW EXECUTE FUNCTION entity_memory_document_removed();

-- The spans already there.
INSERT INTO entity_memory (text, label, annotator, accepted, rejected)
SELECT substr(d.text, s.start + 1, s."end" - s.start), s.label, a.annotator,
       count(*) FILTER (WHERE s.state = 'accepted'), count(*) FILTER (WHERE s.state = 'rejected')
FROM spans s
JOIN annotation_sets a ON a.id = s.set_id
JOIN documents d ON d.id = a.doc_id
WHERE s.layer = 'entity' AND s.state IN ('accepted', 'rejected')
GROUP BY 1, 2, 3;
