"""A reviewer's decisions as ops on the gold set (docs/architecture.md, "Review").

Each decision is one op — one transaction, one event, one undo step — on the document's
`gold` set, through the one road (`actions.apply_op`), which lets only a reviewer or an
admin write gold and stamps it `reviewed_by`. The event records which annotators' version
was taken. Decisions read the annotators' sets and write only gold: an annotator's later
change never reaches gold by itself.

- `take`: gold's items in a conflict's region become one version (`drop`: none of them);
- `accept_agreed`: the picture's agreed items (and what the majority rule resolved) into
  gold, where gold has not decided otherwise;
- `mark_reviewed`: the gold set is done, as of now.

`start_review` creates the gold set (in progress) the first time a reviewer writes to a
document; opening a document to look creates nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.clock import now_iso
from annotator.core.invariants import stands
from annotator.core.model import CUE_LABEL, HUMAN, SOURCE_LABEL, AnnotationSet
from annotator.core.ops.base import Change, Handle, Macro, Op, OpError, Session, Target
from annotator.core.ops.rows import AddSpan, DeleteSpans
from annotator.core.ops.sets import UpdateSet
from annotator.core.review.picture import CATS, ENTITY, Conflict, Picture
from annotator.core.review.queue import REVIEWED, review_state
from annotator.core.review.work import Entity, load_one
from annotator.core.store import Store
from annotator.core.store.review import ClaimRow

GOLD = rights.GOLD


def start_review(store: Store, session: Session, doc_id: str, schema_hash: str | None
                 ) -> Target:
    """The document's gold set, created (in progress, stamped with the reviewer) as one
    action when it does not exist yet."""
    rights.check_edit(session.annotator, session.role, GOLD)
    found = store.sets.find(doc_id, GOLD)
    if found is not None:
        return Target(doc_id, found.id)
    with action(store, session, "review.start", docs=[doc_id]) as act:
        gold = store.sets.ensure(doc_id, GOLD, schema_hash)
        store.sets.update(gold.id, status="in_progress", reviewed_by=session.annotator)
        act.change.set_fields |= {"status", "reviewed_by"}
    return Target(doc_id, gold.id)


class AddClaim(Op):
    """A claim in gold with its content and its own source and cue spans; undo deletes
    them (the claim row goes with its content span)."""

    action = "claim.add"

    def __init__(self, session: Session, target: Target, claim: ClaimRow):
        super().__init__(session, target)
        self.claim = claim
        self.spans: list[Handle] = []
        self.handle: Handle | None = None

    def _apply(self, store: Store) -> Change:
        c = self.claim
        made = [store.spans.add(self.target.set_id, c.start, c.end, layer="claim",
                                label=c.type, origin=HUMAN, state="accepted")]
        ids = {}
        for role, where, label in (("source", c.source, SOURCE_LABEL), ("cue", c.cue, CUE_LABEL)):
            if where:
                made.append(store.spans.add(self.target.set_id, *where, layer=role, label=label,
                                            origin=HUMAN, state="accepted"))
                ids[f"{role}_span_id"] = made[-1].id
        claim = store.claims.add(self.target.set_id, made[0].id, type=c.type, **ids)
        if self.handle is None:
            self.spans = [self.session.span(s.id) for s in made]
            self.handle = self.session.claim(claim.id)
        else:
            for handle, span in zip(self.spans, made):
                self.session.rebind(handle, span.id)
            self.session.rebind(self.handle, claim.id)
        return Change({self.target.doc_id}, spans={s.id for s in made}, claims={claim.id})

    def _undo(self, store: Store) -> Change:
        assert self.handle is not None
        ids = [h.require() for h in self.spans]
        claim_id = self.handle.require()
        for span_id in ids:
            store.spans.delete(span_id)
        self.session.retire(self.handle)
        for handle in self.spans:
            self.session.retire(handle)
        return Change({self.target.doc_id}, removed_spans=set(ids), removed_claims={claim_id})


def take(session: Session, store: Store, target: Target, conflict: Conflict,
         version: int) -> Op:
    """Gold's items in the conflict's region become version `version` of it."""
    if not 0 <= version < len(conflict.versions):
        raise OpError(f"this conflict has {len(conflict.versions)} versions, not {version + 1}")
    chosen = conflict.versions[version]
    payload = {"layer": conflict.layer, "kind": conflict.kind,
               "range": [conflict.start, conflict.end], "name": conflict.name,
               "taken_from": list(chosen.holders), "version": _plain(chosen.items)}
    if conflict.layer == CATS:
        cats = dict(store.sets.get(target.set_id).cats)
        value = chosen.items[0]
        if cats.get(conflict.name) == value:
            raise OpError(f"gold already has {conflict.name}={value}")
        if value is None:
            cats.pop(conflict.name, None)
        else:
            cats[conflict.name] = value
        return Macro(session, target, "review.take",
                     [UpdateSet(session, target, {"cats": cats}, "set.cats")], payload)
    steps = _clear(session, store, target, conflict.layer, conflict.start, conflict.end)
    steps += _puts(session, target, conflict.layer, chosen.items)
    if _holds(store, target, conflict.layer, conflict.start, conflict.end) == \
            sorted(chosen.items, key=_order):
        raise OpError("gold already holds that version")
    return Macro(session, target, "review.take" if chosen.items else "review.drop", steps,
                 payload)


def drop(session: Session, store: Store, target: Target, conflict: Conflict) -> Op:
    """Gold keeps nothing in the conflict's region (of its layer)."""
    if conflict.layer == CATS:
        raise OpError("a document label is dropped by taking the version without a value")
    steps = _clear(session, store, target, conflict.layer, conflict.start, conflict.end)
    if not steps:
        raise OpError("gold holds nothing there to drop")
    nobody = next((v.holders for v in conflict.versions if not v.items), ())
    return Macro(session, target, "review.drop", steps,
                 {"layer": conflict.layer, "kind": conflict.kind,
                  "range": [conflict.start, conflict.end], "taken_from": list(nobody)})


