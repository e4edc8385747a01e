"""From texts to suggestion payloads: the one road both a batch and a single document take.

A text longer than `CHUNK_CHARS` is parsed in paragraph-aligned pieces whose offsets are
mapped back, so memory stays bounded for a 50,000-word document. Pieces end at a blank line
or a line break where there is one, so sentences and one-paragraph quotes stay whole; a
quotation running over several paragraphs of a very long text can be cut.

A pipeline without a parser (NER only) finds the entities; the base pipeline, its NER left
out, parses the same pieces for claims and for the tags that trim entity edges, and the
entities are laid onto that parse by character offsets.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from annotator.core.suggest.claims import claim_suggestions
from annotator.core.suggest.entities import beam_scores, entity_spans
from annotator.core.suggest.memory import Memory, apply_memory
from annotator.core.suggest.pipeline import (
    CHUNK_CHARS,
    borrowed_parser,
    chunks,
    model_key,
)

BATCH_SIZE = 64  # faster and leaner than larger batches with this pipeline (docs/benchmarks.md)


class Suggester:
    """What a payload needs besides the Doc: the schema's mapping and lexicon, the origin."""

    def __init__(self, nlp, schema, *, scores: bool = False, chunk_chars: int = CHUNK_CHARS):
        self.nlp = nlp
        self.label_map = schema.model_label_map()
        self.verbs = {v.lower() for v in schema.cue_lexicon.verbs}
        self.phrases = list(schema.cue_lexicon.phrases)
        self.origin = model_key(nlp)
        self.scores = scores
        self.chunk_chars = chunk_chars
        self.parser = borrowed_parser(nlp)
        self.claims = self.parser is not None or "parser" in nlp.pipe_names

    def piece(self, doc, offset: int, parsed=None) -> dict[str, Any]:
        """Payload of one piece (`doc` from the model; `parsed`, the base pipeline's parse
        when the model has no parser), offsets shifted into the whole text."""
        probs = beam_scores(self.nlp, doc) if self.scores and len(doc) else None
        if parsed is not None:
            parsed.ents = [span for span in (
                parsed.char_span(e.start_char, e.end_char, e.label_, alignment_mode="expand")
                for e in doc.ents) if span is not None]
            doc = parsed
        spans = entity_spans(doc, self.label_map, offset=offset, origin=self.origin,
                             scores=probs)
        claims = claim_suggestions(doc, self.verbs, self.phrases, spans, offset) \
            if self.claims else []
        return {"spans": spans, "claims": claims}

    def _docs(self, pieces: Iterable[tuple[str, Any]], batch_size: int, n_process: int
              ) -> Iterator[tuple[Any, Any, Any]]:
        """(model doc, base parse or None, context) per piece, both pipelines batched."""
        ours, theirs = itertools.tee(pieces) if self.parser is not None else (pieces, None)
        docs = self.nlp.pipe(ours, as_tuples=True, batch_size=batch_size, n_process=n_process)
        if theirs is None:
            for doc, context in docs:
                yield doc, None, context
            return
        parses = self.parser.pipe((text for text, _ in theirs), batch_size=batch_size,
                                  n_process=n_process, disable=["ner"])
        for (doc, context), parsed in zip(docs, parses):
            yield doc, parsed, context

    def pipe(self, texts: Iterable[str], *, batch_size: int = BATCH_SIZE,
             n_process: int = 1) -> Iterator[dict[str, Any]]:
        """One payload (model output, no memory) per text, in order, via `nlp.pipe`."""
        def pieces():
            for index, text in enumerate(texts):
                parts = list(chunks(text, self.chunk_chars))
                for number, (offset, part) in enumerate(parts):
                    yield part, (index, offset, number == len(parts) - 1)

        current: dict[str, Any] = {"spans": [], "claims": []}
        for doc, parsed, (_index, offset, last) in self._docs(pieces(), batch_size,
                                                               n_process):
            part = self.piece(doc, offset, parsed)
            current["spans"] += part["spans"]
            current["claims"] += part["claims"]
            if last:
                yield current
                current = {"spans": [], "claims": []}


def with_memory(text: str, payload: dict[str, Any], memory: Memory | None) -> dict[str, Any]:
    """The payload with corpus memory applied to its entity spans (claims unchanged)."""
    if not memory:
        return payload
    return {**payload, "spans": apply_memory(text, payload["spans"], memory)}


def suggest_text(nlp, text: str, schema, memory: Memory | None = None, *,
                 scores: bool = False) -> dict[str, Any]:
    """The suggestion payload for one text (a pure function of its arguments)."""
    (payload,) = Suggester(nlp, schema, scores=scores).pipe([text])
    return with_memory(text, payload, memory)
