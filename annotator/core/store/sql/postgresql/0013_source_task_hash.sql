-- The `_task_hash` of the Prodigy record an annotation set was imported from (../0013).
-- Prodigy's hashes are signed 32-bit integers.
ALTER TABLE annotation_sets ADD COLUMN task_hash INTEGER;
