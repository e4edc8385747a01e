"""Entity suggestions from the pipeline's NER, in schema labels, with optional probabilities.

Model labels go through `Schema.model_label_map()`; labels the schema does not use are
dropped. Spans are spaCy tokens, so they are token-aligned by construction; whitespace
tokens at their edges are trimmed and an entity running across a line break is dropped (the
greedy NER sometimes glues a title to the next paragraph).

Scores come from spaCy's beam search: the probability of an entity is the summed probability
of the beam parses that contain it. It roughly doubles the time of a document, so it is asked
for explicitly (one document opened in the app: yes; a batch over the corpus: on request).
A pipeline trained with the greedy objective, as `en_core_web_sm` is, puts nearly all the
beam's mass on one parse, so its scores come out at 1.0 (spaCy issue #5917); a team pipeline
trained with the beam objective gives calibrated ones through the same code.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

# The schema's guidelines keep a leading "the" and a possessive 's outside a name ("the
# Golan Heights" → "Golan Heights", "Trump’s" → "Trump"); OntoNotes, which the pretrained
# model learned from, often includes the article. Dates and events keep it ("the 1967 war").
ARTICLE_OUTSIDE = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW"})
BEAM_WIDTH = 16
BEAM_DENSITY = 0.0001


def entity_spans(doc, label_map: dict[str, str], *, offset: int = 0,
                 origin: str, scores: dict[tuple[int, int, str], float] | None = None
                 ) -> list[dict[str, Any]]:
    """The doc's entities as payload spans (offsets shifted by `offset`)."""
    out = []
    for ent in doc.ents:
        label = label_map.get(ent.label_)
        if label is None:
            continue
        tokens = _trim([t for t in ent if not t.is_space], label)
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if any("\n" in t.text_with_ws for t in tokens[:-1]):
            continue
        score = None
        if scores is not None:
            score = round(min(1.0, scores.get((ent.start_char, ent.end_char, ent.label_),
                                               0.0)), 4)
        out.append({"start": start + offset, "end": end + offset, "label": label,
                    "score": score, "origin": origin})
    return out


def _trim(tokens: list, label: str) -> list:
    if len(tokens) > 1 and tokens[-1].tag_ == "POS":
        tokens = tokens[:-1]
    if len(tokens) > 1 and label in ARTICLE_OUTSIDE and tokens[0].lower_ == "the":
        tokens = tokens[1:]
    return tokens


def beam_scores(nlp, doc) -> dict[tuple[int, int, str], float]:
    """(start char, end char, model label) → probability, from the NER's beam search.

    `beam_parse` only scores: it leaves `doc.ents` (the greedy answer) as it was. Keys are
    characters, not tokens, so they hold on the base pipeline's parse of the same text too."""
    ner = nlp.get_pipe("ner")
    (beam,) = ner.beam_parse([doc], beam_width=BEAM_WIDTH, beam_density=BEAM_DENSITY)
    probs: dict[tuple[int, int, str], float] = defaultdict(float)
    for prob, ents in ner.moves.get_beam_parses(beam):
        for start, end, label in ents:
            span = doc[start:end]
            probs[(span.start_char, span.end_char, label)] += prob
    return dict(probs)
