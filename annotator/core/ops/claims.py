"""Claim edits: a selection becomes a claim; its source and cue come from a selection or an
existing span (a source is often an entity already marked); its type is set or cycled.

A claim's content, source and cue are spans of the layers `claim`, `source` and `cue` (the
content span is labelled with the claim type, source and cue spans `SOURCE` / `CUE`, as the
suggester stores them). A source/cue span made for one claim goes away with it when replaced or when the claim is
deleted; an entity linked as a source stays an entity.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.model import CUE_LABEL, HUMAN, SOURCE_LABEL, Claim
from annotator.core.ops.base import (Change, Handle, Macro, Op, OpError, Session, Target,
                                     owned_row)
from annotator.core.ops.rows import AddSpan, DeleteSpans, UpdateSpans
from annotator.core.ops.spans import _span, snap_selection
from annotator.core.store import Store
from annotator.core.tokens import Token

PART_LABELS = {"source": SOURCE_LABEL, "cue": CUE_LABEL}
ROLES = ("source", "cue")
QUOTES = "\"'“”‘’«»„"


class MakeClaim(Op):
    """A new claim with a new content span; undo deletes both."""

    action = "claim.add"

    def __init__(self, session: Session, target: Target, start: int, end: int, type: str):
        super().__init__(session, target)
        self.start, self.end, self.type = start, end, type
        self.span: Handle | None = None
        self.claim: Handle | None = None

    def payload(self) -> dict[str, Any]:
        return {"claim": self.claim.id if self.claim else None, "start": self.start,
                "end": self.end, "type": self.type}

    def _apply(self, store: Store) -> Change:
        span = store.spans.add(self.target.set_id, self.start, self.end, layer="claim",
                               label=self.type, origin=HUMAN, state="accepted")
        claim = store.claims.add(self.target.set_id, span.id, type=self.type)
        if self.span is None or self.claim is None:
            self.span, self.claim = self.session.span(span.id), self.session.claim(claim.id)
        else:
            self.session.rebind(self.span, span.id)
            self.session.rebind(self.claim, claim.id)
        return Change({self.target.doc_id}, spans={span.id}, claims={claim.id})

    def _undo(self, store: Store) -> Change:
        assert self.span is not None and self.claim is not None
        span_id, claim_id = self.span.require(), self.claim.require()
        store.spans.delete(span_id)  # the claim row goes with its content (ON DELETE CASCADE)
        self.session.retire(self.claim)
        self.session.retire(self.span)
        return Change({self.target.doc_id}, removed_spans={span_id}, removed_claims={claim_id})


class SetClaimPart(Op):
    """Point a claim's source or cue at a span (new from a selection, existing, or none)."""

    def __init__(self, session: Session, target: Target, claim: Handle, role: str, *,
                 span: Handle | None = None, new_range: tuple[int, int] | None = None):
        super().__init__(session, target)
        self.action = f"claim.{role}"
        self.claim, self.role, self.field = claim, role, f"{role}_span_id"
        self.span, self.new_range = span, new_range
        self._old: Handle | None = None
        self._add: AddSpan | None = None
        self._drop: DeleteSpans | None = None

    def payload(self) -> dict[str, Any]:
        linked = self._add.handle if self._add else self.span
        return {"claim": self.claim.id, "span": linked.id if linked else None,
                "range": list(self.new_range) if self.new_range else None}

    def _apply(self, store: Store) -> Change:
        claim = store.claims.get(self.claim.require())
        change = Change({self.target.doc_id}, claims={claim.id})
        old_id = getattr(claim, self.field)
        self._old = self.session.span(old_id) if old_id else None
        linked = self.span
        if self.new_range:
            self._add = self._add or AddSpan(self.session, self.target, *self.new_range,
                                             layer=self.role, label=PART_LABELS[self.role])
            change.merge(self._add._apply(store))
            linked = self._add.handle
        store.claims.update(claim.id, **{self.field: linked.require() if linked else None})
        self._drop = None
        if old_id and _orphaned(store, self.target, old_id, self.role):
            self._drop = DeleteSpans(self.session, self.target, [self._old])
            change.merge(self._drop._apply(store))
        return change

    def _undo(self, store: Store) -> Change:
        change = Change({self.target.doc_id})
        if self._drop:
            change.merge(self._drop._undo(store))
        store.claims.update(self.claim.require(),
                            **{self.field: self._old.require() if self._old else None})
        if self._add and self.new_range:
            change.merge(self._add._undo(store))
        change.claims.add(self.claim.require())
        return change


class UpdateClaim(Op):
    """Change a claim's type or attributes; undo restores the old values."""

    def __init__(self, session: Session, target: Target, claim: Handle, fields: dict[str, Any],
                 action: str = "claim.update"):
        super().__init__(session, target)
        self.action, self.claim, self.fields = action, claim, fields
        self._before: dict[str, Any] = {}

    def payload(self) -> dict[str, Any]:
        return {"claim": self.claim.id, **self.fields}

    def _apply(self, store: Store) -> Change:
        claim = store.claims.get(self.claim.require())
        self._before = {k: getattr(claim, k) for k in self.fields}
        store.claims.update(claim.id, **self.fields)
        return Change({self.target.doc_id}, claims={claim.id})

    def _undo(self, store: Store) -> Change:
        store.claims.update(self.claim.require(), **self._before)
        return Change({self.target.doc_id}, claims={self.claim.require()})


