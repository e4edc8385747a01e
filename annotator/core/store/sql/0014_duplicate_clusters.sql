-- Cluster kinds (docs/architecture.md, "Curation"): `cluster_id` names a document's story
-- (reports of one event, near-duplicates included), `duplicate_id` its near-duplicate group
-- inside that story (reprints, syndicated copies). Both are written by a cluster refresh,
-- never on open. The indexes answer "the other reports of this story" (the Story panel) and
-- the document list's cluster filter without reading any text.
ALTER TABLE documents ADD COLUMN duplicate_id TEXT;
CREATE INDEX documents_by_cluster ON documents (cluster_id, num);
CREATE INDEX documents_by_duplicate ON documents (duplicate_id, num);
