"""The Qt face of the change feed: core change records become one signal on the UI thread.

Every view connects to `ChangeBridge.changed` and refreshes what a record names. Records
published by this process (the window's edits, its workers' imports and suggestions) arrive
as they commit: emitted on the committing thread, Qt queues them to the UI thread. Records of
other processes (another window, the command line, later a team server) are read by
following the event log: a timer asks for events after the last one seen, an indexed read
that costs microseconds when nothing happened. See docs/architecture.md, "The one road".
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core import changes
from annotator.core.actions import feed_of
from annotator.core.store import Store, StoreError

FOLLOW_MS = 1000  # other processes' changes show within about a second


class ChangeBridge(QObject):
    changed = Signal(object)  # a core `Change`

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._feed = feed_of(store)
        self._last = store.events.last_id()
        self._unsubscribe = self._feed.subscribe(self._relay)
        self._timer = QTimer(self, interval=FOLLOW_MS)
        self._timer.timeout.connect(self.follow)
        self._timer.start()

    def _relay(self, change: changes.Change) -> None:
        try:
            self.changed.emit(change)
        except RuntimeError:  # the window was destroyed without closing: stop listening
            self._unsubscribe()

    def follow(self) -> None:
        """Emit a record for each event another process wrote since the last look."""
        try:
            events = self._store.events.after(self._last)
        except StoreError:  # busy or gone for a moment: the next tick tries again
            return
        for event in events:
            self._last = event.id
            if not self._feed.seen(event.id):
                self.changed.emit(changes.from_event(event.id, event.action, event.annotator,
                                                     event.doc_id, event.payload))
        if events:
            self._feed.forget_through(self._last)

    def close(self) -> None:
        self._timer.stop()
        self._unsubscribe()
