"""Undo and redo in the core (docs/architecture.md, "Undo history").

One session's steps, newest last. A step is one op, which may touch several documents and
project-level state (a bulk exclusion, a label applied to every occurrence); undoing and
redoing it is one action each. Front ends mirror this history; they never keep their own.
"""

from __future__ import annotations

from annotator.core.changes import Change
from annotator.core.errors import OpError

LIMIT = 1000  # steps kept; the oldest are forgotten first


class History:
    def __init__(self, limit: int = LIMIT):
        self._done: list = []
        self._undone: list = []
        self._limit = limit

    def do(self, store, op) -> Change:
        """Apply a new op and make it the step Undo takes back; Redo's steps are dropped."""
        change = op.apply(store)
        self.push(op)
        return change

    def push(self, op) -> None:
        """Record an op already applied."""
        self._done.append(op)
        del self._done[:-self._limit]
        self._undone.clear()

    def undo(self, store) -> Change | None:
        """Take back the newest step; None when there is none. A step the project no longer
        allows (an OpError) is dropped and the error raised; a store error keeps it."""
        return self._replay(store, self._done, self._undone, "undo")

    def redo(self, store) -> Change | None:
        return self._replay(store, self._undone, self._done, "redo")

    @staticmethod
    def _replay(store, source: list, destination: list, direction: str) -> Change | None:
        if not source:
            return None
        try:
            change = getattr(source[-1], direction)(store)
        except OpError:
            source.pop()
            raise
        destination.append(source.pop())
        return change

    @property
    def depth(self) -> int:
        """How many steps Undo can take back."""
        return len(self._done)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None
