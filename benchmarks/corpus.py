"""Synthetic news corpora for benchmarks, built deterministically from the seed sentences.

Real sentence shapes (names, quotes, curly punctuation) at any size: each article is ~600
words of seed sentences in a seeded random order, numbered so every text is unique.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from annotator.core.paths import seeds_dir

_SENTENCE = re.compile(r"(?<=[.!?”])\s+")
_CAPITALISED = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+\b")
LABELS = ("PERSON", "ORG", "GPE", "NORP", "DATE")


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(seeds_dir().glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            sentences += [s.strip() for s in _SENTENCE.split(paragraph) if len(s.split()) > 4]
    return sentences


def articles(count: int, words: int = 600, seed: int = 7) -> Iterator[dict]:
    """`count` articles as JSONL-ready dicts ({"text", "meta"})."""
    rng = random.Random(seed)
    pool = seed_sentences()
    for i in range(count):
        title = f"Report {i}: {rng.choice(pool)[:60]}"
        body, n = [], 0
        while n < words:
            paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
            body.append(paragraph)
            n += len(paragraph.split())
        yield {"text": title + "\n\n" + "\n\n".join(body) + "\n",
               "meta": {"title": title, "source": rng.choice(["Reuters", "AP", "AFP", "SANA"]),
                        "date": f"2025-12-{rng.randint(1, 28):02d}"}}


def entities(text: str, count: int = 15) -> list[tuple[int, int, str]]:
    """(start, end, label) of up to `count` entities at capitalised words inside sentences:
    the shape of an annotated news article (labels taken in turn)."""
    found = list(_CAPITALISED.finditer(text))[:count]
    return [(m.start(), m.end(), LABELS[n % len(LABELS)]) for n, m in enumerate(found)]
