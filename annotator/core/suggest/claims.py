"""Claim suggestions (PARC-style attribution) from the dependency parse and the cue lexicon.

A claim is content + source + cue. The constructions found:
- a reporting verb of the lexicon (any tense, participles too) with a clausal complement:
  ``SOURCE said (that) CONTENT``, ``SOURCE told X (that) CONTENT`` (cue "told X"), the source
  after the verb (``“CONTENT,” the statement said``), a relative clause (``SANA, which said
  CONTENT``), a participle that inherits its governor's source (``..., adding that CONTENT``;
  across a misparsed line break, the nearest reporting verb before it on its line), a `that`
  clause the parser hung on a noun after the verb (``announced in a statement issued on
  Tuesday that CONTENT``);
- ``X quoted/reported SOURCE as saying (that) CONTENT`` and ``SOURCE was quoted as saying``
  (cue "as saying");
- ``according to SOURCE, CONTENT`` and ``CONTENT, according to SOURCE``;
- a quotation followed by ``, SUBJECT VERB`` (``“…,” the statement read``) even when the
  verb is not in the lexicon: the construction itself is the cue; ``“…,” said SOURCE``;
- a quotation that is a sentence of its own right after an attributed one in the same
  paragraph continues it (same source and cue).
A claim whose content starts inside quotation marks and ends at the closing mark is a
`direct_quote` and its content becomes everything between the marks, over several sentences
if the quote does; a quote inside a longer reported clause leaves it `indirect`. A reporting
verb with a complement but no identifiable source ("it was reported that ...") gives an
`unattributed` claim. Where an entity suggestion covers the source, the source takes the
entity's offsets, so the two coincide.
"""

from __future__ import annotations

from typing import Any

from annotator.core.suggest.quotes import Quote, find_quotes
from annotator.core.suggest.syntax import (
    RELATIVE_PRONOUNS,
    agent,
    char_span,
    noun_phrase,
    strip,
    subject,
)

INHERITING = frozenset({"advcl", "xcomp", "conj", "pcomp"})
AS_SAYING_GOVERNORS = frozenset({"quote", "report", "cite"})
EXTENDS_CONTENT = frozenset({"dobj", "prep", "npadvmod", "advmod"})
CONCESSIVE = frozenset({"though", "although", "whereas"})
MAX_AFTER_QUOTE = 8  # tokens between a closing quote mark and its verb


def claim_suggestions(doc, verbs: set[str], phrases: list[str],
                      entities: list[dict[str, Any]], offset: int = 0) -> list[dict[str, Any]]:
    """Payload claims for one parsed Doc; offsets shifted by `offset`."""
    text = doc.text  # spaCy joins every token for each `doc.text`: read it once
    quotes = find_quotes(text)
    found = [c for c in (_verb_claim(doc, t, verbs) for t in doc
                         if t.lemma_.lower() in verbs and t.pos_ in ("VERB", "AUX")) if c]
    if any(p.lower() == "according to" for p in phrases):
        found += _according_to(doc)
    found = [_with_quote(doc, text, claim, quotes) for claim in found]
    covered = [c["content"] for c in found]
    for quote in quotes:
        if not any(s < quote.close and e > quote.open + 1 for s, e in covered):
            claim = _after_quote(doc, quote, text) or _continued_quote(quote, found, text)
            if claim:
                found.append(claim)
    return _payload(doc, text, found, entities, offset)


def _continued_quote(quote: Quote, found: list[dict[str, Any]], text: str
                     ) -> dict[str, Any] | None:
    """A quotation standing alone right after an attributed one in the same paragraph
    ("“…,” he said. “We will meet again.”") continues it: same source and cue."""
    before = [c for c in found if c["type"] == "direct_quote" and c["content"][1] <= quote.open]
    preceding = text[:quote.open].rstrip()[-1:]
    if not before or quote.words(text) < 3 or preceding not in {"", ".", "!", "?", "”", '"'}:
        return None  # only a quotation that is a sentence of its own
    previous = max(before, key=lambda c: c["content"][1])
    if "\n" in text[previous["content"][1]:quote.open]:
        return None
    return {**previous, "content": quote.inner}


def _verb_claim(doc, verb, verbs: set[str]) -> dict[str, Any] | None:
    content = _on_line_of(doc, _content(verb, verbs), verb)
    if content is None or content[0] <= verb.i <= content[1] or content[1] == content[0]:
        return None
    source, cue = _source_and_cue(verb, verbs)
    return {"content": content, "source": source, "cue": cue}


