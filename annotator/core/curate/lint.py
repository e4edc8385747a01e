"""Consistency checks over finished work: what a curator fixes before trusting a dataset.

The work checked is one version per document, as an export chooses it (`Selection`: an
annotator's, gold, or by default the latest finished set). Rules:

- `label_conflict`: one surface form labelled differently across the documents;
- `missed_mention`: a form labelled as an entity somewhere, left unlabelled (neither
  accepted nor rejected) where it occurs elsewhere on word boundaries;
- `claim_parts`: a claim without a source or a cue where its type has one (every type but
  unattributed has both; an unattributed claim has a cue and no source), and a source that
  lies outside the claim's sentence and the sentences either side of it;
- `span_edges`: a span that starts or ends inside a word, or begins or ends with a space.

Findings are derived, never stored. Forms are found in the texts by one compiled pattern
of their first words, so the cost follows the corpus once, not forms × documents.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from annotator.core.model import UNATTRIBUTED
from annotator.core.store import Store

RULES = ("label_conflict", "missed_mention", "claim_parts", "span_edges")
_TRIE_DEPTH = 16
_RUN = re.compile(r"[^\W_]+")  # letters and digits: what `str.isalnum` accepts
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+|\n\s*\n")


@dataclass
class Finding:
    rule: str
    text: str  # the form, or the span's / claim's words
    message: str
    labels: dict[str, int] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    spans: list[dict[str, Any]] = field(default_factory=list)  # doc_id, start, end, label


@dataclass
class _Doc:
    doc_id: str
    text: str
    entities: list[tuple[int, int, str]]
    decided: set[tuple[int, int]]  # accepted or rejected entity ranges


def lint(store: Store, annotator: str | None = None,
         rules: tuple[str, ...] = RULES) -> list[Finding]:
    """The findings of `rules` over the finished sets of `annotator` (None: per document
    the latest finished one, gold first), in one read snapshot."""
    with store.snapshot():
        docs, set_docs = [], {}
        for chosen in store.selections.texts(annotator, ("done",)):
            entities = [(s, e, label) for s, e, label in chosen.entities]
            decided = {(s, e) for s, e, _ in chosen.entities} | \
                {(s, e) for s, e, _ in chosen.rejected}
            docs.append(_Doc(chosen.doc_id, chosen.text, entities, decided))
            set_docs[chosen.set_id] = docs[-1]
        claims = list(store.selections.claims(annotator, ("done",))) \
            if "claim_parts" in rules else []
    findings: list[Finding] = []
    forms = _forms(docs)
    if "label_conflict" in rules:
        findings += _label_conflicts(forms)
    if "missed_mention" in rules:
        findings += _missed_mentions(docs, forms)
    if "claim_parts" in rules:
        findings += _claim_parts(claims, set_docs)
    if "span_edges" in rules:
        findings += _span_edges(docs)
    return findings


def _forms(docs: list[_Doc]) -> dict[str, list[tuple[str, int, int, str]]]:
    """Surface form → every (doc id, start, end, label) it is labelled at."""
    forms: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
    for doc in docs:
        for start, end, label in doc.entities:
            forms[doc.text[start:end]].append((doc.doc_id, start, end, label))
    return forms


def majority(labels: Counter[str]) -> str:
    """The most frequent label; a tie goes to the alphabetically first, so it is stable."""
    return min(labels, key=lambda label: (-labels[label], label))


def _label_conflicts(forms: dict[str, list[tuple[str, int, int, str]]]) -> list[Finding]:
    out = []
    for form, places in sorted(forms.items()):
        labels = Counter(label for *_, label in places)
        if len(labels) < 2:
            continue
        counted = ", ".join(f"{label} {n}×" for label, n in labels.most_common())
        out.append(Finding(
            "label_conflict", form, f"'{form}' is labelled {counted}; most often "
            f"{majority(labels)}", dict(labels), sorted({d for d, *_ in places}),
            [{"doc_id": d, "start": s, "end": e, "label": label} for d, s, e, label in places]))
    return out


def _missed_mentions(docs: list[_Doc], forms: dict[str, list[tuple[str, int, int, str]]]
                     ) -> list[Finding]:
    counts = {form: Counter(label for *_, label in places) for form, places in forms.items()
              if form[:1].isalnum() and form[-1:].isalnum()}
    labels = {form: majority(counted) for form, counted in counts.items()}
    finder = _Finder(labels)
    # each place is made as the finding prints it: a benchmark's corpus has a million
    missed: dict[str, list[dict[str, Any]]] = {form: [] for form in labels}
    for doc in docs:
        text, decided, doc_id = doc.text, doc.decided, doc.doc_id
        covered = _coverage(doc)
        for form, start, end in finder.occurrences(text):
            if (start, end) not in decided and covered.find(1, start, end) == -1:
                missed[form].append({"doc_id": doc_id, "start": start, "end": end,
                                     "label": labels[form]})
    out = []
    for form, places in sorted(missed.items()):
        if not places:
            continue
        label, counted = labels[form], counts[form]
        out.append(Finding(
            "missed_mention", form, f"'{form}' is labelled {label} {counted[label]}× but "
            f"left unlabelled {len(places)}×", dict(counted),
            sorted(set(map(itemgetter("doc_id"), places))), places))
    return out


class _Finder:
    """Every occurrence of a set of forms on word boundaries (the characters either side
    are not letters or digits), in one pass of one compiled pattern over a text.

    The pattern matches the forms' first words where a letter or digit does not follow; a
    word in a text is one run of letters and digits, so its matches are exactly the text's
    words that begin a form (the character before is checked here: a pattern that begins
    with a look-behind loses the engine's quick scan for a first character). A form of one
    word is that match; a longer one is compared where its first word matched.
    """

    def __init__(self, forms: Iterable[str]):
        self.single: set[str] = set()
        self.longer: dict[str, list[str]] = defaultdict(list)  # first word → forms
        for form in forms:
            first = _RUN.match(form).group()
            if first == form:
                self.single.add(form)
            else:
                self.longer[first].append(form)
        firsts = sorted(self.single | set(self.longer))
        self.pattern = re.compile(rf"{_trie(firsts)}(?![^\W_])") if firsts else None

    def occurrences(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(form, start, end) in text order; two occurrences of one form never overlap."""
        if self.pattern is None:
            return
        single, longer, ends = self.single, self.longer, {}
        for match in self.pattern.finditer(text):
            start, end = match.span()
            if start and text[start - 1].isalnum():
                continue
            first = match.group()
            if first in single:
                yield first, start, end
            for form in longer.get(first, ()):
                stop = start + len(form)
                if (text.startswith(form, start) and ends.get(form, 0) <= start
                        and (stop == len(text) or not text[stop].isalnum())):
                    ends[form] = stop
                    yield form, start, stop


def _trie(words: list[str], at: int = 0) -> str:
    """A pattern matching any of `words` (sorted, distinct, sharing their first `at`
    letters), nested by shared letters: where a flat alternation of thousands of words
    makes the engine try each of them at every capital letter, this tries one branch per
    next letter. Below `_TRIE_DEPTH` letters the rest is a flat alternation, so the
    nesting stays shallow whatever the words."""
    if at == _TRIE_DEPTH:
        return f"(?:{'|'.join(re.escape(w[at:]) for w in sorted(words, key=len, reverse=True))})"
    ends = len(words[0]) == at  # sorted: a word that ends here comes first
    branches = [re.escape(letter) + _trie(list(group), at + 1) for letter, group in
                groupby(words[ends:], key=itemgetter(at))]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if ends else body


def _coverage(doc: _Doc) -> bytearray:
    """1 for each character inside an accepted entity."""
    covered = bytearray(len(doc.text))
    for start, end, _ in doc.entities:
        covered[start:end] = b"\x01" * (end - start)
    return covered


def _inside_word(text: str, at: int) -> bool:
    """Whether offset `at` cuts a word (characters on both sides are word characters)."""
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _claim_parts(claims, set_docs: dict[int, _Doc]) -> list[Finding]:
    out = []
    for claim in claims:
        doc = set_docs.get(claim.set_id)
        if doc is None or claim.content is None:
            continue
        start, end = claim.content[0], claim.content[1]
        words = doc.text[start:end]
        problems = []
        if claim.type == UNATTRIBUTED:
            if claim.source is not None:
                problems.append("an unattributed claim names a source")
        elif claim.source is None:
            problems.append(f"a {claim.type} claim has no source")
        if claim.cue is None:
            problems.append(f"a {claim.type} claim has no cue")
        if claim.source is not None and not _near(doc.text, (start, end), claim.source):
            problems.append("its source lies outside the claim's sentence and the next ones")
        if problems:
            out.append(Finding("claim_parts", words, "; ".join(problems), {claim.type: 1},
                               [doc.doc_id], [{"doc_id": doc.doc_id, "start": start,
                                               "end": end, "label": claim.type}]))
    return out


def _near(text: str, content: tuple[int, int], source) -> bool:
    """Whether the source lies within the content's sentences, or one sentence either side."""
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    first = max(i for i, b in enumerate(bounds) if b <= content[0])
    last = min(i for i, b in enumerate(bounds) if b >= content[1])
    low, high = bounds[max(first - 1, 0)], bounds[min(last + 1, len(bounds) - 1)]
    return low <= source[0] and source[1] <= high


def _span_edges(docs: list[_Doc]) -> list[Finding]:
    out = []
    for doc in docs:
        for start, end, label in doc.entities:
            words = doc.text[start:end]
            if _inside_word(doc.text, start) or _inside_word(doc.text, end):
                problem = "cuts a word"
            elif words != words.strip():
                problem = "begins or ends with a space"
            else:
                continue
            out.append(Finding("span_edges", words, f"{label} '{words}' {problem}",
                               {label: 1}, [doc.doc_id],
                               [{"doc_id": doc.doc_id, "start": start, "end": end,
                                 "label": label}]))
    return out
