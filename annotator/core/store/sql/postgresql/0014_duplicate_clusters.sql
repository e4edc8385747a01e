-- Cluster kinds (../0013): a document's story (`cluster_id`) and its near-duplicate group
-- inside that story (`duplicate_id`), indexed for the Story panel and the cluster filter.
ALTER TABLE documents ADD COLUMN duplicate_id TEXT;
CREATE INDEX documents_by_cluster ON documents (cluster_id, num);
CREATE INDEX documents_by_duplicate ON documents (duplicate_id, num);
