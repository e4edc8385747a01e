"""Train/dev/test splits that keep every story on one side.

Documents are grouped before they are split, and a group never spans two splits, so no test
article leaks into training through a copy of itself or another report of the same event:

- **Near-duplicates**: MinHash (128 permutations) over lower-cased word 5-shingles, candidate
  pairs from LSH, joined when the estimated Jaccard similarity is at least `NEAR_DUPLICATE`
  (0.5): reprints, syndicated copies, lightly edited versions.
- **Same story**: different outlets reporting one event share few word 5-shingles (the five
  seed articles share almost none) but many names. Each document's *name set* is the set of
  capitalised words that do not open a sentence (a dictionary-free proxy for its named
  entities, lower-cased, possessive dropped, days/months and pronouns ignored). Two documents
  are one story when their name sets share at least `STORY_MIN_SHARED` (8) names and their
  Jaccard similarity is at least `STORY_JACCARD` (0.15). On the seeds the five reports share
  8–22 names pairwise with Jaccard 0.17–0.47, so they form one group. The rule errs towards
  grouping: a false join only makes the splits a little less even, a missed one leaks.

Groups are joined transitively (union-find), then dealt to the splits in an order fixed by
the seed: each group goes to the split furthest below its target share of documents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datasketch import MinHash

NEAR_DUPLICATE = 0.5
SHINGLE = 5
STORY_MIN_SHARED = 8
STORY_JACCARD = 0.15
PERMUTATIONS = 128
SPLIT_NAMES = ("train", "dev", "test")

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")
_STRIP_LEFT = re.compile(r"^[\"“‘'(\[«]+")
_STRIP_RIGHT = re.compile(r"[\"”’'),.;:!?\]»]+$")
_NOT_NAMES = frozenset(
    "the a an in on at of and but or he she it they we i you this that these those his her "
    "its their our mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december"
    .split())


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


def names_of(text: str) -> frozenset[str]:
    """Capitalised words not at a sentence start: the story fingerprint (see above)."""
    names, sentence_start = set(), True
    for raw in _TOKEN.findall(text):
        word = _STRIP_RIGHT.sub("", _STRIP_LEFT.sub("", raw))
        if word[:1].isupper() and len(word) > 1 and not sentence_start:
            name = word.lower().removesuffix("’s").removesuffix("'s")
            if name not in _NOT_NAMES:
                names.add(name)
        sentence_start = raw.rstrip("\"”’')»]").endswith((".", "!", "?"))
    return frozenset(names)


def _minhash(items: Iterable[str]) -> MinHash:
    from datasketch import MinHash  # see Grouper

    minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
    minhash.update_batch([item.encode("utf-8") for item in items])
    return minhash


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, item: str) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Grouper:
    """Collects documents one by one (text is not kept), then returns their groups."""

    def __init__(self) -> None:
        # datasketch is imported only when documents are grouped: it loads scipy (~0.35 s),
        # and every `annotator` command imports this package for its options.
        from datasketch import MinHashLSH

        self._dup_index = MinHashLSH(threshold=NEAR_DUPLICATE, num_perm=PERMUTATIONS)
        self._story_index = MinHashLSH(threshold=STORY_JACCARD, num_perm=PERMUTATIONS)
        self._dups: dict[str, MinHash] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._union = _UnionFind()
        self.joins = {"near_duplicate": 0, "same_story": 0}

    def add(self, doc_id: str, text: str) -> None:
        if doc_id in self._dups:
            return
        self._union.add(doc_id)
        dup = _minhash(_shingles(text))
        for other in self._dup_index.query(dup):
            if dup.jaccard(self._dups[other]) >= NEAR_DUPLICATE:
                self._join(doc_id, other, "near_duplicate")
        self._dup_index.insert(doc_id, dup)
        self._dups[doc_id] = dup
        names = names_of(text)
        self._names[doc_id] = names
        if len(names) >= STORY_MIN_SHARED:
            story = _minhash(names)
            for other in self._story_index.query(story):
                shared = len(names & self._names[other])
                if (shared >= STORY_MIN_SHARED
                        and shared / len(names | self._names[other]) >= STORY_JACCARD):
                    self._join(doc_id, other, "same_story")
            self._story_index.insert(doc_id, story)

    def _join(self, a: str, b: str, why: str) -> None:
        if self._union.find(a) != self._union.find(b):
            self.joins[why] += 1
            self._union.union(a, b)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for doc_id in self._dups:
            out.setdefault(self._union.find(doc_id), []).append(doc_id)
        return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])


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
