"""How often a lost server is tried again: soon at first, then less often, so a window
neither hammers a server that is down nor waits long once it is back
(docs/architecture.md, "Live updates and reconnects")."""

from __future__ import annotations

from time import monotonic

FIRST_S = 0.5
LONGEST_S = 8.0


class Backoff:
    def __init__(self) -> None:
        self.delay = 0.0
        self._next = 0.0

    def ready(self) -> bool:
        """Whether the next try is due."""
        return monotonic() >= self._next

    def wait_s(self) -> float:
        """Seconds until the next try is due."""
        return max(0.0, self._next - monotonic())

    def failed(self) -> None:
        self.delay = min(max(self.delay * 2, FIRST_S), LONGEST_S)
        self._next = monotonic() + self.delay

    def succeeded(self) -> None:
        self.delay = self._next = 0.0
