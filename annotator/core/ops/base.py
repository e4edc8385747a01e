"""The undo machinery of the core: sessions, span handles, changes, and the `Op` base.

Every edit is an `Op`: `apply(store)` performs it inside one transaction and appends one
event; `undo(store)` reverts it the same way; `redo` is `apply` again. Each returns a `Change`
naming the spans, claims and set fields touched, so a view redraws only those.

Ops never hold raw span ids. Undoing a delete re-creates rows, which SQLite may give new ids
(and the old id may meanwhile belong to a span of another document). So ops hold `Handle`s
shared through the `Session`: re-creating a row re-points its handle, and every later op in
the undo stack follows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from annotator.core.model import Claim, Span
from annotator.core.store import Store

Row = TypeVar("Row", Span, Claim)


class OpError(ValueError):
    """An edit that cannot be made as asked; the message is meant for the annotator."""


def owned_row(get: Callable[[int], Row], target: Target, row_id: int, what: str) -> Row:
    """A span or claim of the target's set, else an OpError the annotator can read: ops act
    only on the set of the document in front of the annotator."""
    try:
        row = get(row_id)
    except KeyError:
        raise OpError(f"{what} {row_id} does not exist") from None
    if row.set_id != target.set_id:
        raise OpError(f"{what} {row_id} belongs to another annotation set")
    return row


class Handle:
    """A live reference to one span or claim row whose id may change across undo/redo."""

    __slots__ = ("id", "kind")

    def __init__(self, kind: str, id: int):
        self.kind = kind
        self.id: int | None = id

    def __repr__(self) -> str:
        return f"Handle({self.kind}, {self.id})"

    def require(self) -> int:
        if self.id is None:
            raise OpError(f"that {self.kind} no longer exists")
        return self.id


class Session:
    """One annotator's working session: who is recorded, and the handles ops share."""

    def __init__(self, annotator: str, session_id: str | None = None):
        self.annotator = annotator
        self.session_id = session_id or uuid.uuid4().hex
        self._live: dict[tuple[str, int], Handle] = {}

    def handle(self, kind: str, id: int) -> Handle:
        """The one handle of the row `kind` #`id` as it exists now."""
        key = (kind, id)
        if key not in self._live:
            self._live[key] = Handle(kind, id)
        return self._live[key]

    def span(self, id: int) -> Handle:
        return self.handle("span", id)

    def claim(self, id: int) -> Handle:
        return self.handle("claim", id)

    def retire(self, handle: Handle) -> None:
        """The row is gone: its id may be reused by an unrelated row."""
        if handle.id is not None:
            self._live.pop((handle.kind, handle.id), None)
            handle.id = None

    def rebind(self, handle: Handle, new_id: int) -> None:
        """The row exists again, as `new_id`."""
        self.retire(handle)
        handle.id = new_id
        self._live[(handle.kind, new_id)] = handle


@dataclass(frozen=True, slots=True)
class Target:
    """The annotation set an op edits, and the document its events are recorded under."""

    doc_id: str
    set_id: int


@dataclass(slots=True)
class Change:
    """What an op touched (current ids), so views redraw only that."""

    doc_id: str
    spans: set[int] = field(default_factory=set)
    removed_spans: set[int] = field(default_factory=set)
    claims: set[int] = field(default_factory=set)
    removed_claims: set[int] = field(default_factory=set)
    set_fields: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def merge(self, other: Change) -> Change:
        self.spans = (self.spans | other.spans) - other.removed_spans
        self.removed_spans = (self.removed_spans - other.spans) | other.removed_spans
        self.claims = (self.claims | other.claims) - other.removed_claims
        self.removed_claims = (self.removed_claims - other.claims) | other.removed_claims
        self.set_fields |= other.set_fields
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        return self


class Op:
    """One reversible edit. Subclasses implement `_apply`, `_undo` and `payload`."""

    action = "op"

    def __init__(self, session: Session, target: Target):
        self.session = session
        self.target = target
        self.times_applied = 0

    @property
    def label(self) -> str:
        """Short text for an undo menu."""
        return self.action.replace(".", " ").replace("_", " ")

    def payload(self) -> dict[str, Any]:
        return {}

    def _apply(self, store: Store) -> Change:
        raise NotImplementedError

    def _undo(self, store: Store) -> Change:
        raise NotImplementedError

    def apply(self, store: Store) -> Change:
        with store.transaction():
            change = self._apply(store)
            extra = {"redo": True} if self.times_applied else {}
            self._record(store, self.action, {**self.payload(), **extra})
        self.times_applied += 1
        return change

    redo = apply

    def undo(self, store: Store) -> Change:
        with store.transaction():
            change = self._undo(store)
            self._record(store, f"{self.action}.undo", self.payload())
        return change

    def _record(self, store: Store, action: str, payload: dict[str, Any]) -> None:
        store.events.append(self.session.annotator, action, doc_id=self.target.doc_id,
                            payload=payload, session_id=self.session.session_id)


class Macro(Op):
    """Several ops as one user action: one transaction, one event, undone in reverse."""

    def __init__(self, session: Session, target: Target, action: str, ops: list[Op],
                 payload: dict[str, Any] | None = None):
        super().__init__(session, target)
        self.action = action
        self.ops = ops
        self._payload = payload or {}

    def payload(self) -> dict[str, Any]:
        return {**self._payload, "steps": [op.action for op in self.ops]}

    def _apply(self, store: Store) -> Change:
        change = Change(self.target.doc_id)
        for op in self.ops:
            change.merge(op._apply(store))
        return change

    def _undo(self, store: Store) -> Change:
        change = Change(self.target.doc_id)
        for op in reversed(self.ops):
            change.merge(op._undo(store))
        return change
