"""The `Op` base: one reversible edit of one or more annotation sets.

An op knows how to make its change (`_apply`) and how to take it back (`_undo`); each
returns the `Change` it made. Running one always goes through the one road
(`annotator.core.actions.apply_op`): one transaction, one event, the actor's rights checked,
the change published. `apply`, `undo` and `redo` are that road for this op; the session's
`History` keeps the order. Ops hold `Handle`s, never raw row ids (see `core/session.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from annotator.core import actions
from annotator.core.changes import Change
from annotator.core.errors import OpError
from annotator.core.model import Claim, Span
from annotator.core.session import Handle, Session
from annotator.core.store import Store

__all__ = ["Change", "Handle", "Macro", "Op", "OpError", "Session", "Target", "owned_row"]

Row = TypeVar("Row", Span, Claim)


@dataclass(frozen=True, slots=True)
class Target:
    """The annotation set an op edits (None: the document itself, e.g. its curation), and
    the document its event is recorded under."""

    doc_id: str
    set_id: int | None


def owned_row(get: Callable[[int], Row], target: Target, row_id: int, what: str) -> Row:
    """A span or claim of the target's set, else an OpError the annotator can read: ops act
    only on the set they name."""
    try:
        row = get(row_id)
    except KeyError:
        raise OpError(f"{what} {row_id} does not exist") from None
    if row.set_id != target.set_id:
        raise OpError(f"{what} {row_id} belongs to another annotation set")
    return row


class Op:
    """One reversible edit. Subclasses implement `_apply`, `_undo` and `payload`."""

    action = "op"

    def __init__(self, session: Session, target: Target):
        self.session = session
        self.target = target
        self.times_applied = 0
        self.title: str | None = None  # what a front end calls this step, if it names it

    @property
    def label(self) -> str:
        """Short text for an undo menu."""
        return self.title or self.action.replace(".", " ").replace("_", " ")

    def payload(self) -> dict[str, Any]:
        return {}

    def _apply(self, store: Store) -> Change:
        raise NotImplementedError

    def _undo(self, store: Store) -> Change:
        raise NotImplementedError

    def targets(self) -> list[Target]:
        """The sets this op writes (the road checks the actor may edit each)."""
        return [self.target]

    def check(self, store: Store) -> None:
        """Refuse, before anything is written, what the actor may not do beyond editing
        the target sets (a project-level op checks the admin role here)."""

    def apply(self, store: Store) -> Change:
        change = actions.apply_op(store, self, redo=self.times_applied > 0)
        self.times_applied += 1
        return change

    redo = apply

    def undo(self, store: Store) -> Change:
        return actions.apply_op(store, self, undo=True)


class Macro(Op):
    """Several ops as one user action: one transaction, one event, undone in reverse."""

    def __init__(self, session: Session, target: Target, action: str, ops: list[Op],
                 payload: dict[str, Any] | None = None):
        super().__init__(session, target)
        self.action = action
        self.ops = ops
        self._payload = payload or {}

    def targets(self) -> list[Target]:
        return list(dict.fromkeys(t for op in self.ops for t in op.targets()))

    def check(self, store: Store) -> None:
        for op in self.ops:
            op.check(store)

    def payload(self) -> dict[str, Any]:
        return {**self._payload, "steps": [op.action for op in self.ops]}

    def _apply(self, store: Store) -> Change:
        change = Change({self.target.doc_id})
        for op in self.ops:
            change.merge(op._apply(store))
        return change

    def _undo(self, store: Store) -> Change:
        change = Change({self.target.doc_id})
        for op in reversed(self.ops):
            change.merge(op._undo(store))
        return change
