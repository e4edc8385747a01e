"""Thin `QUndoCommand`s over core ops: the op does the work, the command only replays it.

The op is applied *before* the command is pushed (so a refused edit never reaches the undo
stack), hence the first `redo()` that `QUndoStack.push` makes is skipped. Replaying goes
through the workspace, which first shows the op's document: undo survives switching documents.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.ops import Op

Replay = Callable[[Op, str], None]  # (op, "undo" | "redo")


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
        self._replay(self.op, "redo")

    def undo(self) -> None:
        self._replay(self.op, "undo")
