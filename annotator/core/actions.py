"""The one road for every change (docs/architecture.md, "The one road").

`action(store, session, name, docs=...)` opens the transaction, lets the caller write through
the store, appends the one event that records it, commits, and publishes the `Change` on the
project's feed. Edits, imports, materialised suggestions, workflow steps, settings, schema and
curation all take it, so the audit log, the views and the undo history see every change the
same way, from this process or another (modelled on Anki's CollectionOp → OpChanges).

`apply_op` is the road for reversible ops: it checks that the acting session may edit the
sets the op targets, stamps gold with its reviewer, and runs the op (or its inverse) inside
one action.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.core import changes, rights
from annotator.core.changes import Change, scope_of
from annotator.core.errors import OpError
from annotator.core.session import Session

MAX_DOCS_IN_EVENT = 1000  # beyond this an event records how many documents, not which


@dataclass(slots=True)
class Act:
    """An action in progress: what it changed, and what its event records."""

    change: Change
    payload: dict[str, Any] = field(default_factory=dict)


def feed_of(store) -> changes.ChangeFeed:
    return changes.feed(store.location.key)


@contextlib.contextmanager
def action(store, session: Session, name: str, *, docs: Iterable[str] = (),
           payload: dict[str, Any] | None = None,
           scopes: Iterable[str] | None = None) -> Iterator[Act]:
    """One user action: one transaction, one event, one published change record.

    Front ends and commands start actions on their own; inside a transaction the caller
    opened, the action is a savepoint of it and is published when its part is done, so such
    a caller must commit (tests do, to group setup steps)."""
    change = Change(docs=set(docs), scopes=set(scopes or {scope_of(name)}), action=name,
                    actor=session.annotator)
    act = Act(change, dict(payload or {}))
    with store.transaction():
        yield act
        record = dict(act.payload)
        if len(change.docs) > 1:
            record["docs"] = sorted(change.docs) if len(change.docs) <= MAX_DOCS_IN_EVENT \
                else len(change.docs)
        change.event_id = store.events.append(session.annotator, name, doc_id=change.doc_id,
                                              payload=record, session_id=session.session_id)
        feed_of(store).own(change.event_id)
    feed_of(store).publish(change)


class _Targeted(Protocol):
    """What the road reads of an op's target (`annotator.core.ops.Target`)."""

    doc_id: str
    set_id: int | None


class Reversible(Protocol):
    """What `apply_op` needs of an op (`annotator.core.ops.Op`)."""

    action: str
    session: Session

    def targets(self) -> list[Any]: ...
    def payload(self) -> dict[str, Any]: ...
    def check(self, store) -> None: ...
    def _apply(self, store) -> Change: ...
    def _undo(self, store) -> Change: ...


def check_sets(store, session: Session, targets: Iterable[_Targeted]) -> set[int]:
    """Refuse targets the session may not edit; returns the gold sets among them."""
    gold = set()
    for set_id in {t.set_id for t in targets if t.set_id is not None}:
        owner = store.sets.get(set_id).annotator
        rights.check_edit(session.annotator, session.role, owner)
        if owner == rights.GOLD:
            gold.add(set_id)
    return gold


def apply_op(store, op: Reversible, *, undo: bool = False, redo: bool = False) -> Change:
    """Run an op (or its inverse) as one action by the op's session."""
    session = op.session
    targets = op.targets()
    name = f"{op.action}.undo" if undo else op.action
    with session.atomic(), action(store, session, name,
                                  docs={t.doc_id for t in targets}) as act:
        op.check(store)
        for set_id in check_sets(store, session, targets):
            store.sets.update(set_id, reviewed_by=session.annotator)
            act.change.set_fields.add("reviewed_by")
        try:
            act.change.merge(op._undo(store) if undo else op._apply(store))
        except KeyError as gone:  # a row the op refers to was deleted elsewhere meanwhile
            raise OpError(f"{gone.args[0] if gone.args else 'a row'} no longer exists: it "
                          "was changed in another window") from gone
        act.payload.update(op.payload())
        if redo:
            act.payload["redo"] = True
    return act.change
