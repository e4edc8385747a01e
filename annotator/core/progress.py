"""How long work reports progress without knowing who shows it (a CLI bar, a GUI indicator)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int) -> None:
        """`done` units out of `total` (bytes, documents: the caller names the unit)."""


def no_progress(done: int, total: int) -> None:
    """The default for callers that show nothing."""
