-- The `_task_hash` of the Prodigy record an annotation set was imported from
-- (docs/architecture.md, "Imports and exports"): an export writes it back, so its records line
-- up with the dataset they came from. NULL for work made here: the export computes one.
ALTER TABLE annotation_sets ADD COLUMN task_hash INTEGER;
