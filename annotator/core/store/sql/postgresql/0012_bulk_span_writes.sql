-- Bulk span writes (../0012). The server needs no index for a span's bounds check (a row
-- keeps `n_chars` apart from a long text), but a row trigger is a function call per span:
-- inserted spans are checked, and counted into the corpus memory, once per statement, over
-- the statement's rows (a transition table), so a ``COPY`` of a batch runs each once.
-- Updates and deletes, a span at a time, keep their row triggers.

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

CREATE FUNCTION spans_inside_text_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM added n
               JOIN public.annotation_sets s ON s.id = n.set_id
               JOIN public.documents d ON d.id = s.doc_id
               WHERE n."end" > d.n_chars) THEN
        RAISE EXCEPTION 'span end lies beyond the document text'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER spans_inside_text_on_insert ON spans;
CREATE TRIGGER spans_inside_text_on_insert
AFTER INSERT ON spans REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION spans_inside_text_added();

CREATE FUNCTION entity_memory_spans_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO public.entity_memory AS m (text, label, annotator, accepted, rejected)
    SELECT substr(d.text, n.start + 1, n."end" - n.start), n.label, a.annotator,
           count(*) FILTER (WHERE n.state = 'accepted'),
           count(*) FILTER (WHERE n.state = 'rejected')
    FROM added n
    JOIN public.annotation_sets a ON a.id = n.set_id
    JOIN public.documents d ON d.id = a.doc_id
    WHERE n.layer = 'entity' AND n.state IN ('accepted', 'rejected')
      AND NOT EXISTS (SELECT FROM public.entity_memory_deferred p WHERE p.set_id = n.set_id)
    GROUP BY 1, 2, 3
    ON CONFLICT (text, label, annotator) DO UPDATE
    SET accepted = m.accepted + excluded.accepted, rejected = m.rejected + excluded.rejected;
    RETURN NULL;
END;
$$;

DROP TRIGGER entity_memory_span_changed ON spans;
CREATE TRIGGER entity_memory_span_changed
AFTER DELETE OR UPDATE OF set_id, start, "end", layer, label, state ON spans
FOR EACH ROW EXECUTE FUNCTION entity_memory_span_changed();

CREATE TRIGGER entity_memory_spans_added
AFTER INSERT ON spans REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION entity_memory_spans_added();
