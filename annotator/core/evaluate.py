"""Score suggestions against hand-annotated gold: entities per label, claims by content span.

Why these measures: an annotator accepts an entity only when its boundaries and label are right,
so entities are scored by exact match of (start, end, label). A claim whose content is roughly
right is still a useful suggestion (the annotator drags an edge), so claims are scored both by
exact and by overlapping content spans; source, cue and type are then judged on the claims that
were found.

Definitions (counts are summed over documents, then turned into ratios — micro averages):
- entities: a prediction is a true positive when a gold span has the same start, end and label;
  each gold span is used once. Precision = TP / predicted, recall = TP / gold, F1 their harmonic
  mean; a ratio with a zero denominator is 0.
- entities, overlap (a secondary figure): same label and overlapping boundaries, one-to-one.
- claims, exact: the predicted content has the same start and end as a gold content.
- claims, overlap: predicted and gold contents share at least one character; the pairing is
  one-to-one and as large as possible (maximum bipartite matching), preferring the closest
  partners (overlap / union).
- source accuracy: of the overlap-matched pairs, the fraction whose sources agree — both absent,
  or both present and overlapping. Cue accuracy and type accuracy likewise (type: equal).

Gold records have the dev-set shape (tests/data/devset.jsonl), predictions the suggestion
payload shape (`{"spans": [...], "claims": [...]}`); see the shared brief.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Interval = tuple[int, int]


@dataclass(frozen=True)
class Counts:
    """True positives against the number predicted and the number in the gold standard."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.predicted + other.predicted,
                      self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Ratio:
    """Hits out of a total (accuracy over matched claims)."""

    hits: int = 0
    total: int = 0

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.hits + other.hits, self.total + other.total)

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True)
class ClaimScores:
    exact: Counts = Counts()
    overlap: Counts = Counts()
    source: Ratio = Ratio()
    cue: Ratio = Ratio()
    type: Ratio = Ratio()

    def __add__(self, other: ClaimScores) -> ClaimScores:
        return ClaimScores(self.exact + other.exact, self.overlap + other.overlap,
                           self.source + other.source, self.cue + other.cue,
                           self.type + other.type)


@dataclass(frozen=True)
class Scores:
    entities: dict[str, Counts] = field(default_factory=dict)
    claims: ClaimScores = ClaimScores()
    entities_overlap: Counts = Counts()

    def __add__(self, other: Scores) -> Scores:
        def get(scores: Scores, label: str) -> Counts:
            return scores.entities.get(label, Counts())

        labels = sorted(self.entities.keys() | other.entities.keys())
        return Scores({label: get(self, label) + get(other, label) for label in labels},
                      self.claims + other.claims, self.entities_overlap + other.entities_overlap)

    @property
    def entities_micro(self) -> Counts:
        return sum(self.entities.values(), Counts())


class InvalidRecord(ValueError):
    """A gold record or a prediction without the expected fields; the message names the field."""


def _interval(value: object, where: str) -> Interval:
    if (not isinstance(value, Mapping) or not isinstance(value.get("start"), int)
            or not isinstance(value.get("end"), int) or value["start"] > value["end"]):
        raise InvalidRecord(f"{where}: expected {{'start': int, 'end': int}} with start <= end, "
                            f"got {value!r}")
    return value["start"], value["end"]


def _optional(value: object, where: str) -> Interval | None:
    return None if value is None else _interval(value, where)


def _overlaps(a: Interval | None, b: Interval | None) -> bool:
    """At least one character in common (an empty span overlaps nothing)."""
    return a is not None and b is not None and max(a[0], b[0]) < min(a[1], b[1])


def _agree(a: Interval | None, b: Interval | None) -> bool:
    return (a is None and b is None) or _overlaps(a, b)


def _spans(spans: Iterable[Mapping], name: str) -> Counter:
    """(start, end, label) of each span, counted (the same span twice counts twice)."""
    out: Counter = Counter()
    for i, span in enumerate(spans):
        if not isinstance(span, Mapping) or not isinstance(span.get("label"), str):
            raise InvalidRecord(f"{name}[{i}].label: expected a string in {span!r}")
        out[(*_interval(span, f"{name}[{i}]"), span["label"])] += 1
    return out


def parts_agree(gold: Mapping | None, predicted: Mapping | None) -> bool:
    """The rule for sources and cues: both absent, or both present and overlapping."""
    return _agree(_optional(gold, "gold"), _optional(predicted, "predicted"))


