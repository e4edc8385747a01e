"""Planning an import's annotations, apart from the store.

Each `AnnotationIn` lands in the annotation set of its annotator on its document. Several
records of one run for the same (document, annotator) make one set, by the rules the
Prodigy reader states: a span decided on two records keeps the latest decision (by
`_timestamp`, else file order) and the conflict is reported with both lines; a decision
replaces a suggestion, never the reverse; the set's status is the strongest any record
gives (`annotations.EXACT` … `SKIPPED`); document labels add up (an exclusive one keeps
the latest); the set was last changed when its latest record was decided (`_timestamp`),
not when it was imported, so an export writes the source's time back; it keeps the
`_task_hash` of the record that gave it its status (latest on a tie), and is made under the
schema its records name when the import knows it (`Labels.under`), else the current one.
A suggestion never lies over an entity of the set: it is skipped and counted, as the
suggester does (`annotator.core.invariants`). Every check runs before a record is planned,
so a refused record plans nothing.

The planner knows nothing of the project: whether a set already holds work there is
checked where the plan is stored (`apply.py`), which refuses the whole set, and tells the
planner which sets it refused before the corpus memory is counted (`memory`). The plan is
made of plain tuples and dicts, a batch at a time, so that it can cross to another process
cheaply (`planning.py`): new spans are numbered in the run (their ids are given when their
batch is stored), and what a span was decided becomes its corpus memory here, from the
text in hand, instead of from the stored text after the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from annotator.core.importers.annotations import FINISHED, AnnotationIn, SpanIn
from annotator.core.importers.records import DocumentRecord
from annotator.core.invariants import REJECTED, first_overlap, overlap
from annotator.core.schema import Schema

SUGGESTED = "suggested"
ACCEPTED = "accepted"
SpanKey = tuple[int, int, str, str]  # start, end, layer, label
SetKey = tuple[str, str]  # doc_id, annotator
# A planned span: (number in its batch, start, end, layer, label, origin, state, score).
SpanRow = tuple[int, int, int, str, str, str, str, float | None]
# A memory row: (text, label, annotator, accepted, rejected).
MemoryRow = tuple[str, str, str, int, int]


@dataclass(slots=True)
class _NewSpan:
    """A span the run stores: changed in place until its batch is planned."""

    number: int  # in the run
    key: SetKey
    start: int
    end: int
    layer: str
    label: str
    origin: str
    state: str
    score: float | None
    text: str  # the words it covers: its corpus memory
    planned: bool = False  # handed on with its batch: later decisions are updates


@dataclass(frozen=True)
class _Decision:
    span: _NewSpan
    state: str
    order: tuple[float | None, int]  # (_timestamp, place in the run)
    origin: str  # "file:line" of the record that decided


@dataclass
class Outcome:
    """What one record's annotations came to: refused (`problem`), or what they add to the
    run's report."""

    origin: str
    key: SetKey
    problem: str | None
    counts: dict[str, int]  # sets, credited, spans, suggested, claims, conflicts
    warnings: list[str]
    notes: dict[str, int]  # a note on what was left out: how often


@dataclass
class SetPlan:
    """What a batch writes to one set."""

    schema_hash: str | None  # a set the batch makes: the schema it is made under
    spans: list[SpanRow] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class AnnotationBatch:
    """A batch's annotations as planned. Spans of earlier batches are named by their number
    in the run (`updates`, `claims`); this batch's new spans, in `sets`, are numbered `first`
    onwards."""

    outcomes: list[Outcome]
    sets: dict[SetKey, SetPlan]
    first: int
    updates: list[tuple[SetKey, int, dict[str, Any]]]
    claims: list[tuple[SetKey, int, int | None, int | None, str, dict[str, Any]]]


