-- The statement triggers of 0012 over a bulk write's spans, set by set instead of span by
-- span. The bound: the furthest end of each set against its text, as a file checks it
-- (`Spans.insert_grouped`), two index lookups a set instead of a span. The corpus memory:
-- the sets a caller counts itself (`entity_memory_deferred`: an import's, all of them) are
-- ruled out before any document is read, instead of after the join of every span with its
-- set and document. An import of 150,000 spans in 10,000 sets: 0.5 s less of the server's
-- CPU (docs/benchmarks.md, "Import and export on a team server").
CREATE OR REPLACE FUNCTION spans_inside_text_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM (SELECT set_id, max("end") AS last FROM added GROUP BY set_id) n
               JOIN public.annotation_sets s ON s.id = n.set_id
               JOIN public.documents d ON d.id = s.doc_id
               WHERE n.last > d.n_chars) THEN
        RAISE EXCEPTION 'span end lies beyond the document text'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION entity_memory_spans_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM (SELECT DISTINCT set_id FROM added
                                WHERE layer = 'entity' AND state IN ('accepted', 'rejected')) n
                   WHERE NOT EXISTS (SELECT FROM public.entity_memory_deferred p
                                     WHERE p.set_id = n.set_id)) THEN
        RETURN NULL;
    END IF;
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
