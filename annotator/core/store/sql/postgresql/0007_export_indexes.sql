-- What an export reads (../0007): included documents, cached tokens by tokenizer, and the
-- accepted and rejected entities an export aggregates per document.
CREATE INDEX documents_by_curation ON documents (curation);
CREATE INDEX document_tokens_by_tokenizer ON document_tokens (doc_id, tokenizer);
CREATE INDEX spans_accepted_entities ON spans (set_id, start, "end", label, layer, state)
    WHERE layer = 'entity' AND state = 'accepted';
CREATE INDEX spans_rejected_entities ON spans (set_id, start, "end", label, layer, state)
    WHERE layer = 'entity' AND state = 'rejected';
