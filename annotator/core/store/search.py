"""Turning what a user types into a safe full-text query: FTS5's in a file, a `tsquery` on
a server.

Every word becomes a quoted phrase (lexeme), so operators (`OR`, `NEAR`, `*`, `"`) typed by
a user are searched as text and can never make the query invalid. The last word matches as a prefix,
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


def terms(user_text: str) -> tuple[list[str], bool]:
    """The distinct words to search for, and whether the last one is a prefix."""
    distinct: dict[str, str] = {}  # the search ignores case: one phrase per word
    for word in _WORD.findall(user_text):
        distinct.setdefault(word.casefold(), word)
    words = list(distinct.values())
    return words[:MAX_TERMS], 0 < len(words) <= MAX_TERMS


def fts_query(user_text: str) -> str:
    """FTS5: quoted phrases, all of them required."""
    words, prefix = terms(user_text)
    quoted = [f'"{w}"' for w in words]
    if prefix:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(user_text: str) -> str:
    """PostgreSQL's `to_tsquery` text: quoted lexemes joined by ``&``. A word holds only
    letters, digits and ``_`` (`_WORD`), so no quote or operator can reach the query."""
    words, prefix = terms(user_text)
    quoted = [f"'{w}'" for w in words]
    if prefix:
        quoted[-1] += ":*"
    return " & ".join(quoted)
