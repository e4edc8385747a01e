-- Full-text search over titles and texts (../0002 uses FTS5): a tsvector kept by PostgreSQL
-- itself as a generated column, with a GIN index, for `websearch_to_tsquery('annotator', q)`
-- (which never fails on a user's query, hostile or not). The configuration folds diacritics
-- and does not stem, as FTS5's `unicode61 remove_diacritics 2` tokenizer; the title weighs A.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION annotator (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION annotator
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

ALTER TABLE documents ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('annotator', title), 'A') ||
    setweight(to_tsvector('annotator', text), 'B')
) STORED;
CREATE INDEX documents_search ON documents USING GIN (search);
