"""The running sums of one agreement measurement (docs/architecture.md, "Agreement"):
document by document, for every pair of annotators and over all annotators of a document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from annotator.core.store.agreement import ComparedDocument, FinishedSet
from annotator.core.team.alpha_u import UnitizingAlpha
from annotator.core.team.nominal import NominalAlpha
from annotator.core.team.pair import PairTally, Side, compare_entities, value
from annotator.core.team.token_labels import TokenIndex
from annotator.core.tokens import DocTokens


class Run:
    """The running sums of one measurement."""

    def __init__(self, annotators: Sequence[str], labels: list[str] | None,
                 groups: Sequence[str]):
        self.annotators = list(annotators)
        self.only = set(labels) if labels is not None else None
        self.labels: set[str] = set(labels or ())
        self.groups = groups
        self.documents = 0
        self.pairs: dict[tuple[str, str], PairTally] = {}
        self.alpha_u = UnitizingAlpha()
        self.nominal = {group: NominalAlpha() for group in groups}
        self.per_document: list[dict[str, Any]] = []

    def add(self, document: ComparedDocument, sets: list[FinishedSet], tokens: DocTokens
            ) -> None:
        self.documents += 1
        only = self.only
        spans = [list(map(tuple, s.entities)) if only is None else
                 [(e[0], e[1], e[2]) for e in s.entities if e[2] in only] for s in sets]
        index = TokenIndex(tokens, ((e[0], e[1]) for found in spans for e in found))
        sides = [Side.of(found, index.of(found), index.count) for found in spans]
        units: dict[str, list[list[tuple[int, int]]]] = defaultdict(list)
        for side in sides:
            self.labels.update(side.labels)
            mine: dict[str, list[tuple[int, int]]] = {}
            for start, end, label in side.spans:
                found = mine.get(label)
                if found is None:
                    mine[label] = [(start, end)]
                else:
                    found.append((start, end))
            for label, found in mine.items():
                units[label].append(found)
        self.alpha_u.add_document(document.length, len(sets), units)
        for group in self.groups:
            self.nominal[group].add_unit(value(s.cats, group) for s in sets)
        agreed = compared = 0
        for (x, side_x), (y, side_y) in combinations(zip(sets, sides), 2):
            tally = self.pairs.get((x.annotator, y.annotator))
            if tally is None:
                tally = self.pairs[(x.annotator, y.annotator)] = PairTally(x.annotator,
                                                                           y.annotator)
            found = compare_entities(side_x, side_y)
            tally.add_entities(found, side_x, side_y)
            for label, disagreement in found.disagreement.items():
                self.alpha_u.add_observed(label, disagreement)
            matched = tally.add_claims(x.claims, y.claims)
            tally.add_doc_labels(self.groups, x.cats, y.cats)
            agreed += 2 * (sum(found.overlap.values()) + matched)
            compared += (len(side_x.spans) + len(side_y.spans) + len(x.claims)
                         + len(y.claims))
        self.per_document.append({
            "doc_id": document.id, "title": document.title,
            "annotators": [s.annotator for s in sets],
            "score": agreed / compared if compared else 1.0,
            "entities": sum(len(side.spans) for side in sides),
            "claims": sum(len(s.claims) for s in sets)})

    def result(self) -> dict[str, Any]:
        labels = sorted(self.labels)
        overall, per_label = self.alpha_u.result(labels)
        self.per_document.sort(key=lambda d: (d["score"], d["doc_id"]))
        return {
            "documents": self.documents,
            "annotators": self.annotators,
            "pairs": [tally.result(labels) for _, tally in sorted(self.pairs.items())],
            "alpha_u": {"overall": overall, "per_label": per_label},
            "doc_labels": {"alpha": {group: alpha.result() for group, alpha
                                     in self.nominal.items() if alpha.used}},
            "per_document": self.per_document,
        }

