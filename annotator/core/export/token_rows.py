"""Tokens for exported records, as plain `(start, end, ws)` tuples.

They are exactly the tokens of `annotator.core.tokens` (`tokenize`, then `aligned_tokens`'
splits at span edges: the same tokenizer, the same `split_at`), read through spaCy's arrays:
an export writes some 700 tokens per article, and a Python object per token costs several
times the tokenizer itself.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.attrs import IDX, LENGTH, SPACY

from annotator.core.tokens import Token, _tokenizer, split_at

# (start, end, followed by a space)
Row = tuple[int, int, bool]


def token_rows(text: str) -> list[Row]:
    """The tokens of `annotator.core.tokens.tokenize`."""
    rows = _tokenizer()(text).to_array([IDX, LENGTH, SPACY]).tolist()
    return [(start, start + length, bool(ws)) for start, length, ws in rows]


def aligned_rows(base: list[Row], boundaries: Iterable[int]) -> tuple[list[Row], int]:
    """`aligned_tokens` on rows: tokens split where a span edge falls inside one (rare, so
    the shared `split_at` only runs when a split is needed); returns (rows, splits)."""
    boundaries = list(boundaries)
    starts = [row[0] for row in base]
    inside = [b for b in boundaries
              if (i := bisect.bisect_right(starts, b) - 1) >= 0 and base[i][0] < b < base[i][1]]
    if not inside:
        return base, 0
    tokens, n_split = split_at([Token(*row) for row in base], boundaries)
    return [(t.start, t.end, t.ws) for t in tokens], n_split
