-- Search vectors computed beside an import (docs/architecture.md, "The store").
-- PostgreSQL's text parser is most of a server's import: 3.9 of the 7.2 s of CPU it spends
-- on 10,000 articles (docs/benchmarks.md). As a generated column the vector could only be
-- computed by the importing transaction itself, on one core. It is now kept by a trigger,
-- which takes a vector made ahead, on a second connection, from `search_vectors_ahead`
-- when one is there for the same text (the document's id is its text's hash) and title,
-- and computes it itself otherwise: the vector is always the one of the row's title and
-- text, whoever writes the row, as the generated column's was.
ALTER TABLE documents ALTER COLUMN search DROP EXPRESSION;

CREATE FUNCTION document_search_vector(title TEXT, body TEXT) RETURNS TSVECTOR
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('public.annotator', title), 'A') ||
           setweight(to_tsvector('public.annotator', body), 'B')
$$;

-- Unlogged: a cache of pure functions of texts, written and emptied by the importer's second
-- connection (`Documents.compute_search_ahead`). A crash empties it, which loses nothing.
CREATE UNLOGGED TABLE search_vectors_ahead (
    doc_id  TEXT PRIMARY KEY,
    title   TEXT NOT NULL,
    search  TSVECTOR NOT NULL,
    made_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Read once, soon after it is written: stored as it is, not compressed to be unpacked again.
ALTER TABLE search_vectors_ahead ALTER COLUMN search SET STORAGE EXTERNAL;
-- A document's vector, like its text (0015), in LZ4 where the server has it.
DO $$
BEGIN
    ALTER TABLE documents ALTER COLUMN search SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END;
$$;

CREATE FUNCTION documents_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := coalesce(
        (SELECT v.search FROM public.search_vectors_ahead v
         WHERE v.doc_id = NEW.id AND v.title = NEW.title),
        public.document_search_vector(NEW.title, NEW.text));
    RETURN NEW;
END;
$$;

CREATE TRIGGER documents_search_vector
BEFORE INSERT OR UPDATE OF title, search ON documents
FOR EACH ROW EXECUTE FUNCTION documents_search_vector();
