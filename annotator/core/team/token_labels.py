"""Token-level labels for Cohen's κ: each token of a document gets the label of the entity
covering it, or O (docs/architecture.md, "Agreement"). Counted, not listed: each entity's
range of token indices is all the pair comparison needs (`pair.compare_entities`).

The tokens are the project's (`core.tokens`, cached as the JSONL `tokens` list). Entity
edges are found in the serialised list without parsing it (`DocTokens.locator`, as an export
does), which is most of the cost saved; a document with a span whose edge cuts a token is
parsed, and its tokens are split at every span edge, as the export splits them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from annotator.core.tokens import DocTokens, split_rows

Entity = Sequence  # (start, end, label)


class TokenIndex:
    """The token range (first, last + 1) of every entity span of one document."""

    def __init__(self, tokens: DocTokens, spans: Iterable[tuple[int, int]]):
        spans = sorted(set(spans))
        locate = tokens.locator()
        found = {span: locate(*span) for span in spans}
        if all(found.values()):
            self.ranges = {span: (first, last + 1) for span, (first, last) in found.items()}
            self.count = _count(tokens.json)
            return
        edges = {edge for span in spans for edge in span}
        (starts, _ends, _ws), _ = split_rows(tokens.table().rows, edges)
        self.ranges = {span: (bisect.bisect_left(starts, span[0]),
                              bisect.bisect_left(starts, span[1])) for span in spans}
        self.count = len(starts)

    def of(self, entities: Sequence[Entity]) -> list[tuple[int, int]]:
        return [self.ranges[(start, end)] for start, end, _ in entities]


def _count(data: bytes) -> int:
    """How many tokens a serialised list holds: the last token's id + 1 (a token's own text
    is escaped, so `"id":` occurs only as a key)."""
    at = data.rfind(b'"id":')
    if at < 0:
        return 0
    at += 5
    return int(data[at:data.index(b",", at)]) + 1