def accept_agreed(session: Session, store: Store, target: Target, picture: Picture) -> Op:
    """Every agreed (or majority-resolved) item gold does not hold yet, where gold has not
    decided otherwise: an entity overlapping one gold has, a claim whose content gold has
    and a document label gold has set are left as gold has them."""
    steps, counts = agreed_steps(session, store, target, picture)
    if not steps:
        raise OpError("gold already holds everything agreed")
    return Macro(session, target, "review.accept_agreed", steps,
                 {**counts, "annotators": list(picture.annotators),
                  "min_agree": picture.min_agree})


def agreed_steps(session: Session, store: Store, target: Target, picture: Picture
                 ) -> tuple[list[Op], dict[str, int]]:
    """The steps `accept_agreed` takes, and how many entities, claims and document labels
    they add and how many agreed items gold had decided otherwise (`kept`)."""
    entities, claims, cats = picture.accepted()
    gold_spans = store.spans.for_set(target.set_id)
    standing = [s for s in gold_spans if s.layer == "entity" and stands(s)]
    contents = {(s.start, s.end) for s in gold_spans if s.layer == "claim"}
    gold_cats = dict(store.sets.get(target.set_id).cats)
    counts = {"entities": 0, "claims": 0, "cats": 0, "kept": 0}
    new_entities = []
    for s, e, label in entities:
        if any(g.start < e and s < g.end for g in standing):
            counts["kept"] += any((g.start, g.end, g.label) != (s, e, label) for g in standing
                                  if g.start < e and s < g.end)
            continue
        new_entities.append((s, e, label))
    new_claims = []
    for claim in claims:
        if (claim.start, claim.end) in contents:
            continue
        new_claims.append(claim)
        contents.add((claim.start, claim.end))
    new_cats = {k: v for k, v in cats.items() if k not in gold_cats}
    counts["kept"] += sum(1 for k, v in cats.items() if k in gold_cats and gold_cats[k] != v)
    counts.update(entities=len(new_entities), claims=len(new_claims), cats=len(new_cats))
    steps = _puts(session, target, ENTITY, new_entities) + _puts(session, target, "claim",
                                                                    new_claims)
    if new_cats:
        steps.append(UpdateSet(session, target, {"cats": {**gold_cats, **new_cats}}, "set.cats"))
    return steps, counts


