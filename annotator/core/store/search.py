"""Turning what a user types into a safe FTS5 query.

Every word becomes a quoted phrase, so operators (`OR`, `NEAR`, `*`, `"`) typed by a user are
searched as text and can never make the query invalid. The last word matches as a prefix,
because the list filters as the user types.

A long query (a pasted paragraph) is cut to its first `MAX_TERMS` distinct words: FTS5's
cost grows with the square of the phrase count (20,000 documents: 200 characters 2.9 s,
800 characters 46 s), and a dozen words of a paragraph already find it. A cut query has
no prefix: its last word was not being typed.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


MAX_TERMS = 12


def fts_query(user_text: str) -> str:
    distinct: dict[str, str] = {}  # the search ignores case: one phrase per word
    for word in _WORD.findall(user_text):
        distinct.setdefault(word.casefold(), word)
    words = list(distinct.values())
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words[:MAX_TERMS]]
    if len(words) <= MAX_TERMS:
        quoted[-1] += "*"
    return " ".join(quoted)
