-- Counts that scanned whole rows. How many documents are included: every export counts
-- them and the window's status bar shows them; without an index SQLite read every
-- document's text to count them (12 ms at 10,000 articles, 60-350 ms at 100,000), with it
-- the index alone (0.3 ms at 10,000). Which documents have tokens cached by the current
-- tokenizer: an export asks before it reads, and without the tokenizer in an index each
-- answer read the cached row's first page (0.2 s at 10,000 articles).
CREATE INDEX documents_by_curation ON documents (curation);
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);
