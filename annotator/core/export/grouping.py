"""How documents are grouped so that no story leaks across splits.

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
  Candidate pairs come from LSH over each name set without its *common* names (in more than
  1% of the documents and more than 50): those name a beat, not a story, and pairs sharing
  only them grew with the square of the corpus (docs/benchmarks.md, "Clusters").

The near-duplicate joins alone give the *duplicate* groups (`Grouper.duplicate_groups`),
each inside one story group: curation (`core/curate/clusters.py`) stores both, from this
one grouping, so the clusters a curator sees are the groups a split keeps together.

Groups are joined transitively (union-find). numpy is imported only here, by the export of
a split and by curation: every other command starts without it.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator

import numpy as np

from annotator.core.export.splits import NEAR_DUPLICATE, STORY_JACCARD, STORY_MIN_SHARED

SHINGLE = 5
COMMON_NAME = 0.01  # a name in more than 1% of the documents (and 50) names the beat
COMMON_NAME_MIN = 50
PERMUTATIONS = 128
# LSH bands × rows per band: the (b, r) that minimise false positives plus false negatives
# at each threshold (as datasketch's MinHashLSH chooses them for 128 permutations).
_DUP_BANDS = (25, 5)
_STORY_BANDS = (51, 2)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant mixing word hashes into one

_WORD = re.compile(r"\w+")
_STRIP_LEFT = "\"“‘'([«"
_STRIP_RIGHT = "\"”’'),.;:!?]»"
# A token ending a sentence (closing quotes after the stop allowed), up to the next token;
# a token opening with a capital, or any non-ASCII letter (checked with isupper).
_SENTENCE_END = re.compile(r"[.!?][\"”’')»\]]*\s+")
_CAPITAL = re.compile(r"(?<!\S)[\"“‘'(\[«]*[^\W\d_a-z]\S*")
_NOT_NAMES = frozenset(
    "the a an in on at of and but or he she it they we i you this that these those his her "
    "its their our mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december"
    .split())


def names_of(text: str) -> frozenset[str]:
    """Capitalised words not at a sentence start: the story fingerprint (see above). Only
    the tokens opening with a capital (or any non-ASCII letter) are looked at in Python."""
    names = set()
    opening = {m.end() for m in _SENTENCE_END.finditer(text)}
    opening.add(len(text) - len(text.lstrip()))
    for match in _CAPITAL.finditer(text):
        if match.start() in opening:
            continue
        word = match.group().lstrip(_STRIP_LEFT).rstrip(_STRIP_RIGHT)
        if word[:1].isupper() and len(word) > 1:
            name = word.lower().removesuffix("’s").removesuffix("'s")
            if name not in _NOT_NAMES:
                names.add(name)
    return frozenset(names)


class _WordHashes(dict):
    """word → its CRC-32, computed on first sight: `map(hashes.__getitem__, words)` runs
    in C for every word seen before."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


