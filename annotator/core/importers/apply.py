"""Storing imported annotations, inside the import's one transaction.

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
suggester does (`annotator.core.invariants`). Work that already exists in the
project is never merged into: such a record is a problem naming where it came from, and the
run stores nothing. Every check runs before a record writes, so a refused record leaves
nothing behind even when the rest of the run is stored (`--skip-invalid`).

Records are planned one by one and stored a batch at a time (`write_batch`): the sets in
two statements, the spans and claims in one each (``COPY`` on a server), and the corpus
memory of the run's sets counted once at the end (`finish`) rather than by a trigger per
span. An import of 150,000 spans was mostly those single statements (docs/benchmarks.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from annotator.core.importers.annotations import FINISHED, AnnotationIn, ClaimIn, SpanIn
from annotator.core.importers.records import DocumentRecord, Problem
from annotator.core.invariants import REJECTED, first_overlap, overlap
from annotator.core.schema import Schema
from annotator.core.store import Store

SUGGESTED = "suggested"
SpanKey = tuple[int, int, str, str]  # start, end, layer, label


@dataclass(slots=True)
class _NewSpan:
    """A span the run stores: changed in place until its batch is stored, when it gets its
    id."""

    key: tuple[str, str]  # its set's (doc_id, annotator)
    start: int
    end: int
    layer: str
    label: str
    origin: str
    state: str
    score: float | None
    id: int | None = None


@dataclass(frozen=True)
class _Decision:
    span: _NewSpan
    state: str
    order: tuple[float | None, int]  # (_timestamp, place in the run)
    origin: str  # "file:line" of the record that decided


class AnnotationWriter:
    def __init__(self, store: Store, schema: Schema, importing_annotator: str, *,
                 as_done: bool = False,
                 known: Callable[[str], Schema | None] = lambda _hash: None):
        self.store = store
        self.schema = schema
        self.known = known  # the schemas records may name as made under (`Labels.under`)
        self.kept = {schema.hash}  # the schemas the project holds for the run's sets
        self.importing = importing_annotator
        self.as_done = as_done
        self.decided: dict[tuple[str, str], dict[SpanKey, _Decision]] = {}
        self.ranks: dict[tuple[str, str], int] = {}
        self.cats: dict[tuple[str, str], dict[str, Any]] = {}
        self.decided_at: dict[tuple[str, str], float] = {}
        self.task_ranks: dict[tuple[str, str], int] = {}
        self.made_in: dict[tuple[str, str], str] = {}  # each set's schema hash
        self.counts: Counter[str] = Counter()
        self.warnings: list[str] = []
        self.notes: Counter[str] = Counter()
        self.set_ids: dict[tuple[str, str], int] = {}
        self.seq = 0
        self.worked: set[tuple[str, str]] = set()  # sets of the batch's documents with work
        self.touched: set[tuple[str, str]] = set()  # sets the batch writes
        self.new_spans: list[_NewSpan] = []
        self.span_updates: list[tuple[int, dict[str, Any]]] = []  # spans of earlier batches
        self.claims: list[tuple[tuple[str, str], ClaimIn, _NewSpan, _NewSpan | None,
                                _NewSpan | None]] = []
        self.set_changes: dict[tuple[str, str], dict[str, Any]] = {}

    def write_batch(self, records: list[DocumentRecord]) -> list[Problem]:
        """Plan every record's annotations, then store the batch; the problems of the
        records refused (they store nothing)."""
        self.worked = self.store.sets.with_work({r.id for r in records if r.annotations})
        problems = [problem for record in records for ann in record.annotations
                    if (problem := self.write(record, ann)) is not None]
        self._flush()
        return problems

    def finish(self) -> None:
        """Count the run's decided entities into the corpus memory, before the run commits."""
        self.store.spans.count_deferred_memory()

    def write(self, record: DocumentRecord, ann: AnnotationIn) -> Problem | None:
        """Plan one record's annotations; stored by the batch's `_flush`."""
        annotator = ann.annotator or self.importing
        key = (record.id, annotator)
        if key not in self.decided and key in self.worked:
            return Problem(record.origin, f"annotator {annotator!r} already has work on "
                           "this document in the project; imported annotations are never "
                           "merged into it")
        ann = self._settled(ann)
        decided = self.decided.get(key, {})
        self.seq += 1
        order = (ann.timestamp, self.seq)
        plan, conflicts, skipped = self._plan(record, ann, decided, order)
        if isinstance(plan, Problem):
            return plan
        if key not in self.decided:
            self.decided[key] = decided
            self.made_in[key] = ann.schema_hash or self.schema.hash
            self.counts["sets"] += 1
            self.counts["credited"] += ann.annotator is None
        self.warnings += conflicts
        self.counts["conflicts"] += len(conflicts)
        if skipped:
            self.notes["suggestion(s) lying over an entity of the set not imported"] += skipped
        self.touched.add(key)
        for span, prior in plan:
            k = _key(span)
            if prior is None:
                self.counts["suggested"] += span.state == SUGGESTED
                decided[k] = _Decision(self._new(key, span, ann.origin), span.state, order,
                                       record.origin)
            else:
                self._decide_again(prior.span, span)
                decided[k] = replace(prior, state=span.state, order=order, origin=record.origin)
        for claim in ann.claims:
            content = self._new(key, replace(claim.content, layer="claim", state="accepted",
                                              score=None), ann.origin)
            source, cue = (self._part(key, part, ann.origin, decided, order, record.origin)
                           if part else None for part in (claim.source, claim.cue))
            self.claims.append((key, claim, content, source, cue))
            self.counts["claims"] += 1
        changes: dict[str, Any] = {}
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
        if changes:
            self.set_changes.setdefault(key, {}).update(changes)
        return None

    def made_under(self, schema_hash: str) -> None:
        """Record the run's sets made under the current schema as made under the one the run
        extended it to."""
        self.store.sets.update_many({set_id: {"schema_hash": schema_hash}
                                     for key, set_id in self.set_ids.items()
                                     if self.made_in[key] == self.schema.hash})

    def _new(self, key: tuple[str, str], span: SpanIn, origin: str) -> _NewSpan:
        new = _NewSpan(key, span.start, span.end, span.layer, span.label, origin, span.state,
                       span.score)
        self.new_spans.append(new)
        self.counts["spans"] += 1
        return new

    def _decide_again(self, stored: _NewSpan, span: SpanIn) -> None:
        """A later record's decision on a span the run already holds."""
        stored.state = span.state
        if span.score is not None:
            stored.score = span.score
        if stored.id is not None:  # stored with an earlier batch
            fields: dict[str, Any] = {"state": span.state}
            if span.score is not None:
                fields["score"] = span.score
            self.span_updates.append((stored.id, fields))

    def _flush(self) -> None:
        """Store what the batch planned: its sets (the new ones' corpus memory deferred to
        `finish`), spans, later decisions on earlier spans, claims, then set changes."""
        store = self.store
        fresh = sorted(self.touched - self.set_ids.keys())
        for schema_hash in sorted({self.made_in[key] for key in fresh}):
            self._keep(schema_hash)
            made = [key for key in fresh if self.made_in[key] == schema_hash]
            ids = store.sets.ensure_many(made, schema_hash)
            store.spans.defer_memory([ids[key] for key in made])
            self.set_ids.update(ids)
        for new, span_id in zip(self.new_spans, store.spans.new_ids(len(self.new_spans))):
            new.id = span_id
        if self.new_spans:
            store.spans.insert_many([
                (s.id, self.set_ids[s.key], s.start, s.end, s.layer, s.label, s.origin,
                 s.state, s.score) for s in self.new_spans])
        for span_id, fields in self.span_updates:
            store.spans.update(span_id, **fields)
        if self.claims:
            store.claims.insert_many([
                (self.set_ids[key], content.id, source.id if source else None,
                 cue.id if cue else None, claim.type, claim.attributes)
                for key, claim, content, source, cue in self.claims])
        if self.set_changes:
            store.sets.update_many({self.set_ids[key]: changes
                                    for key, changes in self.set_changes.items()})
        self.touched, self.new_spans, self.span_updates = set(), [], []
        self.claims, self.set_changes = [], {}

    def _keep(self, schema_hash: str) -> None:
        """The project holds the schema a set is made under: an earlier one the project
        replaced, or one an export's manifest brought, kept without becoming current."""
        if schema_hash in self.kept:
            return
        schema = self.known(schema_hash)
        assert schema is not None  # a record is read under a stated schema only when known
        self.store.settings.keep_schema(schema.hash, schema.name, schema.version,
                                        schema.model_dump(mode="json"))
        self.kept.add(schema_hash)

    def _settled(self, ann: AnnotationIn) -> AnnotationIn:
        """A model's output (no answer) as the user asked: finished work with `as_done`,
        else suggestions, without the document labels a suggestion cannot hold."""
        if not ann.pre_annotated:
            return ann
        if self.as_done:
            return replace(ann, status="done", status_rank=FINISHED, spans=[
                replace(s, state="accepted") if s.state == SUGGESTED else s for s in ann.spans])
        if ann.cats:
            self.notes["record(s) without an answer: their document labels not imported "
                       "(only a decision sets them; import with --as-done to take them as "
                       "decided)"] += 1
            return replace(ann, cats=None)
        return ann

    def _plan(self, record: DocumentRecord, ann: AnnotationIn,
              decided: dict[SpanKey, _Decision], order: tuple[float | None, int]
              ) -> tuple[list[tuple[SpanIn, _Decision | None]] | Problem, list[str], int]:
        """What the record changes, checked before anything is written: (span, the decision
        it replaces or None) pairs, conflict reports, suggestions skipped."""
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
            return Problem(record.origin, f"entity {label} {start}:{end} overlaps an entity of "
                                          "an earlier record for the same document and "
                                          "annotator"), [], 0
        return plan, conflicts, skipped

    def _part(self, key: tuple[str, str], span: SpanIn, origin: str,
              decided: dict[SpanKey, _Decision], order: tuple[float | None, int],
              where: str) -> _NewSpan:
        """A claim's source or cue, stored once however many claims point at it."""
        k = _key(span)
        if k not in decided:
            decided[k] = _Decision(self._new(key, replace(span, score=None), origin),
                                   span.state, order, where)
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
