"""The Qt face of the change feed: core change records become one signal on the UI thread.

Every view connects to `ChangeBridge.changed` and refreshes what a record names. Records
published by this process (the window's edits, its workers' imports and suggestions) arrive
as they commit; records of other processes (another window, the command line, a teammate on
the server) come from the project's core `Follower`, which publishes them on the same feed:
on a server as the server announces them, on a file when the bridge's timer asks it to read
the log, an indexed read that costs microseconds when nothing happened. Records are emitted
on whichever thread made them; Qt queues them to the UI thread. `reachable`, emitted on
the UI thread, says when the server is lost and back.
See docs/architecture.md, "Live updates and reconnects".
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core import changes
from annotator.core.actions import feed_of
from annotator.core.store import Store, StoreError

FOLLOW_MS = 1000  # on a file, other processes' changes show within about a second


class ChangeBridge(QObject):
    changed = Signal(object)    # a core `Change`
    reachable = Signal(object)  # why the server cannot be reached, or None: it is back
    _told = Signal(object)      # the follower's word, queued to the UI thread

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._feed = feed_of(store)
        self._unsubscribe = self._feed.subscribe(self._relay)
        self._follower = self._feed.follow(store)
        self._unwatch = self._follower.watch(self._relay_reachable)
        self._timer = QTimer(self, interval=FOLLOW_MS)
        self._timer.timeout.connect(self.follow)
        if not self._follower.live:
            self._timer.start()
        self._told.connect(self._on_told)

    @property
    def polling(self) -> bool:
        """Whether the bridge reads the log on a timer (a file) rather than being told."""
        return self._timer.isActive()

    def _relay(self, change: changes.Change) -> None:
        try:
            self.changed.emit(change)
        except RuntimeError:  # the window was destroyed without closing: stop listening
            self.close()

    def _relay_reachable(self, problem: str | None) -> None:
        try:
            self._told.emit(problem)
        except RuntimeError:
            self.close()

    def _on_told(self, problem: str | None) -> None:
        """On the UI thread. The server is back: the window's own connection is reopened
        before it is needed (its workers' reopen at their next statement)."""
        if problem is None:
            with contextlib.suppress(StoreError):  # lost again already: the follower says so
                self._store.reconnect()
        self.reachable.emit(problem)

    def follow(self) -> None:
        """Read the events other processes wrote to the file since the last look."""
        try:
            self._follower.catch_up(self._store.events)
        except StoreError:  # busy or gone for a moment: the next tick tries again
            return

    def close(self) -> None:
        if self._unsubscribe is None:
            return
        self._timer.stop()
        self._unsubscribe()
        self._unwatch()
        self._unsubscribe = None
        self._feed.unfollow()