def _content(verb, verbs: set[str]) -> tuple[int, int] | None:
    doc = verb.doc
    complements = [c for c in verb.children if c.dep_ == "ccomp"]
    if complements:
        comp = min(complements, key=lambda c: abs(c.i - verb.i))
        first, last = comp.left_edge.i, comp.right_edge.i
        subj = subject(verb)
        if comp.i < verb.i and not (subj is not None and subj.dep_ == "nsubj"
                                    and (last < subj.i < verb.i or subj.i > verb.i)):
            return None  # content before its verb only as "CONTENT, SOURCE said / said SOURCE"
        if comp.i > verb.i:
            for child in verb.rights:
                if child.i > comp.i and child.dep_ in EXTENDS_CONTENT:
                    last = max(last, child.right_edge.i)
        for token in doc[first + 1:last + 1]:
            if _ends_content(token, verbs):
                last = token.i - 2
                break
        return strip(doc, first, last)
    head = verb.head
    if verb.dep_ == "parataxis" and head.i < verb.i and subject(verb) is not None:
        return strip(doc, head.left_edge.i, verb.left_edge.i - 1)
    clause = _that_clause(verb, verbs)
    return strip(doc, clause.left_edge.i, clause.right_edge.i) if clause is not None else None


def _that_clause(verb, verbs: set[str]):
    """A `that` clause the parser hung on a noun after the verb instead of on the verb:
    "announced in a joint statement issued on Tuesday that ..." (via prep/pobj/acl only)."""
    frontier = [c for c in verb.rights if c.dep_ == "prep"]
    for _depth in range(4):
        following = []
        for token in frontier:
            for child in token.children:
                if child.dep_ in ("acl", "ccomp") and child.lemma_.lower() not in verbs \
                        and any(m.dep_ == "mark" and m.lower_ == "that" for m in child.children):
                    return child
                if child.dep_ in ("pobj", "acl", "agent", "prep"):
                    following.append(child)
        frontier = following
    return None


def _ends_content(token, verbs: set[str]) -> bool:
    """Where a misattached complement really ends: before ", adding that ..." (a claim of its
    own), before "and urged X" (a second reporting verb of the same source), before ",
    though ..." (the reporter's concession, not the source's words)."""
    before = token.doc[token.i - 1].lower_
    if token.lemma_.lower() in verbs:
        if token.tag_ == "VBG" and before == ",":
            return True
        if token.dep_ == "conj" and before in ("and", "but") and subject(token) is None:
            return True
    return token.dep_ == "mark" and token.lower_ in CONCESSIVE and before == ","


def _source_and_cue(verb, verbs: set[str]) -> tuple[tuple[int, int] | None, tuple[int, int]]:
    cue = (verb.i, verb.i)
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" \
            and verb.head.head.lemma_.lower() in AS_SAYING_GOVERNORS:
        governor = verb.head.head
        quoted = next((c for c in governor.children if c.dep_ in ("dobj", "nsubjpass")), None)
        return (noun_phrase(quoted) if quoted is not None else None), (verb.head.i, verb.i)
    if verb.lemma_.lower() == "tell":
        told = [c for c in verb.rights if c.dep_ in ("dobj", "dative")]
        if told:
            cue = (verb.i, told[0].right_edge.i)
    return _source(verb, verbs), cue


def _source(verb, verbs: set[str], depth: int = 0) -> tuple[int, int] | None:
    subj = subject(verb)
    if subj is None:
        by = agent(verb)
        if by is not None:
            return noun_phrase(by)
        if verb.dep_ == "acl" and verb.head.i < verb.i:  # "a joint statement saying ..."
            return strip(verb.doc, verb.head.left_edge.i, verb.left_edge.i - 1)
        if verb.dep_ in INHERITING and verb.head.pos_ in ("VERB", "AUX") and depth < 3:
            governor = verb.head
            while governor.dep_ == "ccomp" and governor.head.lemma_.lower() in verbs:
                governor = governor.head  # the participle was attached inside the content
            if _crosses_line(verb.doc, governor.i, verb.i):
                governor = _previous_cue(verb, verbs) or governor
            return _source(governor, verbs, depth + 1)
        return None
    if subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        return noun_phrase(verb.head)
    if subj.dep_ == "nsubjpass" or subj.lower_ == "there":
        by = agent(verb)
        return noun_phrase(by) if by is not None else None
    return noun_phrase(subj)


def _crosses_line(doc, first: int, last: int) -> bool:
    return any("\n" in token.text for token in doc[min(first, last):max(first, last)])


