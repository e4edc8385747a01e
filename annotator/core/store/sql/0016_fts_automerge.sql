-- The full-text index merges its segments once 16 lie on a level, not 4 (FTS5's default).
-- Every statement that writes documents ends by writing their terms as a segment of their
-- own, so an import of 10,000 articles writes 20: merged four at a time, the index was
-- rewritten level after level (0.15 s of a 2.9 s import). A search reads a few more
-- segments; on the benchmark's corpus it takes the same time (docs/benchmarks.md, "Import").
INSERT INTO documents_fts (documents_fts, rank) VALUES ('automerge', 16);
