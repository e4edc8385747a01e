"""The small measures agreement is made of: which spans of two people share characters,
their one-to-one pairing by largest overlap, precision / recall / F1 and Cohen's κ
(docs/architecture.md, "Agreement").

The pairing is the team model's: candidates that share characters are taken largest
overlap first, each span at most once. (The dev-set scoring in `core.evaluate` pairs for
the most matches instead; here one person is never the standard for the other, and the
greedy pairing needs no search: a set's entities never overlap one another.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

Interval = tuple[int, int] | Sequence[Any]  # start and end first; more fields may follow


def sharing(a: Sequence[Interval], b: Sequence[Interval]) -> list[tuple[int, int]]:
    """Index pairs (i, j) of a[i] and b[j] that share at least one character, in one sweep
    by start (spans of one side may overlap each other, as nested claims do)."""
    events = sorted([(span[0], 0, i) for i, span in enumerate(a)]
                    + [(span[0], 1, j) for j, span in enumerate(b)])
    sides = (a, b)
    active: tuple[list[int], list[int]] = ([], [])
    found = []
    for start, side, index in events:
        other = 1 - side
        alive = [k for k in active[other] if sides[other][k][1] > start]
        active[other][:] = alive
        for k in alive:
            found.append((index, k) if side == 0 else (k, index))
        active[side].append(index)
    return found


def one_to_one(pairs: Sequence[tuple[int, int]]) -> bool:
    """Whether no span is in two of the pairs (then they are their own matching)."""
    return len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})


def overlap(a: Interval, b: Interval) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def match(a: Sequence[Interval], b: Sequence[Interval],
          candidates: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs among `candidates` (index pairs that share characters), largest
    overlap first; ties go to the earlier spans."""
    ranked = sorted(candidates, key=lambda p: (-overlap(a[p[0]], b[p[1]]), p))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for i, j in ranked:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def prf(hits: int, n_a: int, n_b: int) -> dict[str, float | None]:
    """Precision and recall of A against B and their F1 (symmetric: 2·hits / (n_a + n_b));
    None where there was nothing to measure."""
    return {"p": hits / n_a if n_a else None, "r": hits / n_b if n_b else None,
            "f1": 2 * hits / (n_a + n_b) if n_a + n_b else None}


def cohen_kappa(confusion: Counter[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's κ of two raters from counts of (A's category, B's category)."""
    rows: Counter[Hashable] = Counter()
    columns: Counter[Hashable] = Counter()
    agreed = 0
    for (x, y), n in confusion.items():
        rows[x] += n
        columns[y] += n
        if x == y:
            agreed += n
    return kappa(agreed, rows, columns)


def kappa(agreed: int, rows: Sequence[int] | Mapping[Any, int],
          columns: Sequence[int] | Mapping[Any, int]) -> float | None:
    """Cohen's κ from the number of items both raters put in the same category and how many
    each put in each category (sequences by category index, or mappings by category); None
    where it is undefined (no items, or one and the same category throughout)."""
    if isinstance(rows, Mapping):
        keys = list(rows)
        rows, columns = [rows[k] for k in keys], [columns.get(k, 0) for k in keys]
    total = sum(rows)
    if not total:
        return None
    chance = sum(r * c for r, c in zip(rows, columns)) / total**2
    if chance == 1:
        return None
    return (agreed / total - chance) / (1 - chance)
