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

Findings are derived, never stored. Forms are found in the texts through an index of their
first words, so the cost follows the corpus once, not forms × documents.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import UNATTRIBUTED
from annotator.core.store import Store

RULES = ("label_conflict", "missed_mention", "claim_parts", "span_edges")
_WORD = re.compile(r"\w+", re.UNICODE)
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
    by_first: dict[str, list[str]] = defaultdict(list)
    for form in forms:
        words = _WORD.findall(form)
        if words and form[0].isalnum() and form[-1].isalnum():
            by_first[words[0]].append(form)
    firsts = list(by_first)
    counts = {form: Counter(label for *_, label in forms[form]) for forms_ in by_first.values()
              for form in forms_}
    labels = {form: majority(counted) for form, counted in counts.items()}
    # each place is made as the finding prints it: a benchmark's corpus has a million
    missed: dict[str, list[dict[str, Any]]] = {form: [] for form in labels}
    found_in: dict[str, list[str]] = {form: [] for form in labels}  # each document once
    for doc in docs:
        text, decided, doc_id = doc.text, doc.decided, doc.doc_id
        words = set(_WORD.findall(text))
        present = [first for first in firsts if first in words]
        if not present:
            continue
        covered, length = _coverage(doc), len(text)
        for first in present:
            for form in by_first[first]:
                places, size, label = missed[form], len(form), labels[form]
                before = len(places)
                start = text.find(form)
                while start != -1:
                    end = start + size
                    if ((start == 0 or not text[start - 1].isalnum())
                            and (end == length or not text[end].isalnum())
                            and (start, end) not in decided
                            and covered.find(1, start, end) == -1):
                        places.append({"doc_id": doc_id, "start": start, "end": end,
                                       "label": label})
                    start = text.find(form, end)
                if len(places) > before:
                    found_in[form].append(doc_id)
    out = []
    for form, places in sorted(missed.items()):
        if not places:
            continue
        label, counted = labels[form], counts[form]
        out.append(Finding(
            "missed_mention", form, f"'{form}' is labelled {label} {counted[label]}× but "
            f"left unlabelled {len(places)}×", dict(counted),
            sorted(found_in[form]), places))
    return out


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