def _orphaned(store: Store, target: Target, span_id: int, role: str) -> bool:
    """A source/cue span made for claims (not an entity) that no claim uses any more."""
    if store.spans.get(span_id).layer != role:
        return False
    return not any(span_id in (c.source_span_id, c.cue_span_id)
                   for c in store.claims.for_set(target.set_id))


def _claim(store: Store, target: Target, claim_id: int) -> Claim:
    return owned_row(store.claims.get, target, claim_id, "claim")


def guess_type(text: str, start: int, end: int, types: Sequence[str]) -> str:
    """`direct_quote` when the selection sits in or includes quote marks, else `indirect`."""
    before = text[start - 1:start] if start else ""
    quoted = before in QUOTES or text[start:start + 1] in QUOTES or \
        text[end:end + 1] in QUOTES or text[end - 1:end] in QUOTES
    preferred = "direct_quote" if quoted else "indirect"
    return preferred if preferred in types else types[0]


def make_claim(session: Session, store: Store, target: Target, text: str, start: int, end: int,
               types: Sequence[str], *, type: str | None = None,
               tokens: Sequence[Token] | None = None) -> MakeClaim:
    start, end = snap_selection(store, target, text, start, end, tokens)
    if type is not None and type not in types:
        raise OpError(f"unknown claim type {type!r}; the schema has {list(types)}")
    return MakeClaim(session, target, start, end, type or guess_type(text, start, end, types))


def set_claim_part(session: Session, store: Store, target: Target, claim_id: int, role: str, *,
                   span_id: int | None = None, selection: tuple[int, int] | None = None,
                   text: str | None = None, tokens: Sequence[Token] | None = None) -> Op:
    """Source/cue from an existing span (`span_id`), a selection (linked to the entity with
    exactly those offsets if there is one, else a new span), or neither (unlink)."""
    if role not in ROLES:
        raise OpError(f"a claim part is one of {ROLES}, not {role!r}")
    claim = _claim(store, target, claim_id)
    if selection is not None:
        if text is None:
            raise OpError("a selection needs the document text to snap to tokens")
        start, end = snap_selection(store, target, text, *selection, tokens)
        same = [s for s in store.spans.for_set(target.set_id)
                if (s.start, s.end) == (start, end) and s.state != "rejected"
                and s.layer in ("entity", role)]
        if not same:
            return SetClaimPart(session, target, session.claim(claim.id), role,
                                new_range=(start, end))
        span_id = same[0].id
    if span_id is not None:
        span = _span(store, target, span_id)
        if span.id == claim.content_span_id:
            raise OpError(f"the claim's content cannot also be its {role}")
        if span.id == getattr(claim, f"{role}_span_id"):
            raise OpError(f"that span is already the claim's {role}")
        return SetClaimPart(session, target, session.claim(claim.id), role,
                            span=session.span(span.id))
    return SetClaimPart(session, target, session.claim(claim.id), role)


def set_claim_type(session: Session, store: Store, target: Target, claim_id: int, type: str,
                   types: Sequence[str]) -> Op:
    claim = _claim(store, target, claim_id)
    if type not in types:
        raise OpError(f"unknown claim type {type!r}; the schema has {list(types)}")
    if claim.type == type:
        raise OpError(f"the claim is already {type}")
    return Macro(session, target, "claim.type", [
        UpdateClaim(session, target, session.claim(claim.id), {"type": type}),
        UpdateSpans(session, target, [(session.span(claim.content_span_id), {"label": type})])],
        {"claim": claim.id, "type": type})


def cycle_claim_type(session: Session, store: Store, target: Target, claim_id: int,
                     types: Sequence[str]) -> Op:
    current = _claim(store, target, claim_id).type
    following = types[(types.index(current) + 1) % len(types)] if current in types else types[0]
    return set_claim_type(session, store, target, claim_id, following, types)


def edit_claim(session: Session, store: Store, target: Target, claim_id: int, text: str,
               start: int, end: int, tokens: Sequence[Token] | None = None) -> Op:
    """Move a claim's content to a new selection."""
    claim = _claim(store, target, claim_id)
    start, end = snap_selection(store, target, text, start, end, tokens)
    return UpdateSpans(session, target,
                       [(session.span(claim.content_span_id), {"start": start, "end": end})],
                       "claim.edit")


def delete_claim(session: Session, store: Store, target: Target, claim_id: int) -> Op:
    """Delete a claim with its content and the source/cue spans made only for it."""
    claim = _claim(store, target, claim_id)
    others = [c for c in store.claims.for_set(target.set_id) if c.id != claim.id]
    used = {i for c in others for i in (c.source_span_id, c.cue_span_id) if i}
    spans = [claim.content_span_id]
    for role in ROLES:
        part = getattr(claim, f"{role}_span_id")
        if part and part not in used and store.spans.get(part).layer == role:
            spans.append(part)
    return DeleteSpans(session, target, [session.span(i) for i in spans], "claim.delete")
