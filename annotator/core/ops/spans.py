"""Span decisions an annotator makes: accept, reject, relabel, delete, draw an entity.

Each function checks the request against the store and returns an unapplied `Op`; the caller
applies it (so a refused edit raises `OpError` before anything is written). Standing entities
never overlap (`annotator.core.invariants`): drawing over them is refused unless asked to
replace them; accepting or relabelling a rejected entity whose place was taken since is
refused, naming the entity standing there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from annotator.core.invariants import standing_overlaps, stands
from annotator.core.model import Span
from annotator.core.ops.base import Macro, Op, OpError, Session, Target, owned_row
from annotator.core.ops.rows import (AddSpan, DeleteSpans, OverlapError, UpdateSpans, describe,
                                     refuse_overlaps)
from annotator.core.store import Store
from annotator.core.tokens import Token, aligned_tokens, snap


def _span(store: Store, target: Target, span_id: int) -> Span:
    return owned_row(store.spans.get, target, span_id, "span")


def _claim_parts(store: Store, target: Target, span: Span) -> list[Span]:
    """The suggested source/cue spans of the claim whose content `span` is (moved with it)."""
    if span.layer != "claim":
        return []
    for claim in store.claims.for_set(target.set_id):
        if claim.content_span_id == span.id:
            parts = [store.spans.get(i) for i in (claim.source_span_id, claim.cue_span_id) if i]
            return [p for p in parts if p.layer in ("source", "cue") and p.state == "suggested"]
    return []


def _decide(session: Session, store: Store, target: Target, span_id: int, state: str,
            action: str) -> Op:
    span = _span(store, target, span_id)
    if span.state == state:
        raise OpError(f"{span.label} {span.start}:{span.end} is already {state}")
    _refuse_standing(store, target, span, dataclasses.replace(span, state=state))
    spans = [span, *_claim_parts(store, target, span)]
    return UpdateSpans(session, target, [(session.span(s.id), {"state": state}) for s in spans],
                       action, read=spans)


def accept(session: Session, store: Store, target: Target, span_id: int) -> Op:
    return _decide(session, store, target, span_id, "accepted", "span.accept")


def reject(session: Session, store: Store, target: Target, span_id: int) -> Op:
    return _decide(session, store, target, span_id, "rejected", "span.reject")


def relabel(session: Session, store: Store, target: Target, span_id: int, label: str) -> Op:
    """Give an entity span another label; a relabelled suggestion counts as accepted."""
    span = _span(store, target, span_id)
    if span.layer != "entity":
        raise OpError(f"only entity spans have labels to change (this is a {span.layer} span)")
    if span.label == label and span.state == "accepted":
        raise OpError(f"{span.start}:{span.end} is already an accepted {label}")
    _refuse_standing(store, target, span, dataclasses.replace(span, label=label, state="accepted"))
    return UpdateSpans(session, target,
                       [(session.span(span.id), {"label": label, "state": "accepted"})],
                       "span.relabel", read=[span])


def _refuse_standing(store: Store, target: Target, span: Span, after: Span) -> None:
    """A rejected entity stands again only where no other entity stands now."""
    if stands(after) and not stands(span):
        refuse_overlaps(store, target, [after], update=[after])


def delete_span(session: Session, store: Store, target: Target, span_id: int) -> Op:
    _span(store, target, span_id)
    return DeleteSpans(session, target, [session.span(span_id)])


def undecided(store: Store, target: Target) -> list[Span]:
    return [s for s in store.spans.for_set(target.set_id) if s.state == "suggested"]


def accept_all(session: Session, store: Store, target: Target) -> Op:
    """Accept every suggestion still undecided in the document, as one undo step."""
    spans = undecided(store, target)
    if not spans:
        raise OpError("no suggestions left to accept")
    return accept_spans(session, target, spans)


def accept_spans(session: Session, target: Target, spans: Sequence[Span]) -> UpdateSpans:
    """The step that accepts the given suggestions (Shift+A alone, or inside "done")."""
    return UpdateSpans(session, target,
                       [(session.span(s.id), {"state": "accepted"}) for s in spans],
                       "spans.accept_all", read=spans)


def snap_selection(store: Store, target: Target, text: str, start: int, end: int,
                   tokens: Sequence[Token] | None = None) -> tuple[int, int]:
    """A selection grown outward to whole tokens (tokens split at existing span edges)."""
    if tokens is None:
        spans = store.spans.for_set(target.set_id)
        tokens, _ = aligned_tokens(text, [(s.start, s.end) for s in spans])
    snapped = snap(text, tokens, start, end)
    if snapped is None:
        raise OpError("the selection holds no word to annotate")
    return snapped


def add_entity(session: Session, store: Store, target: Target, text: str, start: int,
               end: int, label: str, *, replace: bool = False,
               tokens: Sequence[Token] | None = None) -> Op:
    """Make a selection an entity. It snaps outward to tokens; an overlapping entity is
    refused (OpError naming it) unless `replace`, which rejects overlapping suggestions and
    deletes overlapping accepted spans in the same undo step. A selection that is exactly a
    standing entity relabels that entity instead."""
    start, end = snap_selection(store, target, text, start, end, tokens)
    overlaps = standing_overlaps(store.spans.touching(target.set_id, start, end, layer="entity"),
                                 start, end)
    if len(overlaps) == 1 and (overlaps[0].start, overlaps[0].end) == (start, end):
        return relabel(session, store, target, overlaps[0].id, label)
    add = AddSpan(session, target, start, end, layer="entity", label=label)
    if not overlaps:
        return add
    if not replace:
        raise OverlapError(f"'{text[start:end]}' ({start}:{end}) overlaps "
                           f"{describe(text, overlaps)}", overlaps)
    # Deletes first, so that undoing the replace (steps in reverse) re-creates spans — which
    # re-points handles — only once every check of the other steps has passed.
    steps: list[Op] = []
    accepted = [s for s in overlaps if s.state == "accepted"]
    if accepted:
        steps.append(DeleteSpans(session, target, [session.span(s.id) for s in accepted]))
    suggested = [s for s in overlaps if s.state == "suggested"]
    if suggested:
        steps.append(UpdateSpans(session, target,
                                 [(session.span(s.id), {"state": "rejected"}) for s in suggested],
                                 "span.reject", read=suggested))
    return Macro(session, target, "span.replace", [*steps, add],
                 {"start": start, "end": end, "label": label})