def score_entities(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> dict[str, Counts]:
    """Per-label counts by exact match of (start, end, label)."""
    gold_keys, predicted_keys = _spans(gold, "gold spans"), _spans(predicted, "predicted spans")
    hits = gold_keys & predicted_keys

    def count(keys: Counter, label: str) -> int:
        return sum(n for key, n in keys.items() if key[2] == label)

    labels = sorted({key[2] for key in gold_keys} | {key[2] for key in predicted_keys})
    return {label: Counts(count(hits, label), count(predicted_keys, label), count(gold_keys, label))
            for label in labels}


def _jaccard(a: Interval, b: Interval) -> float:
    return (min(a[1], b[1]) - max(a[0], b[0])) / (max(a[1], b[1]) - min(a[0], b[0]))


def match_overlapping(gold: Sequence[Interval],
                      predicted: Sequence[Interval]) -> list[tuple[int, int]]:
    """A largest one-to-one pairing of overlapping intervals, as (gold index, predicted index).

    Augmenting paths (Kuhn's algorithm): a greedy pairing can use up the one gold span a
    later prediction could have matched, and so under-count. Among the pairings of that size
    it leans to the closest partners: candidates are ranked by overlap / union (an identical
    span first), and a free candidate is taken before an owned one is asked to move — else a
    nested claim ("Reuters reported that [Damascus believes …]") could swap partners with the
    claim around it and be judged on the wrong source.
    """
    candidates = [sorted((p for p, q in enumerate(predicted) if _overlaps(g, q)),
                         key=lambda p: (-_jaccard(g, predicted[p]), p))
                  for g in gold]
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(g: int, seen: set[int]) -> bool:
        free = next((p for p in candidates[g] if p not in owner and p not in seen), None)
        if free is not None:
            seen.add(free)
            owner[free] = g
            return True
        for p in candidates[g]:
            if p in seen:
                continue
            seen.add(p)
            if augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(len(gold)):
        augment(g, set())
    return sorted((g, p) for p, g in owner.items())


def entity_overlap(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> Counts:
    """Micro counts where a hit needs the same label and overlapping boundaries (one-to-one):
    beside the exact figure, it shows how many errors are boundaries only ("the United States"
    against "United States")."""
    gold_keys, predicted_keys = _spans(gold, "gold spans"), _spans(predicted, "predicted spans")

    def intervals(keys: Counter, label: str) -> list[Interval]:
        return [key[:2] for key, n in sorted(keys.items()) if key[2] == label for _ in range(n)]

    labels = {key[2] for key in gold_keys} & {key[2] for key in predicted_keys}
    hits = sum(len(match_overlapping(intervals(gold_keys, label), intervals(predicted_keys, label)))
               for label in labels)
    return Counts(hits, sum(predicted_keys.values()), sum(gold_keys.values()))


@dataclass(frozen=True)
class _Claim:
    type: str | None
    content: Interval
    source: Interval | None
    cue: Interval | None


def _claims(claims: Iterable[Mapping], name: str) -> list[_Claim]:
    out = []
    for i, claim in enumerate(claims):
        where = f"{name}[{i}]"
        if not isinstance(claim, Mapping):
            raise InvalidRecord(f"{where}: expected an object, got {claim!r}")
        out.append(_Claim(claim.get("type"), _interval(claim.get("content"), f"{where}.content"),
                          _optional(claim.get("source"), f"{where}.source"),
                          _optional(claim.get("cue"), f"{where}.cue")))
    return out


def matched_claims(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> list[tuple[int, int]]:
    """The overlap pairing of gold and predicted claims (indices), for listing misses."""
    g, p = _claims(gold, "gold claims"), _claims(predicted, "predicted claims")
    return match_overlapping([c.content for c in g], [c.content for c in p])


def score_claims(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> ClaimScores:
    g, p = _claims(gold, "gold claims"), _claims(predicted, "predicted claims")
    exact_hits = sum((Counter(c.content for c in g) & Counter(c.content for c in p)).values())
    pairs = match_overlapping([c.content for c in g], [c.content for c in p])
    return ClaimScores(
        exact=Counts(exact_hits, len(p), len(g)),
        overlap=Counts(len(pairs), len(p), len(g)),
        source=Ratio(sum(_agree(g[i].source, p[j].source) for i, j in pairs), len(pairs)),
        cue=Ratio(sum(_agree(g[i].cue, p[j].cue) for i, j in pairs), len(pairs)),
        type=Ratio(sum(g[i].type == p[j].type for i, j in pairs), len(pairs)),
    )


def score_document(gold: Mapping, predicted: Mapping) -> Scores:
    """Scores of one document: a gold record (dev-set shape) against a suggestion payload."""
    gold_spans, predicted_spans = gold.get("spans", []), predicted.get("spans", [])
    return Scores(score_entities(gold_spans, predicted_spans),
                  score_claims(gold.get("claims", []), predicted.get("claims", [])),
                  entity_overlap(gold_spans, predicted_spans))


def score_documents(pairs: Iterable[tuple[Mapping, Mapping]]) -> Scores:
    """Counts summed over (gold record, payload) pairs."""
    return sum((score_document(g, p) for g, p in pairs), Scores())


def read_devset(path: Path) -> list[dict]:
    """Gold records from a dev-set JSONL file; a malformed line is named by file and line."""
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidRecord(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InvalidRecord(f"{where}: text: expected a string")
        for key in ("spans", "claims"):
            if not isinstance(record.get(key), list):
                raise InvalidRecord(f"{where}: {key}: expected a list")
        try:
            _spans(record["spans"], "spans")
            _claims(record["claims"], "claims")
        except InvalidRecord as exc:
            raise InvalidRecord(f"{where}: {exc}") from None
        records.append(record)
    return records
