"""Corpus memory: what annotators decided about entities, applied to every later suggestion.

- Every entity span an annotator accepted or drew (layer entity, state accepted, in any set of
  the project) becomes a phrase pattern for its label; its matches are suggested with origin
  ``pattern``.
- A (surface text, label) that was rejected at least as often as it was accepted is blocked:
  no suggestion with that exact text and label is proposed again, from the model or a pattern.
  A form accepted more often than rejected stays a pattern (one slip does not erase it).

Conflict rule between overlapping candidates (model and pattern alike): the longest span wins;
at equal length a pattern wins over the model; then the earlier span. Entity suggestions never
overlap each other (docs/architecture.md, "Span invariants").

Patterns are matched on the text tokenised by spaCy's rule-based English tokenizer (the one
`annotator.core.tokens` uses), so applying memory needs no model and costs milliseconds: the
suggestion cache holds the model's output only, and memory is applied when suggestions are
put into an annotator's set, so a new decision takes effect without recomputing the model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from annotator.core.invariants import Coverage
from annotator.core.model import PATTERN
from annotator.core.tokens import tokenizer


@dataclass(frozen=True)
class Memory:
    patterns: frozenset[tuple[str, str]] = frozenset()  # (surface text, label) to match
    blocked: frozenset[tuple[str, str]] = frozenset()   # (surface text, label) never proposed

    @classmethod
    def from_decisions(cls, decisions, labels) -> Memory:
        """From (text, label, state, count) rows (`store.suggestions.entity_decisions()`),
        keeping the schema's labels only."""
        accepted: Counter[tuple[str, str]] = Counter()
        rejected: Counter[tuple[str, str]] = Counter()
        for text, label, state, n in decisions:
            if label in labels and text.strip():
                (accepted if state == "accepted" else rejected)[(text, label)] += n
        blocked = frozenset(k for k, n in rejected.items() if n >= accepted[k])
        return cls(frozenset(accepted) - blocked, blocked)

    @classmethod
    def from_store(cls, store, schema) -> Memory:
        return cls.from_decisions(store.suggestions.entity_decisions(), set(schema.labels))

    def __bool__(self) -> bool:
        return bool(self.patterns or self.blocked)


@lru_cache(maxsize=8)
def _matcher(memory: Memory):
    from spacy.matcher import PhraseMatcher

    tokenize = tokenizer()
    matcher = PhraseMatcher(tokenize.vocab, attr="ORTH")
    by_label: dict[str, list[str]] = {}
    for text, label in sorted(memory.patterns):
        by_label.setdefault(label, []).append(text)
    for label, forms in by_label.items():
        matcher.add(label, [tokenize(form) for form in forms])
    return matcher


def pattern_spans(text: str, memory: Memory) -> list[dict[str, Any]]:
    if not memory.patterns:
        return []
    tokenize = tokenizer()
    doc = tokenize(text)
    return [{"start": doc[s].idx, "end": doc[e - 1].idx + len(doc[e - 1].text),
             "label": tokenize.vocab.strings[match_id], "score": None, "origin": PATTERN}
            for match_id, s, e in _matcher(memory)(doc)]


def resolve(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Non-overlapping spans by the conflict rule of this module, in text order."""
    def rank(span):
        return (-(span["end"] - span["start"]), span["origin"] != PATTERN, span["start"])

    chosen: list[dict[str, Any]] = []
    taken = Coverage()
    for span in sorted(candidates, key=rank):
        if taken.claim(span["start"], span["end"]):
            chosen.append(span)
    return sorted(chosen, key=lambda s: (s["start"], s["end"]))


def apply_memory(text: str, spans: list[dict[str, Any]], memory: Memory | None
                 ) -> list[dict[str, Any]]:
    """Model spans plus pattern matches, blocked forms removed, conflicts resolved."""
    memory = memory or Memory()
    candidates = [*spans, *pattern_spans(text, memory)]
    if memory.blocked:
        candidates = [s for s in candidates
                      if (text[s["start"]:s["end"]], s["label"]) not in memory.blocked]
    return resolve(candidates)
