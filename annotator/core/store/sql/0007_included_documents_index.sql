-- How many documents are included: every export counts them (for its progress and its
-- manifest) and the window's status bar shows them. Without an index SQLite read every
-- document's text to count them (12 ms at 10,000 articles, 60-350 ms at 100,000); with it
-- the count reads the index alone (0.3 ms at 10,000).
CREATE INDEX documents_by_curation ON documents (curation);
