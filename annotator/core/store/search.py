"""Turning what a user types into a safe query: its words into FTS5's full-text query in a
file, a `tsquery` on a server; its annotation terms (`label:ORG state:suggested
annotator:alice origin:pattern`) into a condition with bound parameters.

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
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r"(?<!\S)([A-Za-z_]+):(\S*)")  # key:value, a whole whitespace-separated word


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


# -- annotation terms ------------------------------------------------------------------------

KEYS = ("label", "state", "annotator", "origin")
STATES = ("suggested", "accepted", "rejected")
ORIGINS = ("model", "pattern", "human")  # a model's origin is `model:…` or names `…@version`
PARTS = ("claim", "source", "cue")  # `label:` names a claim layer, else an entity label
EXAMPLES = {"label": "label:ORG", "state": "state:suggested", "annotator": "annotator:alice",
            "origin": "origin:pattern"}


class QueryError(ValueError):
    """A search that names an annotation wrongly; its message is the sentence to show."""


@dataclass(frozen=True, slots=True)
class Query:
    """What a search asks for: words in the text, and what one annotation must be. None
    lets any value through; `annotator` None means the annotator searching."""

    words: str = ""
    label: str | None = None
    state: str | None = None
    annotator: str | None = None
    origin: str | None = None

    @property
    def names_annotations(self) -> bool:
        return any((self.label, self.state, self.annotator, self.origin))


def words_only(user_text: str) -> str:
    """The text with its key:value terms taken out (what the article highlights)."""
    return _TERM.sub(" ", user_text)


def parse(user_text: str) -> Query:
    """Split a search into its words and its annotation terms; a term with an unknown key, a
    missing or unknown value, or a key given twice raises QueryError naming it."""
    found: dict[str, str] = {}
    for match in _TERM.finditer(user_text):
        key, value = match.group(1).lower(), match.group(2)
        if key not in KEYS:
            raise QueryError(f"unknown search key '{key}:' — the known keys are "
                             + ", ".join(f"{k}:" for k in KEYS))
        if not value:
            raise QueryError(f"'{key}:' needs a value, e.g. {EXAMPLES[key]}")
        value = _value(key, value)
        if found.setdefault(key, value) != value:
            raise QueryError(f"'{key}:' is given twice ({found[key]}, {value}); "
                             "one annotation has one of each")
    return Query(words_only(user_text).strip(), **found)


def _value(key: str, value: str) -> str:
    allowed = {"state": STATES, "origin": ORIGINS}.get(key)
    if allowed is not None:
        if value.lower() not in allowed:
            raise QueryError(f"'{key}:{value}' is not known — {key} is one of "
                             + ", ".join(allowed))
        return value.lower()
    if key == "label":
        return value.lower() if value.lower() in PARTS else value.upper()
    return value


def annotation_condition(query: Query, annotator: str | None) -> tuple[str, list[str]]:
    """The condition on a document `d` that one annotation of the set of `query.annotator`
    (else `annotator`'s) is as the query says; values are bound, never spliced in. Only an
    `annotator:` term: that person has worked on the document."""
    spans, params = [], []
    if query.label in PARTS:
        spans.append("p.layer = ?")
        params.append(query.label)
    elif query.label is not None:
        spans.append("p.layer = 'entity' AND p.label = ?")
        params.append(query.label)
    if query.state is not None:
        spans.append("p.state = ?")
        params.append(query.state)
    if query.origin == "model":
        spans.append("(p.origin LIKE 'model:%' OR p.origin LIKE '%@%')")
    elif query.origin is not None:
        spans.append("p.origin = ?")
        params.append(query.origin)
    in_set = "s.doc_id = d.id AND s.annotator = ?"
    who = [query.annotator or annotator or ""]
    if not spans:
        return f"EXISTS (SELECT 1 FROM annotation_sets s WHERE {in_set})", who
    condition = ("EXISTS (SELECT 1 FROM annotation_sets s JOIN spans p ON p.set_id = s.id "
                 f"WHERE {in_set} AND {' AND '.join(spans)})")
    return condition, who + params
