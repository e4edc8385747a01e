"""Train/dev/test splits that keep every story on one side.

Documents are grouped before they are split (`grouping.py`: near-duplicates and reports of
the same event), and a group never spans two splits, so no test article leaks into training
through a copy of itself or another report of the same story. Groups are dealt to the
splits in an order fixed by the seed: each goes to the split furthest below its target
share of documents.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

NEAR_DUPLICATE = 0.5
STORY_MIN_SHARED = 8
STORY_JACCARD = 0.15
SPLIT_NAMES = ("train", "dev", "test")


class SplitError(ValueError):
    """A split specification that cannot be used."""


@dataclass(frozen=True)
class SplitSpec:
    names: tuple[str, ...]
    shares: tuple[float, ...]

    def __str__(self) -> str:
        return "/".join(f"{s * 100:g}" for s in self.shares)


def parse_split(text: str) -> SplitSpec:
    """`80/10/10` (train/dev/test) or `90/10` (train/dev); the parts must add up to 100."""
    try:
        parts = [float(p) for p in text.split("/")]
    except ValueError:
        raise SplitError(f"--split {text!r}: expected numbers like 80/10/10") from None
    if not 2 <= len(parts) <= 3 or any(p < 0 for p in parts) or abs(sum(parts) - 100) > 1e-6:
        raise SplitError(f"--split {text!r}: expected two or three non-negative parts adding "
                         "up to 100, like 80/10/10")
    return SplitSpec(SPLIT_NAMES[:len(parts)], tuple(p / 100 for p in parts))


def assign(groups: list[list[str]], spec: SplitSpec, seed: int) -> dict[str, str]:
    """doc_id → split name; the same groups, spec and seed always give the same answer."""
    order = sorted(groups, key=lambda g: hashlib.sha256(f"{seed}:{g[0]}".encode()).digest())
    total = sum(len(g) for g in groups)
    filled = [0] * len(spec.names)
    out: dict[str, str] = {}
    for group in order:
        placed = sum(filled) + len(group)
        deficits = [share * placed - n for share, n in zip(spec.shares, filled)]
        best = max(range(len(spec.names)), key=lambda i: (deficits[i], -i))
        if spec.shares[best] == 0:
            best = next(i for i, s in enumerate(spec.shares) if s > 0)
        filled[best] += len(group)
        out.update((doc_id, spec.names[best]) for doc_id in group)
    assert sum(filled) == total
    return out
