-- What an export reads, and counts that read whole rows.
--
-- How many documents are included: every export counts them and the window's status bar
-- shows them; without an index SQLite read every document's text to count them (12 ms at
-- 10,000 articles, 60-350 ms at 100,000), with it the index alone (0.3 ms at 10,000).
CREATE INDEX documents_by_curation ON documents (curation);

-- Which documents have tokens cached by the current tokenizer: an export asks before it
-- reads, and without the tokenizer in an index each answer read the cached row's first page.
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);

-- An export's spans (annotation.core.store.selections). Accepted entities are most of what
-- it reads: this index holds every column it reads of them (layer and state included, so
-- SQLite knows it need not read the row), in the order it reads them. The other decided
-- spans (rejected entities, claims' parts) are few: their index spares reading every other
-- span of a set to find them. Suggestions nobody decided on are in neither, so computing
-- them costs these indexes nothing.
CREATE INDEX spans_accepted_entities ON spans (set_id, start, "end", label, layer, state)
    WHERE layer = 'entity' AND state = 'accepted';
CREATE INDEX spans_other_decided ON spans (set_id, start)
    WHERE state != 'suggested' AND NOT (layer = 'entity' AND state = 'accepted');
