"""Turning what a user types into a safe FTS5 query.

Every word becomes a quoted phrase, so operators (`OR`, `NEAR`, `*`, `"`) typed by a user are
searched as text and can never make the query invalid. The last word matches as a prefix,
because the list filters as the user types.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(user_text: str) -> str:
    words = _WORD.findall(user_text)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)
