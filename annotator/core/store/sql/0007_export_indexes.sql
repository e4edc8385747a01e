-- What an export reads, and counts that read whole rows.
--
-- How many documents are included: every export counts them and the window's status bar
-- shows them; without an index SQLite read every document's text to count them, with it
-- the index alone (figures in docs/benchmarks.md).
CREATE INDEX documents_by_curation ON documents (curation);

-- Which documents have tokens cached by the current tokenizer: an export asks before it
-- reads, and without the tokenizer in an index each answer read the cached row's first page.
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);

-- An export's spans (annotator.core.store.selections), aggregated per document from these
-- indexes alone: they hold every column read (layer and state included, so SQLite knows it
-- need not read the span rows). Accepted entities are most of what an export reads; rejected
-- ones make its reject records. Suggestions nobody decided on are in neither index, so
-- computing them costs these indexes nothing.
CREATE INDEX spans_accepted_entities ON spans (set_id, start, "end", label, layer, state)
    WHERE layer = 'entity' AND state = 'accepted';
CREATE INDEX spans_rejected_entities ON spans (set_id, start, "end", label, layer, state)
    WHERE layer = 'entity' AND state = 'rejected';
