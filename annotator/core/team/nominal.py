"""Krippendorff's α (nominal) for one document-label group, over all the annotators of each
document at once (docs/architecture.md, "Agreement").

The `krippendorff` package computes it from a units × values table of counts; this class
only gathers that table, one document (unit) at a time, as counts per value. A label left
unset is a value of its own ("not set"): forgetting a group is a disagreement too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable

import numpy as np

NOT_SET = "\0not set"  # a category no option can be (option names are identifiers)


class NominalAlpha:
    def __init__(self) -> None:
        self._units: list[Counter[Hashable]] = []
        self.used = False  # whether anybody set this group at all

    def add_unit(self, values: Iterable[Hashable]) -> None:
        counts = Counter(NOT_SET if v is None else v for v in values)
        self.used = self.used or any(v != NOT_SET for v in counts)
        self._units.append(counts)

    def result(self) -> float | None:
        """α, or None where it is undefined (a single value throughout)."""
        import krippendorff  # imports in 0.1 s: only when a group is measured

        domain = sorted({v for unit in self._units for v in unit}, key=str)
        if len(domain) < 2:
            return None
        column = {v: i for i, v in enumerate(domain)}
        table = np.zeros((len(self._units), len(domain)), dtype=np.int64)
        for row, unit in enumerate(self._units):
            for v, n in unit.items():
                table[row, column[v]] = n
        return float(krippendorff.alpha(value_counts=table, level_of_measurement="nominal"))
