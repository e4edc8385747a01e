"""Feedback for the team: each annotator's finished work against gold (docs/architecture.md,
"Review").

Over the documents that have a gold set, for each person who finished the document:
- entities: precision, recall and F1 per label and overall, by exact (start, end, label);
- claims: content by exact range; source, cue and type count as right when the content and
  that part both match gold (a part absent on both sides matches), so each figure reads
  "claims found with the right source" and so on;
- versions kept: of the conflicts of the document's merged picture in which the person held
  a version, how many gold now settles as their version;
- confusions: entities with gold's range and another label, `ORG→GPE` (theirs → gold's),
  most frequent first, with example documents.
Counts are summed over documents before ratios are taken (micro averages).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from annotator.core.evaluate import Counts
from annotator.core.review.picture import gold_version, merged_picture
from annotator.core.review.work import DocumentWork, Work, load
from annotator.core.store import Store

EXAMPLES = 3  # documents named per confusion
CLAIM_FIGURES = ("content", "source", "cue", "type")


@dataclass
class AnnotatorReport:
    documents: int = 0
    labels: dict[str, Counts] = field(default_factory=dict)
    claims: dict[str, Counts] = field(default_factory=lambda: {k: Counts()
                                                                for k in CLAIM_FIGURES})
    kept: int = 0
    contested: int = 0
    confusions: Counter = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def entities(self) -> Counts:
        return sum(self.labels.values(), Counts())


@dataclass
class Report:
    documents: int = 0
    reviewed: int = 0
    annotators: dict[str, AnnotatorReport] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"documents": self.documents, "reviewed": self.reviewed,
                "annotators": {name: _annotator_json(r)
                               for name, r in sorted(self.annotators.items())}}


def review_report(store: Store) -> Report:
    report = Report()
    for work in load(store):
        if work.gold_work is None or work.curation != "included" or not work.works:
            continue
        report.documents += 1
        report.reviewed += work.gold.status == "done"
        _add_document(report, work)
    return report


def _add_document(report: Report, work: DocumentWork) -> None:
    gold = work.gold_work
    picture = merged_picture(work.works)
    for mine in work.works:
        person = report.annotators.setdefault(mine.annotator, AnnotatorReport())
        person.documents += 1
        _entities(person, mine, gold, work.doc_id)
        _claims(person, mine, gold)
        for conflict in picture.conflicts:
            held = next((n for n, v in enumerate(conflict.versions)
                         if mine.annotator in v.holders), None)
            if held is not None:
                person.contested += 1
                person.kept += gold_version(conflict, gold) == held


def _entities(person: AnnotatorReport, mine: Work, gold: Work, doc_id: str) -> None:
    theirs, right = Counter(e[2] for e in mine.entities), Counter(e[2] for e in gold.entities)
    hits = Counter(e[2] for e in set(mine.entities) & set(gold.entities))
    for label in theirs.keys() | right.keys():
        person.labels[label] = person.labels.get(label, Counts()) + Counts(
            hits[label], theirs[label], right[label])
    gold_label = {(s, e): label for s, e, label in gold.entities}
    for s, e, label in mine.entities:
        other = gold_label.get((s, e))
        if other is not None and other != label:
            person.confusions[(label, other)] += 1
            examples = person.examples.setdefault((label, other), [])
            if doc_id not in examples and len(examples) < EXAMPLES:
                examples.append(doc_id)


def _claims(person: AnnotatorReport, mine: Work, gold: Work) -> None:
    keys = {"content": lambda c: (c.start, c.end),
            "source": lambda c: (c.start, c.end, c.source),
            "cue": lambda c: (c.start, c.end, c.cue),
            "type": lambda c: (c.start, c.end, c.type)}
    for figure, key in keys.items():
        theirs, right = Counter(map(key, mine.claims)), Counter(map(key, gold.claims))
        person.claims[figure] += Counts(sum((theirs & right).values()), len(mine.claims),
                                        len(gold.claims))


def _counts_json(c: Counts) -> dict[str, Any]:
    return {"precision": round(c.precision, 4), "recall": round(c.recall, 4),
            "f1": round(c.f1, 4), "correct": c.tp, "theirs": c.predicted, "gold": c.gold}


def _annotator_json(r: AnnotatorReport) -> dict[str, Any]:
    return {
        "documents": r.documents,
        "entities": {"all": _counts_json(r.entities),
                     "labels": {k: _counts_json(v) for k, v in sorted(r.labels.items())}},
        "claims": {k: _counts_json(v) for k, v in r.claims.items()},
        "versions": {"kept": r.kept, "of": r.contested},
        "confusions": [{"theirs": a, "gold": b, "count": n, "examples": r.examples[(a, b)]}
                       for (a, b), n in sorted(r.confusions.items(),
                                               key=lambda kv: (-kv[1], kv[0]))],
    }
