"""Corpus memory: what an annotator decided about entities, applied to their later suggestions.

- Every entity span the annotator accepted or drew (layer entity, state accepted) becomes a
  pattern for its label: the same surface text elsewhere is suggested with origin ``pattern``.
- A (surface text, label) that was rejected at least as often as it was accepted is blocked:
  no suggestion with that exact text and label is proposed again, from the model or a pattern.
  A form accepted more often than rejected stays a pattern (one slip does not erase it).
- Memory follows one person's decisions (the gold set's for the gold set), so double
  annotation stays independent; the project setting ``memory.shared`` pools every annotator's.

Conflict rule between overlapping candidates (model and pattern alike): the longest span wins;
at equal length a pattern wins over the model; then the earlier span. Entity suggestions never
overlap each other (docs/architecture.md, "Span invariants").

The store keeps the decision counts per (annotator, text, label) current inside every write,
and applying memory looks up only what the document holds: its runs of up to
`MAX_PATTERN_TOKENS` tokens (spaCy's rule-based English tokenizer, no model) and the texts of
the model's spans, one index probe each. The cost follows the document, not the project, and
a new decision counts at the next suggestion with nothing to rebuild. The suggestion cache
holds the model's output only; memory is applied when suggestions are put into a set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from annotator.core.invariants import Coverage
from annotator.core.model import PATTERN
from annotator.core.tokens import tokenizer

MEMORY_SHARED = "memory.shared"  # project setting: every annotator learns from everyone's work

# Longest pattern matched, in tokens (names and titles are shorter): each extra token is one
# more lookup per word of the document. Longer forms are still blocked when rejected.
MAX_PATTERN_TOKENS = 12

Lookup = Callable[[Iterable[str]], list[tuple[str, str, int, int]]]


@dataclass(frozen=True)
class Memory:
    """Decisions to learn from, read per document through `lookup`: (text, label, accepted,
    rejected) rows for the texts asked about (`store.suggestions.memory`)."""

    lookup: Lookup | None = None
    labels: frozenset[str] = frozenset()

    def judge(self, texts: Iterable[str]
              ) -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
        """Among `texts`: the pattern labels of each text, and the blocked (text, label)s;
        labels outside the schema are ignored."""
        patterns: dict[str, list[str]] = {}
        blocked: set[tuple[str, str]] = set()
        if self.lookup is None:
            return patterns, blocked
        for text, label, accepted, rejected in sorted(self.lookup(texts)):
            if label not in self.labels or not text.strip():
                continue
            if rejected >= accepted:
                blocked.add((text, label))
            else:
                patterns.setdefault(text, []).append(label)
        return patterns, blocked

    def __bool__(self) -> bool:
        return self.lookup is not None


def memory_for(store, schema, annotator: str) -> Memory:
    """The memory suggestions for `annotator`'s set learn from: their own decisions (gold's for
    the gold set), or the whole team's when the project shares memory."""
    scope = None if store.settings.get(MEMORY_SHARED, False) else annotator
    return Memory(partial(store.suggestions.memory, annotator=scope), frozenset(schema.labels))


def _runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of 1 to MAX_PATTERN_TOKENS tokens, whitespace tokens left
    out (a span never starts or ends on one)."""
    bounds = [(t.idx, t.idx + len(t)) for t in tokenizer()(text) if not t.is_space]
    return [(start, end) for i, (start, _) in enumerate(bounds)
            for _, end in bounds[i:i + MAX_PATTERN_TOKENS]]


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
    candidates = list(spans)
    if memory:
        runs = [(start, end, text[start:end]) for start, end in _runs(text)]
        patterns, blocked = memory.judge(
            {form for _s, _e, form in runs} | {text[s["start"]:s["end"]] for s in spans})
        candidates += [{"start": start, "end": end, "label": label, "score": None,
                        "origin": PATTERN}
                       for start, end, form in runs for label in patterns.get(form, ())]
        candidates = [s for s in candidates
                      if (text[s["start"]:s["end"]], s["label"]) not in blocked]
    return resolve(candidates)