class AnnotationPlanner:
    def __init__(self, schema: Schema, importing_annotator: str, *, as_done: bool = False):
        self.schema = schema
        self.importing = importing_annotator
        self.as_done = as_done
        self.decided: dict[SetKey, dict[SpanKey, _Decision]] = {}
        self.ranks: dict[SetKey, int] = {}
        self.cats: dict[SetKey, dict[str, Any]] = {}
        self.decided_at: dict[SetKey, float] = {}
        self.task_ranks: dict[SetKey, int] = {}
        self.seq = 0
        self.numbered = 0  # spans numbered in the run
        self._first = 0  # the number of the batch's first new span
        self._new_spans: list[_NewSpan] = []
        self._sets: dict[SetKey, SetPlan] = {}
        self._updates: list[tuple[SetKey, int, dict[str, Any]]] = []
        self._claims: list[tuple[SetKey, int, int | None, int | None, str, dict[str, Any]]] = []

    def plan_batch(self, records: list[DocumentRecord]) -> AnnotationBatch:
        """Every record's annotations planned in order, and the batch's plan."""
        outcomes = [self.plan(record, ann) for record in records for ann in record.annotations]
        sets, self._sets = self._sets, {}
        for span in self._new_spans:
            span.planned = True
            sets[span.key].spans.append((span.number - self._first, span.start, span.end,
                                         span.layer, span.label, span.origin, span.state,
                                         span.score))
        batch = AnnotationBatch(outcomes, sets, self._first, self._updates, self._claims)
        self._first = self.numbered
        self._new_spans, self._updates, self._claims = [], [], []
        return batch

    def memory(self, refused: set[SetKey]) -> list[MemoryRow]:
        """The corpus memory of the run's decided entities, but for the sets the store
        refused: (text, label, annotator, accepted, rejected)."""
        rows: dict[tuple[str, str, str], list[int]] = {}
        for key, decisions in self.decided.items():
            if key in refused:
                continue
            for decision in decisions.values():
                span = decision.span
                if span.layer == "entity" and span.state in (ACCEPTED, REJECTED):
                    row = rows.setdefault((span.text, span.label, key[1]), [0, 0])
                    row[span.state == REJECTED] += 1
        return [(*key, accepted, rejected) for key, (accepted, rejected) in rows.items()]

    def plan(self, record: DocumentRecord, ann: AnnotationIn) -> Outcome:
        """Plan one record's annotations; handed on with the batch (`plan_batch`)."""
        annotator = ann.annotator or self.importing
        key = (record.id, annotator)
        counts: Counter[str] = Counter()
        notes: Counter[str] = Counter()
        ann = self._settled(ann, notes)
        decided = self.decided.get(key, {})
        self.seq += 1
        order = (ann.timestamp, self.seq)
        plan, conflicts, skipped = self._plan(record, ann, decided, order)
        if isinstance(plan, str):
            return Outcome(record.origin, key, plan, {}, [], dict(notes))
        if key not in self.decided:
            self.decided[key] = decided
            self._sets[key] = SetPlan(ann.schema_hash or self.schema.hash)
            counts["sets"] += 1
            counts["credited"] += ann.annotator is None
        set_plan = self._sets.setdefault(key, SetPlan(None))
        counts["conflicts"] += len(conflicts)
        if skipped:
            notes["suggestion(s) lying over an entity of the set not imported"] += skipped
        for span, prior in plan:
            k = _key(span)
            if prior is None:
                counts["suggested"] += span.state == SUGGESTED
                decided[k] = _Decision(self._new(key, span, ann.origin, record.text, counts),
                                       span.state, order, record.origin)
            else:
                self._decide_again(prior.span, span)
                decided[k] = replace(prior, state=span.state, order=order, origin=record.origin)
        for claim in ann.claims:
            content = self._new(key, replace(claim.content, layer="claim", state=ACCEPTED,
                                              score=None), ann.origin, record.text, counts)
            source, cue = (self._part(key, part, ann.origin, decided, order, record, counts)
                           if part else None for part in (claim.source, claim.cue))
            self._claims.append((key, content.number, source.number if source else None,
                                 cue.number if cue else None, claim.type, claim.attributes))
            counts["claims"] += 1
        self._changes(key, ann, set_plan.changes)
        return Outcome(record.origin, key, None, dict(counts), conflicts, dict(notes))

    def _changes(self, key: SetKey, ann: AnnotationIn, changes: dict[str, Any]) -> None:
        """The set's status, task hash, document labels and time, as this record leaves
        them."""
        if ann.status and ann.status_rank >= self.ranks.get(key, 0):
            changes["status"] = ann.status
            self.ranks[key] = ann.status_rank
        rank = ann.status_rank if ann.status else 0
        if ann.task_hash is not None and rank >= self.task_ranks.get(key, 0):
            changes["task_hash"] = ann.task_hash
            self.task_ranks[key] = rank
        if ann.cats:
            self.cats[key] = self._merged(self.cats.get(key, {}), ann.cats)
            changes["cats"] = self.cats[key]
        if ann.timestamp is not None:
            self.decided_at[key] = max(self.decided_at.get(key, ann.timestamp), ann.timestamp)
        if key in self.decided_at:
            changes["updated_at"] = _iso(self.decided_at[key])

    def _new(self, key: SetKey, span: SpanIn, origin: str, text: str,
             counts: Counter[str]) -> _NewSpan:
        new = _NewSpan(self.numbered, key, span.start, span.end, span.layer, span.label, origin,
                       span.state, span.score, text[span.start:span.end])
        self.numbered += 1
        self._new_spans.append(new)
        counts["spans"] += 1
        return new

    def _decide_again(self, stored: _NewSpan, span: SpanIn) -> None:
        """A later record's decision on a span the run already holds."""
        stored.state = span.state
        if span.score is not None:
            stored.score = span.score
        if stored.planned:  # handed on with an earlier batch
            fields: dict[str, Any] = {"state": span.state}
            if span.score is not None:
                fields["score"] = span.score
            self._updates.append((stored.key, stored.number, fields))

    def _settled(self, ann: AnnotationIn, notes: Counter[str]) -> AnnotationIn:
        """A model's output (no answer) as the user asked: finished work with `as_done`,
        else suggestions, without the document labels a suggestion cannot hold."""
        if not ann.pre_annotated:
            return ann
        if self.as_done:
            return replace(ann, status="done", status_rank=FINISHED, spans=[
                replace(s, state=ACCEPTED) if s.state == SUGGESTED else s for s in ann.spans])
        if ann.cats:
            notes["record(s) without an answer: their document labels not imported (only a "
                  "decision sets them; import with --as-done to take them as decided)"] += 1
            return replace(ann, cats=None)
        return ann

    def _plan(self, record: DocumentRecord, ann: AnnotationIn,
              decided: dict[SpanKey, _Decision], order: tuple[float | None, int]
              ) -> tuple[list[tuple[SpanIn, _Decision | None]] | str, list[str], int]:
        """What the record changes, checked before anything is planned: (span, the decision
        it replaces or None) pairs, conflict reports, suggestions skipped; or why the
        record is refused."""
        states = {k: d.state for k, d in decided.items()}
        plan: list[tuple[SpanIn, _Decision | None]] = []
        conflicts, skipped = [], 0
        for span in ann.spans:
            k = _key(span)
            prior = decided.get(k)
            if prior is None:
                if span.state == SUGGESTED and any(
                        layer == "entity" and overlap(s, e, span.start, span.end)
                        for (s, e, layer, _), _state in states.items()):
                    skipped += 1
                    continue
                plan.append((span, None))
                states[k] = span.state
            elif span.state not in (prior.state, SUGGESTED):
                later = _later(order, prior.order)
                if prior.state != SUGGESTED:
                    conflicts.append(_conflict(record, span, prior, later))
                if later:
                    plan.append((span, prior))
                    states[k] = span.state
        standing = sorted((s, e, label) for (s, e, layer, label), state in states.items()
                          if layer == "entity" and state != REJECTED)
        clash = first_overlap(standing)
        if clash:
            mine = {(s.start, s.end, s.label) for s, _ in plan}
            start, end, label = clash[0] if clash[0] in mine and clash[1] not in mine \
                else clash[1]
            return (f"entity {label} {start}:{end} overlaps an entity of an earlier record "
                    "for the same document and annotator"), [], 0
        return plan, conflicts, skipped

    def _part(self, key: SetKey, span: SpanIn, origin: str, decided: dict[SpanKey, _Decision],
              order: tuple[float | None, int], record: DocumentRecord,
              counts: Counter[str]) -> _NewSpan:
        """A claim's source or cue, stored once however many claims point at it."""
        k = _key(span)
        if k not in decided:
            decided[k] = _Decision(self._new(key, replace(span, score=None), origin, record.text,
                                             counts), span.state, order, record.origin)
        return decided[k].span

    def _merged(self, cats: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        """Document labels of several records: options of a non-exclusive label add up, an
        exclusive label keeps the latest record's."""
        out = dict(cats)
        exclusive = {d.name: (d.exclusive, d.options) for d in self.schema.document_labels}
        for name, value in new.items():
            is_exclusive, options = exclusive.get(name, (True, []))
            if is_exclusive or name not in out:
                out[name] = value
            else:
                out[name] = sorted({*out[name], *value}, key=options.index)
        return out


def _iso(timestamp: float) -> str:
    """A Prodigy `_timestamp` (seconds since 1970) in the store's format (`clock.now_iso`)."""
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="milliseconds")


def _key(span: SpanIn) -> SpanKey:
    return (span.start, span.end, span.layer, span.label)


def _later(order: tuple[float | None, int], prior: tuple[float | None, int]) -> bool:
    """Whether a decision comes after another: by `_timestamp` when both have one, else
    by their place in the run."""
    if order[0] is not None and prior[0] is not None and order[0] != prior[0]:
        return order[0] > prior[0]
    return order[1] > prior[1]


def _conflict(record: DocumentRecord, span: SpanIn, prior: _Decision, later: bool) -> str:
    text = record.text[span.start:span.end]
    kept = (record.origin, span.state) if later else (prior.origin, prior.state)
    return (f"{prior.origin} and {record.origin}: {span.label} {text!r} ({span.start}:"
            f"{span.end}) {prior.state} on the first, {span.state} on the second; the latest "
            f"decision holds: {kept[1]} ({kept[0]})")
