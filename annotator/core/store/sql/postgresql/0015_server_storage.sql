-- How a server stores the long values (../0013 is empty: a file has no TOAST). A text over
-- ~2 kB is compressed as it is stored and unpacked wherever it is read (an export, the corpus
-- memory's triggers): LZ4 does both in less CPU than the default pglz (an import of 10,000
-- articles, 46 MB of text: docs/benchmarks.md). Only rows written from now on use it. The
-- cached tokens are zstd already: they are stored as they are, without a second try.
DO $$
BEGIN
    ALTER TABLE documents ALTER COLUMN text SET COMPRESSION lz4;
    ALTER TABLE suggestions ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;  -- a server built without LZ4 keeps pglz
END;
$$;
ALTER TABLE document_tokens ALTER COLUMN json_zstd SET STORAGE EXTERNAL;
