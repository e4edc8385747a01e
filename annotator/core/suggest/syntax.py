"""Small readings of a spaCy dependency parse shared by the claim rules.

Token spans here are (first token index, last token index), inclusive, like spaCy's
`left_edge`/`right_edge`; `char_span` turns one into character offsets.
"""

from __future__ import annotations

RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "that"})
# Children that open a parenthetical after a noun: "A Syrian official, speaking to Reuters, ..."
PARENTHETICAL = frozenset({"relcl", "appos", "acl", "advcl", "parataxis"})
SUBJECTS = ("nsubj", "nsubjpass")


def strip(doc, first: int, last: int, *, keep_quotes: bool = False) -> tuple[int, int] | None:
    """Narrow a token span past leading `that`/punctuation/space and trailing punctuation."""
    def droppable(token, leading: bool) -> bool:
        if token.is_space:
            return True
        if keep_quotes and token.is_quote:
            return False
        return token.is_punct or (leading and token.dep_ == "mark")

    while first <= last and droppable(doc[first], True):
        if doc[first].text == "(":  # a dateline "(MENAFN) ..." or "(Reuters) -" goes too
            closing = next((t.i for t in doc[first:min(first + 6, last + 1)] if t.text == ")"),
                           None)
            first = closing if closing is not None else first
        first += 1
    while last >= first and droppable(doc[last], False):
        last -= 1
    return (first, last) if first <= last else None


def char_span(doc, span: tuple[int, int], offset: int = 0) -> dict[str, int]:
    first, last = span
    return {"start": doc[first].idx + offset, "end": doc[last].idx + len(doc[last].text) + offset}


def noun_phrase(head) -> tuple[int, int]:
    """The phrase a noun heads, without a parenthetical set off by a comma or dash after it
    ("A Syrian official, speaking to Reuters on condition of anonymity," → "A Syrian
    official") but with its conjuncts ("The US, Israel, and Syria")."""
    first, last = head.left_edge.i, head.i
    for child in head.rights:
        if child.dep_ in PARENTHETICAL and _set_off(child) or child.dep_ == "relcl":
            break
        last = max(last, child.right_edge.i)
    span = strip(head.doc, first, last)
    return span or (head.i, head.i)


def _set_off(child) -> bool:
    before = child.left_edge.i - 1
    return before >= 0 and child.doc[before].text in {",", "–", "—", "-", "("}


def subject(verb):
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            return child
    return None


def agent(verb):
    """The `by` phrase object of a passive verb ("was announced by the ministry")."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None
