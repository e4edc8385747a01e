"""Storing imported annotations, inside the import's one transaction.

Each `AnnotationIn` lands in the annotation set of its annotator on its document. Several
records of one run for the same (document, annotator) merge — a Prodigy file holds an
`accept` record and binary `reject` records for the same text — and a span already added in
the run is not added twice. Work that already exists in the project is never merged into:
such a record is a problem naming where it came from, and the run stores nothing.

Spans and claims are gathered and inserted a batch at a time (`flush`, after each batch of
documents): one INSERT per span made an import of 150,000 spans several times slower.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.importers.annotations import AnnotationIn, ClaimIn, SpanIn
from annotator.core.importers.records import DocumentRecord, Problem
from annotator.core.invariants import standing_overlaps, stands
from annotator.core.store import Store
from annotator.core.store.spans import NewSpan

# A set's status after merging: a finished record wins over a skipped one, which wins over
# the default.
_PRECEDENCE = {"done": 3, "skipped": 2, "flagged": 1, "in_progress": 1, "todo": 0}


class _Ref:
    """A span of the run: its id once its batch is stored."""

    __slots__ = ("id",)

    def __init__(self) -> None:
        self.id: int | None = None


class AnnotationWriter:
    def __init__(self, store: Store, schema_hash: str, importing_annotator: str):
        self.store = store
        self.schema_hash = schema_hash
        self.importing = importing_annotator
        self.spans: dict[tuple[str, str], dict[tuple[int, int, str, str], _Ref]] = {}
        self.entities: dict[tuple[str, str], list[SpanIn]] = {}  # the standing ones
        self.counts: Counter[str] = Counter()
        self._new_spans: list[tuple[_Ref, NewSpan]] = []
        self._new_claims: list[tuple[int, _Ref, _Ref | None, _Ref | None, ClaimIn]] = []

    def write(self, record: DocumentRecord, ann: AnnotationIn) -> Problem | None:
        annotator = ann.annotator or self.importing
        key = (record.id, annotator)
        store = self.store
        if key not in self.spans:
            existing = store.sets.find(record.id, annotator)
            if existing is not None and (existing.status != "todo"
                                         or store.spans.for_set(existing.id)):
                return Problem(record.origin, f"annotator {annotator!r} already has work on "
                               "this document in the project; imported annotations are never "
                               "merged into it")
            self.spans[key] = {}
            self.entities[key] = []
            self.counts["sets"] += 1
        known = self.spans[key]
        clash = _overlap(ann, self.entities[key])
        if clash:
            return Problem(record.origin, f"entity {clash} overlaps an entity of an earlier "
                                          f"record for the same document and annotator")
        aset = store.sets.ensure(record.id, annotator, self.schema_hash)
        for span in ann.spans:
            self._span(aset.id, span, ann.origin, known)
            if stands(span):
                self.entities[key].append(span)
        for claim in ann.claims:
            content = self._new(aset.id, claim.content, "claim", ann.origin)
            source, cue = (self._span(aset.id, part, ann.origin, known) if part else None
                           for part in (claim.source, claim.cue))
            self._new_claims.append((aset.id, content, source, cue, claim))
            self.counts["claims"] += 1
        changes = {}
        if ann.status and _PRECEDENCE[ann.status] >= _PRECEDENCE.get(aset.status, 0):
            changes["status"] = ann.status
        if ann.cats is not None:
            changes["cats"] = ann.cats
        if changes:
            store.sets.update(aset.id, **changes)
        return None

    def _span(self, set_id: int, span: SpanIn, origin: str,
              known: dict[tuple[int, int, str, str], _Ref]) -> _Ref:
        key = (span.start, span.end, span.layer, span.label)
        if key not in known:
            known[key] = self._new(set_id, span, span.layer, origin, span.state)
        return known[key]

    def _new(self, set_id: int, span: SpanIn, layer: str, origin: str,
             state: str = "accepted") -> _Ref:
        ref = _Ref()
        self._new_spans.append((ref, (set_id, span.start, span.end, layer, span.label, origin,
                                      state)))
        self.counts["spans"] += 1
        return ref

    def flush(self) -> None:
        """Store the spans and claims gathered since the last flush."""
        ids = self.store.spans.add_many([row for _, row in self._new_spans])
        for (ref, _), span_id in zip(self._new_spans, ids):
            ref.id = span_id
        self.store.claims.add_many(
            (set_id, content.id, source and source.id, cue and cue.id, claim.type,
             claim.attributes)
            for set_id, content, source, cue, claim in self._new_claims)
        self._new_spans, self._new_claims = [], []


def _overlap(ann: AnnotationIn, standing: list[SpanIn]) -> str | None:
    """A standing entity of `ann` overlapping one already stored in the run, other than
    itself repeated (the same offsets and label, stored once)."""
    for span in ann.spans:
        if stands(span) and any((s.start, s.end, s.label) != (span.start, span.end, span.label)
                                for s in standing_overlaps(standing, span.start, span.end)):
            return f"{span.label} {span.start}:{span.end}"
    return None
