"""Where a corpus search matched inside one text: the hits the article highlights.

The document list finds documents holding every word of the query, the last one as a prefix
(`store.search.terms`); the same words are found here, case-insensitively and at word
starts, so that what the list matched is what the article shows. Annotation terms of the
query (`label:ORG`) are no words of the text: they are left out here.
"""

from __future__ import annotations

import re

from annotator.core.store.search import terms, words_only


def hits(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every word of `query` in `text`, in text order."""
    words, prefix = terms(words_only(query))
    if not words:
        return []
    patterns = [re.escape(w) + ("" if prefix and i == len(words) - 1 else r"(?!\w)")
                for i, w in enumerate(words)]
    found = re.finditer(r"(?<!\w)(?:" + "|".join(patterns) + ")", text, re.IGNORECASE)
    return [m.span() for m in found]
