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


_SYLLABLES = ("ka", "ro", "mi", "sel", "dar", "ven", "lo", "tur", "an", "bek", "zi", "mon",
              "pra", "el", "gor", "sha", "nu", "vik", "ta", "len")
REPORTS_PER_STORY = 4  # a story has 1..4 reports by different outlets


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


def stories(count: int, words: int = 500, reprints: float = 0.1,
            seed: int = 11) -> Iterator[dict]:
    """`count` articles in stories, for grouping benchmarks. Unlike `articles` (which mixes
    one pool of seed sentences, so every article shares names and phrases with every
    other), unrelated stories here share neither: each story has its own 12 names (plus a
    few of 200 common ones, the countries every report mentions) and each report its own
    words from a 20,000-word vocabulary. A story has 1..4 reports (same names, different
    words); a `reprints` share of the articles are reprints of the one before (headline
    changed, a paragraph dropped). `meta["story"]` / `meta["reprint_of"]` say which."""
    rng = random.Random(seed)
    vocabulary = [_word(rng, rng.randint(1, 3)) for _ in range(20_000)]
    common = [_word(rng, 3).capitalize() for _ in range(200)]
    made, story = 0, 0
    while made < count:
        names = [_word(rng, rng.randint(3, 4)).capitalize() for _ in range(12)]
        names += rng.sample(common, 3)
        for report in range(rng.randint(1, REPORTS_PER_STORY)):
            if made >= count:
                break
            paragraphs, n = [], 0
            while n < words:
                sentences = []
                for _ in range(rng.randint(2, 4)):
                    body = [rng.choice(vocabulary) for _ in range(rng.randint(8, 20))]
                    body.insert(rng.randint(1, len(body) - 1), rng.choice(names))
                    sentence = " ".join(body)
                    sentences.append(sentence[0].upper() + sentence[1:] + ".")
                paragraphs.append(" ".join(sentences))
                n += sum(len(s.split()) for s in sentences)
            title = f"Story {story} report {report}: {rng.choice(names)} {rng.choice(vocabulary)}"
            text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
            yield {"text": text, "meta": {"title": title, "story": story}}
            made += 1
            if made < count and rng.random() < reprints:
                dropped = rng.randrange(len(paragraphs))
                copy_title = f"Reprint: {title.lower()}"
                yield {"text": copy_title + "\n\n" + "\n\n".join(
                           p for i, p in enumerate(paragraphs) if i != dropped) + "\n",
                       "meta": {"title": copy_title, "story": story, "reprint_of": made - 1}}
                made += 1
        story += 1
