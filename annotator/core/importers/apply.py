"""Storing imported annotations, inside the import's one transaction.

Each `AnnotationIn` lands in the annotation set of its annotator on its document. Several
records of one run for the same (document, annotator) make one set, by the rules the
Prodigy reader states: a span decided on two records keeps the latest decision (by
`_timestamp`, else file order) and the conflict is reported with both lines; a decision
replaces a suggestion, never the reverse; the set's status is the strongest any record
gives (`annotations.EXACT` … `SKIPPED`); document labels add up (an exclusive one keeps
the latest); the set was last changed when its latest record was decided (`_timestamp`),
not when it was imported, so an export writes the source's time back. A suggestion never lies over an entity of the set: it is skipped and counted,
as the suggester does (`annotator.core.invariants`). Work that already exists in the
project is never merged into: such a record is a problem naming where it came from, and the
run stores nothing. Every check runs before a record writes, so a refused record leaves
nothing behind even when the rest of the run is stored (`--skip-invalid`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from annotator.core.importers.annotations import FINISHED, AnnotationIn, SpanIn
from annotator.core.importers.records import DocumentRecord, Problem
from annotator.core.invariants import REJECTED, first_overlap, overlap
from annotator.core.schema import Schema
from annotator.core.store import Store

SUGGESTED = "suggested"
SpanKey = tuple[int, int, str, str]  # start, end, layer, label


@dataclass(frozen=True)
class _Decision:
    span_id: int
    state: str
    order: tuple[float | None, int]  # (_timestamp, place in the run)
    origin: str  # "file:line" of the record that decided


class AnnotationWriter:
    def __init__(self, store: Store, schema: Schema, importing_annotator: str, *,
                 as_done: bool = False):
        self.store = store
        self.schema = schema
        self.importing = importing_annotator
        self.as_done = as_done
        self.decided: dict[tuple[str, str], dict[SpanKey, _Decision]] = {}
        self.ranks: dict[tuple[str, str], int] = {}
        self.cats: dict[tuple[str, str], dict[str, Any]] = {}
        self.decided_at: dict[tuple[str, str], float] = {}
        self.counts: Counter[str] = Counter()
        self.warnings: list[str] = []
        self.notes: Counter[str] = Counter()
        self.set_ids: set[int] = set()
        self.seq = 0

    def write(self, record: DocumentRecord, ann: AnnotationIn) -> Problem | None:
        annotator = ann.annotator or self.importing
        key = (record.id, annotator)
        store = self.store
        if key not in self.decided:
            existing = store.sets.find(record.id, annotator)
            if existing is not None and (existing.status != "todo"
                                         or store.spans.for_set(existing.id)):
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
            self.counts["sets"] += 1
            self.counts["credited"] += ann.annotator is None
        self.warnings += conflicts
        self.counts["conflicts"] += len(conflicts)
        if skipped:
            self.notes["suggestion(s) lying over an entity of the set not imported"] += skipped
        aset = store.sets.ensure(record.id, annotator, self.schema.hash)
        self.set_ids.add(aset.id)
        for span, prior in plan:
            k = _key(span)
            if prior is None:
                span_id = store.spans.add(aset.id, span.start, span.end, layer=span.layer,
                                          label=span.label, origin=ann.origin, state=span.state,
                                          score=span.score).id
                self.counts["spans"] += 1
                self.counts["suggested"] += span.state == SUGGESTED
                decided[k] = _Decision(span_id, span.state, order, record.origin)
            else:
                fields: dict[str, Any] = {"state": span.state}
                if span.score is not None:
                    fields["score"] = span.score
                store.spans.update(prior.span_id, **fields)
                decided[k] = replace(prior, state=span.state, order=order, origin=record.origin)
        for claim in ann.claims:
            content = store.spans.add(aset.id, claim.content.start, claim.content.end,
                                      layer="claim", label=claim.content.label,
                                      origin=ann.origin, state="accepted")
            self.counts["spans"] += 1
            source, cue = (self._part(aset.id, part, ann.origin, decided, order, record.origin)
                           if part else None for part in (claim.source, claim.cue))
            store.claims.add(aset.id, content.id, type=claim.type, source_span_id=source,
                             cue_span_id=cue, attributes=claim.attributes)
            self.counts["claims"] += 1
        changes: dict[str, Any] = {}
        if ann.status and ann.status_rank >= self.ranks.get(key, 0):
            changes["status"] = ann.status
            self.ranks[key] = ann.status_rank
        if ann.cats:
            self.cats[key] = self._merged(self.cats.get(key, {}), ann.cats)
            changes["cats"] = self.cats[key]
        if ann.timestamp is not None:
            self.decided_at[key] = max(self.decided_at.get(key, ann.timestamp), ann.timestamp)
        if key in self.decided_at:
            changes["updated_at"] = _iso(self.decided_at[key])
        if changes:
            store.sets.update(aset.id, **changes)
        return None

    def made_under(self, schema_hash: str) -> None:
        """Record the run's sets as made under another schema (one the run extended)."""
        for set_id in self.set_ids:
            self.store.sets.update(set_id, schema_hash=schema_hash)

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

    def _part(self, set_id: int, span: SpanIn, origin: str, decided: dict[SpanKey, _Decision],
              order: tuple[float | None, int], where: str) -> int:
        """A claim's source or cue, stored once however many claims point at it."""
        k = _key(span)
        if k not in decided:
            span_id = self.store.spans.add(set_id, span.start, span.end, layer=span.layer,
                                           label=span.label, origin=origin,
                                           state=span.state).id
            self.counts["spans"] += 1
            decided[k] = _Decision(span_id, span.state, order, where)
        return decided[k].span_id

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
