"""The three row-level ops everything else is built from: update, delete, add spans.

Deleting a span also removes (by the schema's cascade) a claim whose content it was, and
unlinks claims that used it as source or cue; undo puts all of that back, re-pointing handles.

Whatever makes an entity stand — an update, an undone delete, a (re)done add — first checks
that its place is free (`refuse_overlaps`), before anything is written: undo and redo may
come after other changes (another window, new suggestions), and then refuse rather than
leave two standing entities on the same words (`annotator.core.invariants`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from annotator.core.invariants import standing_overlaps, stands
from annotator.core.model import HUMAN, Claim, Span
from annotator.core.ops.base import Change, Handle, Op, OpError, Session, Target
from annotator.core.store import Store

PART_FIELDS = ("source_span_id", "cue_span_id")


class OverlapError(OpError):
    """An entity would overlap standing ones (listed in `spans`)."""

    def __init__(self, message: str, spans: list[Span]):
        super().__init__(message)
        self.spans = spans


def describe(text: str, spans: Sequence[Span]) -> str:
    """Spans as the annotator sees them: label, words and offsets."""
    return ", ".join(f"{s.label} '{text[s.start:s.end]}' ({s.start}:{s.end})" for s in spans)


def refuse_overlaps(store: Store, target: Target, placed: Sequence[Span], *,
                    update: Sequence[Span] = ()) -> None:
    """OverlapError unless the entities of `placed` that will stand keep clear of the set's
    other standing entities and of each other. In an update, `update` holds every edited
    span as it will be (`placed` among them): those stored rows are read as that."""
    placed = [s for s in placed if stands(s)]
    edited, moved = {s.id for s in update}, {s.id for s in placed}
    others = [s for s in update if s.id not in moved]
    for n, span in enumerate(placed):
        stored = store.spans.touching(target.set_id, span.start, span.end, layer="entity")
        clash = standing_overlaps([*(s for s in stored if s.id not in edited), *others,
                                   *placed[:n]], span.start, span.end)
        if clash:
            text = store.documents.text(target.doc_id)
            raise OverlapError(f"{describe(text, [span])} would overlap {describe(text, clash)}"
                               " standing there: reject or delete that first", clash)


class UpdateSpans(Op):
    """Set fields (state, label, offsets, ...) on several spans; undo restores the old values.

    `read`: the edited spans as the builder has just read them, in the order of `edits`; the
    first apply takes its "before" from them instead of reading them again (a round trip on a
    server). Gold cannot have changed meanwhile unseen: its version is checked on writing."""

    def __init__(self, session: Session, target: Target, edits: list[tuple[Handle, dict[str, Any]]],
                 action: str = "span.update", *, read: Sequence[Span] | None = None):
        super().__init__(session, target)
        self.action = action
        self.edits = edits
        self._before: list[tuple[Handle, dict[str, Any]]] = []
        self._read = list(read) if read is not None else None

    def payload(self) -> dict[str, Any]:
        return {"spans": [{"id": h.id, **fields} for h, fields in self.edits]}

    def _apply(self, store: Store) -> Change:
        current = self._read or [store.spans.get(h.require()) for h, _ in self.edits]
        self._read = None  # a redo reads them as they are then
        self._check(store, [(span, fields) for span, (_, fields) in zip(current, self.edits)])
        self._before = [(h, {k: getattr(span, k) for k in fields})
                        for span, (h, fields) in zip(current, self.edits)]
        for handle, fields in self.edits:
            store.spans.update(handle.require(), **fields)
        return Change({self.target.doc_id}, spans={h.require() for h, _ in self.edits},
                      counts={"spans": len(self.edits)})

    def _undo(self, store: Store) -> Change:
        self._check(store, [(store.spans.get(h.require()), fields) for h, fields in self._before])
        for handle, fields in reversed(self._before):
            store.spans.update(handle.require(), **fields)
        return Change({self.target.doc_id}, spans={h.require() for h, _ in self._before})

    def _check(self, store: Store, edits: list[tuple[Span, dict[str, Any]]]) -> None:
        """Refuse edits that make an entity stand (again, or elsewhere) where another
        stands; edits that leave its standing and place alone need no look."""
        placed = [replace(span, **fields) for span, fields in edits]
        moved = [after for (span, _), after in zip(edits, placed) if stands(after) and (
            not stands(span) or (span.start, span.end) != (after.start, after.end))]
        if moved:
            refuse_overlaps(store, self.target, moved, update=placed)


def _restore_span(store: Store, span: Span) -> int:
    return store.spans.add(span.set_id, span.start, span.end, layer=span.layer, label=span.label,
                           origin=span.origin, state=span.state, score=span.score,
                           attributes=span.attributes).id


class DeleteSpans(Op):
    """Delete spans (and the claims they are the content of); undo re-creates them all."""

    def __init__(self, session: Session, target: Target, handles: list[Handle],
                 action: str = "span.delete"):
        super().__init__(session, target)
        self.action = action
        self.handles = handles
        self._spans: list[tuple[Handle, Span]] = []
        self._claims: list[tuple[Handle, Claim, Handle, Handle | None, Handle | None]] = []
        self._links: list[tuple[Handle, str, Handle]] = []

    def payload(self) -> dict[str, Any]:
        return {"spans": [{"id": h.id, "start": s.start, "end": s.end, "layer": s.layer,
                           "label": s.label} for h, s in self._spans]}

    def _apply(self, store: Store) -> Change:
        session = self.session
        by_id = {h.require(): h for h in self.handles}
        self._spans = [(h, store.spans.get(span_id)) for span_id, h in by_id.items()]
        self._claims, self._links = [], []
        change = Change({self.target.doc_id}, removed_spans=set(by_id))
        for claim in store.claims.for_set(self.target.set_id):
            if claim.content_span_id in by_id:
                parts = [session.span(i) if i else None
                         for i in (claim.source_span_id, claim.cue_span_id)]
                self._claims.append((session.claim(claim.id), claim,
                                     by_id[claim.content_span_id], *parts))
                change.removed_claims.add(claim.id)
                continue
            for name in PART_FIELDS:
                if getattr(claim, name) in by_id:
                    self._links.append((session.claim(claim.id), name,
                                        by_id[getattr(claim, name)]))
                    change.claims.add(claim.id)
        for span_id in by_id:
            store.spans.delete(span_id)
        for handle, *_ in self._claims:
            session.retire(handle)
        for handle in by_id.values():
            session.retire(handle)
        return change

    def _undo(self, store: Store) -> Change:
        refuse_overlaps(store, self.target, [span for _, span in self._spans])
        change = Change({self.target.doc_id})
        for handle, span in self._spans:
            self.session.rebind(handle, _restore_span(store, span))
            change.spans.add(handle.require())
        for handle, claim, content, source, cue in self._claims:
            new = store.claims.add(claim.set_id, content.require(), type=claim.type,
                                   source_span_id=source.id if source else None,
                                   cue_span_id=cue.id if cue else None,
                                   attributes=claim.attributes)
            self.session.rebind(handle, new.id)
            change.claims.add(new.id)
        for claim_handle, name, span_handle in self._links:
            store.claims.update(claim_handle.require(), **{name: span_handle.require()})
            change.claims.add(claim_handle.require())
        return change


class AddSpan(Op):
    """Create one span (a human's, accepted by default); undo deletes it again."""

    action = "span.add"

    def __init__(self, session: Session, target: Target, start: int, end: int, *, layer: str,
                 label: str, origin: str = HUMAN, state: str = "accepted"):
        super().__init__(session, target)
        self.start, self.end = start, end
        self.fields = {"layer": layer, "label": label, "origin": origin, "state": state}
        self.handle: Handle | None = None

    def payload(self) -> dict[str, Any]:
        return {"id": self.handle.id if self.handle else None, "start": self.start,
                "end": self.end, **self.fields}

    def _apply(self, store: Store) -> Change:
        new = Span(0, self.target.set_id, self.start, self.end, **self.fields)  # no id yet
        refuse_overlaps(store, self.target, [new])
        span = store.spans.add(self.target.set_id, self.start, self.end, **self.fields)
        if self.handle is None:
            self.handle = self.session.span(span.id)
        else:
            self.session.rebind(self.handle, span.id)
        return Change({self.target.doc_id}, spans={span.id})

    def _undo(self, store: Store) -> Change:
        assert self.handle is not None
        span_id = self.handle.require()
        store.spans.delete(span_id)
        self.session.retire(self.handle)
        return Change({self.target.doc_id}, removed_spans={span_id})
