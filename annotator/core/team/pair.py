"""One pair of annotators, compared document by document and summed (docs/architecture.md,
"Agreement"): entities exact and overlapping, tokens, claims and document labels.

Every figure is a sum of counts over the documents both finished, turned into ratios at
the end (micro averages), so a document weighs by what it holds. What belongs to one
person's work on a document is prepared once (`Side`) for all the pairs it is in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.team.matching import (
    cohen_kappa,
    kappa,
    match,
    one_to_one,
    prf,
    sharing,
)

Entity = tuple[int, int, str]


@dataclass(slots=True)
class Side:
    """One annotator's entities of one document (sorted, never overlapping one another),
    with their labels counted and, when tokens are compared, each entity's token range
    (first, stop) and the document's tokens per label (None for O)."""

    spans: list[Entity]
    labels: dict[str, int]
    squares: dict[str, int]  # Σ length² of the units of each label (α_U)
    ranges: Sequence[tuple[int, int]] = ()
    tokens: dict[str | None, int] = field(default_factory=dict)

    @classmethod
    def of(cls, spans: list[Entity], ranges: Sequence[tuple[int, int]] = (),
           n_tokens: int = 0) -> Side:
        labels: dict[str, int] = {}
        squares: dict[str, int] = {}
        tokens: dict[str | None, int] = {}
        for (start, end, label), (first, stop) in zip(spans, ranges or [(0, 0)] * len(spans)):
            labels[label] = labels.get(label, 0) + 1
            squares[label] = squares.get(label, 0) + (end - start) ** 2
            tokens[label] = tokens.get(label, 0) + stop - first
        if ranges:
            tokens[None] = n_tokens - sum(tokens.values())
        return cls(spans, labels, squares, ranges, tokens)


@dataclass(slots=True)
class Entities:
    """How two people's entities of one document compare, per label (plain dicts: one is
    made per pair and document, and a Counter costs several times more to make)."""

    exact: dict[str, int]
    overlap: dict[str, int]
    a: dict[str, int]
    b: dict[str, int]
    # α_U's observed disagreement of the pair per label (Krippendorff's δ² summed):
    # overlapping units by their edges, a unit nobody else overlaps by its length
    disagreement: dict[str, int]
    tokens_agreed: int  # tokens both gave the same label, O included


def compare_entities(x: Side, y: Side) -> Entities:
    """One walk along both sides' entities (sorted, never overlapping one another), taking
    every pair that shares characters: the tokens they share, and for the same label the
    exact matches and α_U's disagreement by the units' edges."""
    a, b = x.spans, y.spans
    ranges_a, ranges_b = x.ranges, y.ranges
    same = []
    exact: dict[str, int] = {}
    # every unit alone (its length²), then the overlapping ones by their edges instead
    disagreement = dict(x.squares)
    for label, square in y.squares.items():
        disagreement[label] = disagreement.get(label, 0) + square
    shared_any = shared_same = 0  # tokens under two entities, of any / of the same label
    i = j = 0
    last_i = last_j = -1  # the walk's last units of the same label: each counted alone once
    while i < len(a) and j < len(b):
        (start_a, end_a, label), (start_b, end_b, label_b) = a[i], b[j]
        if start_a < end_b and start_b < end_a:
            shared = (min(ranges_a[i][1], ranges_b[j][1]) - max(ranges_a[i][0], ranges_b[j][0])
                      if ranges_a else 0)
            shared_any += shared
            if label == label_b:
                same.append((i, j))
                shared_same += shared
                if start_a == start_b and end_a == end_b:
                    exact[label] = exact.get(label, 0) + 1
                delta = (start_a - start_b) ** 2 + (end_a - end_b) ** 2
                if i != last_i:
                    last_i = i
                    delta -= (end_a - start_a) ** 2
                if j != last_j:
                    last_j = j
                    delta -= (end_b - start_b) ** 2
                disagreement[label] += delta
        if end_a <= end_b:
            i += 1
        else:
            j += 1
    matched = same if one_to_one(same) else match(a, b, same)
    # O against O: the tokens neither covered; then the ones both gave one label
    agreed = (x.tokens[None] + y.tokens.get(None, 0) - sum(x.tokens.values()) + shared_any
              + shared_same if ranges_a else 0)
    return Entities(exact, _count(a[i][2] for i, _ in matched), x.labels, y.labels,
                    disagreement, agreed)


