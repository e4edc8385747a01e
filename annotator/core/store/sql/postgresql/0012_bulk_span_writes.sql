-- Bulk span writes (../0012): the server needs no index for a span's bounds check (its
-- rows keep `n_chars` apart from a long text), but it shares the deferred corpus memory.
--
-- Sets whose entity spans a bulk write counts into the corpus memory itself, in one statement
-- before its transaction ends (`Spans.count_deferred_memory`), instead of the trigger reading
-- the document's text once per span. Empty outside such a transaction; the trigger keeps the
-- memory for every other write.
CREATE TABLE entity_memory_deferred (set_id BIGINT PRIMARY KEY);

CREATE OR REPLACE FUNCTION entity_memory_count(span public.spans, delta INTEGER) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    surface TEXT;
    who TEXT;
BEGIN
    IF span.layer <> 'entity' OR span.state NOT IN ('accepted', 'rejected')
       OR EXISTS (SELECT FROM public.entity_memory_deferred p WHERE p.set_id = span.set_id)
    THEN
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
