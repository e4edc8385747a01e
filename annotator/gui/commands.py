"""Thin `QUndoCommand`s over core ops: the op does the work, the command only replays it.

The op is applied *before* the command is pushed (so a refused edit never reaches the undo
stack), hence the first `redo()` that `QUndoStack.push` makes is skipped. Replaying goes
through the workspace, which first shows the op's document: undo survives switching documents.
A replay that fails (the file locked by another writer) makes the command obsolete, so Qt drops
it and the stack never claims a state the file does not have.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.ops import Op

Replay = Callable[[Op, str], bool]  # (op, "undo" | "redo") -> done


class OpCommand(QUndoCommand):
    def __init__(self, op: Op, replay: Replay, text: str | None = None):
        super().__init__(text or op.label)
        self.op = op
        self._replay = replay
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self.setObsolete(not self._replay(self.op, "redo"))

    def undo(self) -> None:
        self.setObsolete(not self._replay(self.op, "undo"))