def _count(labels: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return counts


def _add(into: Counter, counts: Mapping) -> None:
    """`into.update(counts)` without Counter's checks of its argument (called per pair and
    document)."""
    for key, n in counts.items():
        into[key] += n


def _agree(a_start: int | None, a_end: int | None, b_start: int | None,
           b_end: int | None) -> bool:
    """A claim's source (or cue) agrees: both absent, or both present and overlapping."""
    if a_start is None or b_start is None:
        return a_start is None and b_start is None
    return max(a_start, b_start) < min(a_end, b_end)


@dataclass(slots=True)
class PairTally:
    a: str
    b: str
    documents: int = 0
    exact: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)
    count_a: Counter[str] = field(default_factory=Counter)
    count_b: Counter[str] = field(default_factory=Counter)
    # tokens: how many got the same label, and how many each gave each label (None: O)
    tokens_agreed: int = 0
    tokens_a: Counter[str | None] = field(default_factory=Counter)
    tokens_b: Counter[str | None] = field(default_factory=Counter)
    claims: Counter[str] = field(default_factory=Counter)  # a, b, matched, source, cue, type
    claim_types: Counter[tuple[str, str]] = field(default_factory=Counter)
    doc_labels: dict[str, Counter[tuple[Hashable, Hashable]]] = field(default_factory=dict)

    def add_entities(self, entities: Entities, x: Side, y: Side) -> None:
        self.documents += 1
        _add(self.exact, entities.exact)
        _add(self.overlap, entities.overlap)
        _add(self.count_a, entities.a)
        _add(self.count_b, entities.b)
        self.tokens_agreed += entities.tokens_agreed
        _add(self.tokens_a, x.tokens)
        _add(self.tokens_b, y.tokens)

    def add_claims(self, a: Sequence[Sequence[Any]], b: Sequence[Sequence[Any]]) -> int:
        """Compare the claims of one document; returns how many were matched."""
        pairs = match(a, b, sharing(a, b))
        self.claims.update(a=len(a), b=len(b), matched=len(pairs))
        for i, j in pairs:
            x, y = a[i], b[j]
            self.claims["source"] += _agree(x[3], x[4], y[3], y[4])
            self.claims["cue"] += _agree(x[5], x[6], y[5], y[6])
            self.claims["type"] += x[2] == y[2]
            self.claim_types[(x[2], y[2])] += 1
        return len(pairs)

    def add_doc_labels(self, groups: Sequence[str], a: Mapping[str, Any],
                       b: Mapping[str, Any]) -> None:
        for group in groups:
            self.doc_labels.setdefault(group, Counter())[(value(a, group),
                                                          value(b, group))] += 1

    def result(self, labels: Sequence[str]) -> dict[str, Any]:
        matched = self.claims["matched"]
        used = {g: c for g, c in self.doc_labels.items() if any(
            x is not None or y is not None for x, y in c)}
        pooled: Counter[tuple[Hashable, Hashable]] = Counter()
        for group, counts in used.items():
            for (x, y), n in counts.items():
                pooled[((group, x), (group, y))] += n
        n_a, n_b = sum(self.count_a.values()), sum(self.count_b.values())
        return {
            "a": self.a, "b": self.b, "documents": self.documents,
            "entities": {
                "exact": prf(sum(self.exact.values()), n_a, n_b),
                "overlap": prf(sum(self.overlap.values()), n_a, n_b),
                "per_label": {label: {
                    "exact": prf(self.exact[label], self.count_a[label], self.count_b[label]),
                    "overlap": prf(self.overlap[label], self.count_a[label],
                                   self.count_b[label])}
                    for label in labels if self.count_a[label] or self.count_b[label]},
                "counts": {"a": n_a, "b": n_b}},
            "tokens": {"kappa": kappa(self.tokens_agreed, self.tokens_a, self.tokens_b),
                       "tokens": self.tokens_a.total()},
            "claims": {
                "overlap": prf(matched, self.claims["a"], self.claims["b"]),
                "matched": matched,
                "source": self.claims["source"] / matched if matched else None,
                "cue": self.claims["cue"] / matched if matched else None,
                "type": self.claims["type"] / matched if matched else None,
                "type_kappa": cohen_kappa(self.claim_types)},
            "doc_labels": {"kappa": cohen_kappa(pooled),
                           "per_group": {g: cohen_kappa(c) for g, c in sorted(used.items())}},
        }


def value(cats: Mapping[str, Any], group: str) -> Hashable:
    """A document label's value as a category: an option, the chosen options of a group
    that allows several (as one category), or None when it was not set."""
    found = cats.get(group)
    if isinstance(found, list):
        return "+".join(sorted(found)) if found else None
    return found
