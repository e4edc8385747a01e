"""Krippendorff's alpha for unitizing (α_U), per category, over the characters of texts
(docs/architecture.md, "Agreement").

Krippendorff (1995, "On the reliability of unitizing contiguous data"; 2004, *Content
Analysis*, 2nd ed., §12.4) compares how observers cut a continuum into units of a category
and the gaps between them. For a pair of observers, the observed disagreement sums, over
their segments that share characters:

- two units: (difference of starts)² + (difference of ends)²;
- a unit of one lying wholly inside a gap of the other: (its length)².

A unit lies inside the other's gap exactly when none of the other's units of the category
overlaps it, so only the overlapping unit pairs and the unmatched units are needed (the
caller finds those once, for the entity figures too). The expected disagreement pairs every
unit with every unit and every gap of the category, wherever they fall.

Several documents: each is its own stretch of continuum with its own observers (gaps end at
a document's edges). The normalisers below add up per document what the book's formulas
hold for one: with one document and a fixed number of observers they are the book's own.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

Unit = tuple[int, int]  # start, end (exclusive) of one unit of a category


@dataclass(slots=True)
class _Category:
    observed: float = 0.0  # Σ δ² over ordered pairs of observers
    units: array = field(default_factory=lambda: array("q"))  # lengths, all observers
    gaps: array = field(default_factory=lambda: array("q"))

    def expected(self, coded: int, length: int) -> float | None:
        """The book's D_e, `coded` the total length all observers coded (mL for one text)."""
        units = np.frombuffer(self.units, dtype=np.int64).astype(np.float64)
        if units.size == 0:
            return None
        gaps = np.sort(np.frombuffer(self.gaps, dtype=np.int64).astype(np.float64))
        # Σ over gaps no shorter than a unit of (gap - unit + 1), by suffix sums of the gaps
        suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
        first = np.searchsorted(gaps, units, side="left")
        fitting = suffix[first] - (gaps.size - first) * (units - 1)
        pairs = ((units.size - 1) * (2 * units**3 - 3 * units**2 + units) / 3
                 + units**2 * fitting).sum()
        denominator = coded * (coded - 1) - (units * (units - 1)).sum()
        return float(2 / length * pairs / denominator) if denominator > 0 else None


class UnitizingAlpha:
    """α_U accumulated document by document: `add_document`, then `result`."""

    def __init__(self) -> None:
        self._categories: dict[str, _Category] = {}
        self._length = 0       # Σ L_d
        self._coded = 0        # Σ m_d L_d
        self._pairable = 0     # Σ m_d (m_d - 1) L_d

    def category(self, name: str) -> _Category:
        found = self._categories.get(name)
        if found is None:
            found = self._categories[name] = _Category()
        return found

    def add_document(self, length: int, observers: int,
                     units: Mapping[str, Sequence[Sequence[Unit]]]) -> None:
        """A text of `length` characters coded by `observers` people; `units[category]`
        holds each observer's units of it, sorted and not overlapping one another. The
        observed part comes separately (`add_observed`): the caller pairs the units."""
        self._length += length
        self._coded += observers * length
        self._pairable += observers * (observers - 1) * length
        for name, per_observer in units.items():
            category = self.category(name)
            for observed in per_observer:
                _segments(observed, length, category.units, category.gaps)
            for _ in range(observers - len(per_observer)):  # coded no unit of it: one gap
                category.gaps.append(length)

    def add_observed(self, category: str, disagreement: float) -> None:
        """δ² summed over one unordered pair of observers of one document."""
        self.category(category).observed += 2 * disagreement

    def result(self, categories: Iterable[str] | None = None
               ) -> tuple[float | None, dict[str, float | None]]:
        """(overall α_U, α_U per category): 1 - D_o/D_e, the overall one from the sums of
        D_o and D_e over the categories; None where nothing was expected to disagree."""
        names = sorted(self._categories if categories is None else categories)
        per: dict[str, float | None] = {}
        observed_sum = expected_sum = 0.0
        for name in names:
            category = self._categories.get(name)
            expected = category.expected(self._coded, self._length) if category else None
            if not expected:
                per[name] = None
                continue
            observed = category.observed / (self._pairable * self._length)
            per[name] = 1 - observed / expected
            observed_sum += observed
            expected_sum += expected
        return (1 - observed_sum / expected_sum if expected_sum else None), per

    def disagreements(self, category: str) -> tuple[float, float | None]:
        """(D_o, D_e) of a category, as the book reports them."""
        found = self.category(category)
        return (found.observed / (self._pairable * self._length),
                found.expected(self._coded, self._length))


def _segments(units: Sequence[Unit], length: int, unit_lengths: array, gaps: array) -> None:
    at = 0
    for start, end in units:
        if start > at:
            gaps.append(start - at)
        unit_lengths.append(end - start)
        at = end
    if at < length:
        gaps.append(length - at)

