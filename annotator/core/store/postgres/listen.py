"""Following a team's project by the server's announcements instead of asking it again and
again (docs/architecture.md, "Live updates and reconnects").

Every event written on a server announces its id on the `events.CHANNEL` (`NOTIFY`,
delivered when the action commits). A `Listener` waits for them on a connection of its own,
in a thread, and hands each batch of ids to its handler with the events repository of that
connection, so the handler reads those events by key and nothing else. When the connection
is lost it tells the handler, reopens it with backoff and, listening again, lets the handler
read what it may have missed meanwhile.
"""

from __future__ import annotations

import threading
from typing import Protocol

from annotator.core.store.errors import StoreError
from annotator.core.store.events import CHANNEL, Events
from annotator.core.store.location import Location
from annotator.core.store.postgres.connection import translated
from annotator.core.store.postgres.project import open_project

WAIT_S = 0.25  # how long one wait for announcements lasts: how soon `stop` is heard


class Handler(Protocol):
    def notified(self, ids: list[int], events: Events) -> None: ...
    def listening(self, events: Events) -> None: ...
    def lost(self, message: str) -> None: ...


class Listener:
    def __init__(self, location: Location, handler: Handler):
        self._handler = handler
        self._conn = open_project(location, read_only=True)  # a failure is the caller's
        self._events = Events(self._conn)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="annotator-listener",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if threading.current_thread() is not self._thread:  # else it ends on its own
            self._thread.join()

    def _run(self) -> None:
        listening_on = None
        try:
            while not self._stopping.is_set():
                try:
                    if self._conn.raw is not listening_on:  # new, or reopened
                        self._conn.execute(f"LISTEN {CHANNEL}")
                        listening_on = self._conn.raw
                        self._handler.listening(self._events)
                    ids = self._wait()
                    if ids and not self._stopping.is_set():
                        self._handler.notified(ids, self._events)
                except StoreError as exc:  # lost, or refused on reopening: tried again
                    self._handler.lost(str(exc))
                    self._stopping.wait(WAIT_S)  # the connection's backoff paces the tries
        finally:
            self._conn.close()

    def _wait(self) -> list[int]:
        """The ids announced within `WAIT_S` (at once when one comes), with any that came in
        the same moment."""
        raw = self._conn.raw
        if raw.closed:  # lost: reopened now, or refused until the backoff allows a try
            self._conn.reopen()
            return []
        with translated(self._conn.where):
            notes = list(raw.notifies(timeout=WAIT_S, stop_after=1))
            if notes:
                notes += raw.notifies(timeout=0)
        return [int(note.payload) for note in notes if note.channel == CHANNEL]
