"""Token math (DESIGN.md §3): tokens are derived data, spans are the truth.

Tokens come from spaCy's English tokenizer (rules only, no model). Spans that arrive from
outside keep their exact offsets; where a span boundary falls inside a token, the token is
split there (`Israeli‑Syrian` with a non-breaking hyphen is one spaCy token but two entities).
A user's selection snaps outward to whole tokens.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    ws: bool  # followed by a space (spaCy's `whitespace_`), for the JSONL `tokens` field


class Misaligned(ValueError):
    """A span whose start or end is not a token boundary."""


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def tokenize(text: str) -> list[Token]:
    return [Token(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in _tokenizer()(text)]


def split_at(tokens: Sequence[Token], boundaries: Iterable[int]) -> tuple[list[Token], int]:
    """Split tokens at every boundary that falls strictly inside one; return (tokens, splits)."""
    cuts: dict[int, list[int]] = {}
    starts = [t.start for t in tokens]
    for boundary in set(boundaries):
        i = bisect.bisect_right(starts, boundary) - 1
        if i >= 0 and tokens[i].start < boundary < tokens[i].end:
            cuts.setdefault(i, []).append(boundary)
    if not cuts:
        return list(tokens), 0
    out: list[Token] = []
    for i, token in enumerate(tokens):
        if i not in cuts:
            out.append(token)
            continue
        edges = [token.start, *sorted(cuts[i]), token.end]
        for a, b in zip(edges, edges[1:]):
            out.append(Token(a, b, token.ws if b == token.end else False))
    return out, sum(len(v) for v in cuts.values())


def aligned_tokens(text: str, spans: Iterable[tuple[int, int]]) -> tuple[list[Token], int]:
    """Tokens of `text` split so that every (start, end) falls on token boundaries."""
    return split_at(tokenize(text), (b for span in spans for b in span))


def snap(text: str, tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """Grow a character range outward to whole tokens, leaving out whitespace tokens at
    either edge; None if the range covers no word at all."""
    if not tokens or end <= start:
        return None
    first = bisect.bisect_right([t.end for t in tokens], start)   # first token ending after start
    last = bisect.bisect_left([t.start for t in tokens], end) - 1  # last token starting before end
    while first <= last and text[tokens[first].start:tokens[first].end].isspace():
        first += 1
    while last >= first and text[tokens[last].start:tokens[last].end].isspace():
        last -= 1
    if first > last:
        return None
    return tokens[first].start, tokens[last].end


def token_range(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """(token_start, token_end inclusive) of a span that lies on token boundaries."""
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    i = bisect.bisect_left(starts, start)
    j = bisect.bisect_left(ends, end)
    if i >= len(tokens) or starts[i] != start or j >= len(tokens) or ends[j] != end or j < i:
        raise Misaligned(f"span {start}:{end} does not start and end on token boundaries")
    return i, j


def is_aligned(tokens: Sequence[Token], start: int, end: int) -> bool:
    try:
        token_range(tokens, start, end)
    except Misaligned:
        return False
    return True