def mark_reviewed(session: Session, store: Store, target: Target) -> Op:
    """The gold set is done, reviewed as of now: again too, when an annotator changed their
    work since. The time is part of the op, so undo brings back the earlier review time (and
    with it "changed since review") and redo the time of this review."""
    if review_state(load_one(store, target.doc_id)) == REVIEWED:
        raise OpError("this document is already marked reviewed, and nobody changed their "
                      "work since")
    return MarkReviewed(session, target, store.sets.get(target.set_id))


class MarkReviewed(Op):
    """Gold done as of the op's time; undo restores its status and time from before the op
    (read when the op is made: the road stamps gold before the op runs)."""

    action = "review.reviewed"

    def __init__(self, session: Session, target: Target, before: AnnotationSet):
        super().__init__(session, target)
        self.at = now_iso()
        self.before = {"status": before.status, "updated_at": before.updated_at}

    def _apply(self, store: Store) -> Change:
        store.sets.update(self.target.set_id, status="done", updated_at=self.at)
        return Change({self.target.doc_id}, set_fields={"status"})

    def _undo(self, store: Store) -> Change:
        store.sets.update(self.target.set_id, **self.before)
        return Change({self.target.doc_id}, set_fields={"status"})


def _clear(session: Session, store: Store, target: Target, layer: str, start: int,
           end: int) -> list[Op]:
    """Deleting gold's items of `layer` in start:end (a claim with the source and cue
    spans made for it)."""
    if layer == ENTITY:
        spans = store.spans.touching(target.set_id, start, end, layer="entity")
        return [DeleteSpans(session, target, [session.span(s.id) for s in spans])] if spans \
            else []
    contents = {s.id for s in store.spans.touching(target.set_id, start, end, layer="claim")}
    if not contents:
        return []
    claims = store.claims.for_set(target.set_id)
    kept = {i for c in claims if c.content_span_id not in contents
            for i in (c.source_span_id, c.cue_span_id) if i}
    doomed = set(contents)
    for c in claims:
        if c.content_span_id in contents:
            doomed |= {i for i in (c.source_span_id, c.cue_span_id)
                       if i and i not in kept and store.spans.get(i).layer != "entity"}
    return [DeleteSpans(session, target, [session.span(i) for i in sorted(doomed)])]


def _puts(session: Session, target: Target, layer: str, items: Sequence[Any]) -> list[Op]:
    if layer == ENTITY:
        return [AddSpan(session, target, s, e, layer="entity", label=label)
                for s, e, label in items]
    return [AddClaim(session, target, claim) for claim in items]


def _holds(store: Store, target: Target, layer: str, start: int, end: int) -> list[Any]:
    """Gold's accepted items of `layer` inside start:end, as the picture writes them."""
    if layer == ENTITY:
        found: list[Any] = [(s, e, label) for s, e, label in
                            store.review.entities([target.set_id]).get(target.set_id, ())
                            if s < end and start < e]
    else:
        found = [c for c in store.review.claims([target.set_id]).get(target.set_id, ())
                 if c.start < end and start < c.end]
    return sorted(found, key=_order)


def _order(item: Entity | ClaimRow) -> tuple:
    return tuple((-1, -1) if part is None else part for part in item)


def _plain(items: tuple[Any, ...]) -> list[Any]:
    """Items as the event's JSON holds them."""
    return [list(i) if isinstance(i, tuple) else i for i in items]