def _previous_cue(verb, verbs: set[str]):
    """The nearest reporting verb with a subject before `verb` on its line: what a
    participle ("..., adding that") continues when the parser attached it across a line."""
    for token in reversed(verb.doc[:verb.i]):
        if "\n" in token.text:
            return None
        if token.lemma_.lower() in verbs and subject(token) is not None:
            return token
    return None


def _according_to(doc) -> list[dict[str, Any]]:
    found = []
    for token in doc[:-1]:
        if token.lower_ != "according" or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        pp_last = max(token.right_edge.i, pobj.right_edge.i)
        sent = token.sent
        before = strip(doc, sent.start, token.i - 1)
        after = strip(doc, pp_last + 1, sent.end - 1, keep_quotes=True)
        content = before if before and (not after or
                                       before[1] - before[0] > after[1] - after[0]) else after
        content = _on_line_of(doc, content, token)
        if content:
            found.append({"content": content, "source": noun_phrase(pobj),
                          "cue": (token.i, to.i)})
    return found


def _on_line_of(doc, span: tuple[int, int] | None, anchor) -> tuple[int, int] | None:
    """The part of a content span on the cue's line: reported clauses do not cross a line
    break (the parser sometimes joins a heading to the next paragraph); quotes may."""
    if span is None:
        return None
    first, last = span
    for token in doc[first:last + 1]:
        if "\n" in token.text:
            if token.i < anchor.i:
                first = token.i + 1
            else:
                last = min(last, token.i - 1)
    return strip(doc, first, last, keep_quotes=True)


def _with_quote(doc, text: str, claim: dict[str, Any], quotes: list[Quote]) -> dict[str, Any]:
    """Character offsets for the claim; a direct quote when its content is a quotation."""
    span = char_span(doc, claim["content"])
    start, end = span["start"], span["end"]
    kind = "indirect" if claim["source"] else "unattributed"
    for quote in quotes:
        starts_quote = quote.open <= start <= quote.open + 1
        if quote.open <= start <= quote.close and (
                end <= quote.close + 2 or starts_quote and text[quote.close - 1] == ","):
            start, end = quote.inner
            kind = "direct_quote"
            break
        if quote.open <= start < quote.close < end:
            start = quote.open  # a quotation opening a longer reported clause: keep its mark
        if start <= quote.open < end <= quote.close and \
                not text[end:quote.close].strip(",.;:!? "):
            end = quote.close + 1  # ... and one closing it: keep the mark and what it holds
    return {**claim, "content": (start, end), "type": kind}


def _after_quote(doc, quote: Quote, text: str) -> dict[str, Any] | None:
    """``“…,” SUBJECT VERB``: a quote attributed by the clause right after it."""
    closing = doc.char_span(quote.close, quote.close + 1, alignment_mode="expand")
    if closing is None or quote.words(text) < 3:
        return None
    last = closing.end - 1
    for token in doc[last + 1:last + 1 + MAX_AFTER_QUOTE]:
        if token.is_sent_start and token.i > last + 1 or token.text in {"“", '"'}:
            return None
        subj = subject(token) if token.pos_ == "VERB" else None
        if subj is not None and last < subj.i < token.i:
            return {"content": quote.inner, "source": noun_phrase(subj),
                    "cue": (token.i, token.i), "type": "direct_quote"}
    return None


def _payload(doc, text: str, found: list[dict[str, Any]], entities: list[dict[str, Any]],
             offset: int) -> list[dict[str, Any]]:
    out, seen = [], set()
    for claim in sorted(found, key=lambda c: c["content"]):
        start, end = claim["content"]
        if (start, end) in seen or not text[start:end].strip():
            continue
        seen.add((start, end))
        source = char_span(doc, claim["source"]) if claim["source"] else None
        if source:
            source = _entity_cover(source, entities, offset) or source
        out.append({"type": claim["type"], "content": {"start": start + offset,
                                                       "end": end + offset},
                    "source": _shift(source, offset), "cue": char_span(doc, claim["cue"],
                                                                       offset)})
    return out


def _entity_cover(source: dict[str, int], entities: list[dict[str, Any]],
                  offset: int) -> dict[str, int] | None:
    for entity in entities:
        start, end = entity["start"] - offset, entity["end"] - offset
        if start <= source["start"] and source["end"] <= end:
            return {"start": start, "end": end}
    return None


def _shift(span: dict[str, int] | None, offset: int) -> dict[str, int] | None:
    return {"start": span["start"] + offset, "end": span["end"] + offset} if span else None
