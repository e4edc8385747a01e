"""The one road for every change (docs/architecture.md, "The one road").

`action(store, session, name, docs=...)` opens the transaction, lets the caller write through
the store, appends the one event that records it, commits, and publishes the `Change` on the
project's feed. Edits, imports, materialised suggestions, workflow steps, settings, schema and
curation all take it, so the audit log, the views and the undo history see every change the
same way, from this process or another (modelled on Anki's CollectionOp → OpChanges).

`apply_op` is the road for reversible ops: it checks that the acting session may edit the
sets the op targets, bumps their versions (refusing a write to gold made from a stale copy),
stamps gold with its reviewer, and runs the op (or its inverse) inside one action.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

from annotator.core import changes, rights
from annotator.core.changes import Change, scope_of
from annotator.core.errors import OpError, StaleWrite
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
           scopes: Iterable[str] | None = None, batched: bool = False) -> Iterator[Act]:
    """One user action: one transaction, one event, one published change record.

    Front ends and commands start actions on their own; inside a transaction the caller
    opened, the action is a savepoint of it and is published when its part is done, so such
    a caller must commit (tests do, to group setup steps). `batched`: a short edit, whose
    statements a server receives in one pipeline (`Store.transaction`)."""
    change = Change(docs=set(docs), scopes=set(scopes or {scope_of(name)}), action=name,
                    actor=session.annotator)
    act = Act(change, dict(payload or {}))
    feed_of(store).own_session(session.session_id)
    with store.transaction(batched=batched):
        yield act
        record = dict(act.payload)
        if len(change.docs) > 1:
            record["docs"] = sorted(change.docs) if len(change.docs) <= MAX_DOCS_IN_EVENT \
                else len(change.docs)
        event_id = store.events.append(session.annotator, name, doc_id=change.doc_id,
                                       payload=record, session_id=session.session_id)
    change.event_id = event_id()
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


def touch_sets(store, session: Session,
               targets: Iterable[_Targeted]) -> tuple[dict[int, int], bool]:
    """Record the edit on every set the op targets, refusing those the session may not edit
    and a gold set changed since the session read it (`StaleWrite`). One statement per set
    bumps its version, stamps gold's reviewer and checks the version together
    (`sets.touch`). Returns each set's new version, and whether gold was among them."""
    versions, gold = {}, False
    for set_id, doc_id in {t.set_id: t.doc_id for t in targets if t.set_id is not None}.items():
        touched = store.sets.touch(set_id, session.annotator, expected=session.version(set_id))
        if touched is None:  # gone, hidden from this login by the server, or stale
            _refuse(store, session, set_id, doc_id)
        owner, versions[set_id] = touched
        rights.check_edit(session.annotator, session.role, owner)
        gold = gold or owner == rights.GOLD
    return versions, gold


def _refuse(store, session: Session, set_id: int, doc_id: str) -> NoReturn:
    """Why a set could not be touched, in the words the annotator reads."""
    try:
        stored = store.sets.get(set_id)
    except KeyError:
        raise OpError(f"annotation set {set_id} no longer exists: it was changed in another "
                      "window") from None
    rights.check_edit(session.annotator, session.role, stored.annotator)
    session.saw(set_id, stored.version)  # the refusal reloads: a retry may go ahead
    document = store.documents.get(doc_id)
    raise StaleWrite(doc_id, document.title if document and document.title else doc_id,
                     stored.reviewed_by or "someone else")


def apply_op(store, op: Reversible, *, undo: bool = False, redo: bool = False) -> Change:
    """Run an op (or its inverse) as one action by the op's session."""
    session = op.session
    targets = op.targets()
    name = f"{op.action}.undo" if undo else op.action
    with session.atomic(), action(store, session, name, docs={t.doc_id for t in targets},
                                  batched=True) as act:
        op.check(store)
        versions, gold = touch_sets(store, session, targets)
        if gold:
            act.change.set_fields.add("reviewed_by")
        try:
            act.change.merge(op._undo(store) if undo else op._apply(store))
        except KeyError as gone:  # a row the op refers to was deleted elsewhere meanwhile
            raise OpError(f"{gone.args[0] if gone.args else 'a row'} no longer exists: it "
                          "was changed in another window") from gone
        act.payload.update(op.payload())
        if redo:
            act.payload["redo"] = True
    for set_id, version in versions.items():  # only once committed
        session.saw(set_id, version)
    return act.change