class _MinHasher:
    """MinHash signatures with numpy: each distinct word hashed once with CRC-32, a
    shingle's hash its five word hashes mixed, then PERMUTATIONS multiply-shift hashes
    `(a·h + b) >> 32` (64-bit, wrapping) keep their minimum."""

    def __init__(self) -> None:
        rng = np.random.default_rng(1)
        self._a = rng.integers(1, 1 << 63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 1 << 63, PERMUTATIONS, dtype=np.uint64)
        self._words = _WordHashes()

    def _hashes(self, words: list[str]) -> np.ndarray:
        return np.fromiter(map(self._words.__getitem__, words), dtype=np.uint64,
                           count=len(words))

    def signature(self, hashes: np.ndarray) -> bytes:
        """The signature of a set of item hashes, as PERMUTATIONS uint32 values."""
        with np.errstate(over="ignore"):
            permuted = hashes[:, None] * self._a + self._b
        return (permuted.min(axis=0) >> np.uint64(32)).astype(np.uint32).tobytes()

    def shingles(self, text: str) -> bytes:
        words = self._hashes(_WORD.findall(text.lower()))
        span = min(SHINGLE, len(words))
        if span == 0:
            return self.signature(np.zeros(1, dtype=np.uint64))
        mixed = np.zeros(len(words) - span + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for k in range(span):
                mixed = mixed * _MIX + words[k:len(words) - span + 1 + k]
        return self.signature(mixed ^ (mixed >> np.uint64(29)))

    def names(self, names: frozenset[str]) -> bytes:
        return self.signature(self._hashes(list(names)))


def _candidates(signatures: bytes, bands: int, rows: int) -> Iterator[np.ndarray]:
    """LSH: the row numbers of documents whose signatures agree on all `rows` values of a
    band, one array per bucket of two or more, band by band."""
    matrix = np.frombuffer(signatures, dtype=np.uint32).reshape(-1, PERMUTATIONS)
    for band in range(bands):
        keys = np.zeros(len(matrix), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column in matrix[:, band * rows:(band + 1) * rows].T:
                keys = keys * _MIX + column
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        edges = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        starts = np.concatenate(([0], edges))
        ends = np.concatenate((edges, [len(ordered)]))
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            yield order[start:end]


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


class Grouper:
    """Collects documents one by one (only their signatures and names are kept), then
    returns their groups: same-story groups (`groups`, what a split keeps together) and,
    inside them, near-duplicate groups (`duplicate_groups`). Candidates come from LSH over
    all signatures at once (bucketed by sorting, band by band), so grouping grows with the
    corpus, not with its square; each candidate pair is then checked as described above."""

    def __init__(self) -> None:
        self._hasher = _MinHasher()
        self._ids: list[str] = []
        self._seen: set[str] = set()
        self._dup_signatures = bytearray()
        self._names: list[frozenset[str]] = []
        self._unions: tuple[_UnionFind, _UnionFind] | None = None
        self.joins = {"near_duplicate": 0, "same_story": 0}

    def add(self, doc_id: str, text: str) -> None:
        if doc_id in self._seen:
            return
        self._seen.add(doc_id)
        self._ids.append(doc_id)
        self._unions = None
        self._dup_signatures += self._hasher.shingles(text)
        self._names.append(names_of(text))

    def _story_signatures(self) -> tuple[list[int], bytes]:
        """(rows, signatures) of the documents with enough names to join a story. A name in
        more than `COMMON_NAME` of the documents (and more than `COMMON_NAME_MIN`) is left
        out of the signatures: it names the beat ("Syria", "Trump"), not the story, and
        documents sharing only such names would fill LSH buckets with pairs that grow with
        the square of the corpus. Pairs found are still checked on the full name sets."""
        counts = Counter(name for names in self._names for name in names)
        common = max(COMMON_NAME_MIN, COMMON_NAME * len(self._names))
        rows, signatures = [], bytearray()
        for row, names in enumerate(self._names):
            if len(names) >= STORY_MIN_SHARED:
                rare = frozenset(n for n in names if counts[n] <= common) or names
                rows.append(row)
                signatures += self._hasher.names(rare)
        return rows, bytes(signatures)

    def _group(self) -> tuple[_UnionFind, _UnionFind]:
        """(story, duplicate) unions: near-duplicates join both, same-story names the first."""
        if self._unions is not None:
            return self._unions
        stories, duplicates = _UnionFind(len(self._ids)), _UnionFind(len(self._ids))
        self.joins = {"near_duplicate": 0, "same_story": 0}
        matrix = np.frombuffer(bytes(self._dup_signatures), dtype=np.uint32).reshape(
            -1, PERMUTATIONS)
        agree = NEAR_DUPLICATE * PERMUTATIONS
        for bucket in _candidates(bytes(self._dup_signatures), *_DUP_BANDS):
            for i, a in enumerate(bucket):
                for b in bucket[i + 1:]:
                    if (duplicates.find(a) != duplicates.find(b)
                            and np.count_nonzero(matrix[a] == matrix[b]) >= agree):
                        duplicates.union(a, b)
                        self.joins["near_duplicate"] += stories.union(a, b)
        story_rows, story_signatures = self._story_signatures()
        for bucket in _candidates(story_signatures, *_STORY_BANDS):
            rows = [story_rows[n] for n in bucket]
            for i, a in enumerate(rows):
                for b in rows[i + 1:]:
                    if stories.find(a) != stories.find(b) and self._same_story(a, b):
                        self.joins["same_story"] += stories.union(a, b)
        self._unions = stories, duplicates
        return self._unions

    def _same_story(self, a: int, b: int) -> bool:
        names, other = self._names[a], self._names[b]
        shared = len(names & other)
        return shared >= STORY_MIN_SHARED and shared / len(names | other) >= STORY_JACCARD

    def _partition(self, union: _UnionFind) -> list[list[str]]:
        out: dict[int, list[str]] = {}
        for row, doc_id in enumerate(self._ids):
            out.setdefault(union.find(row), []).append(doc_id)
        return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])

    def groups(self) -> list[list[str]]:
        """Same-story groups (near-duplicates included): what a split keeps on one side."""
        return self._partition(self._group()[0])

    def duplicate_groups(self) -> list[list[str]]:
        """Near-duplicate groups, each inside one story group."""
        return self._partition(self._group()[1])
