"""Change records and the change feed: how every view learns what an action changed.

Every write goes through one action (`annotator.core.actions`), which returns a `Change` and
publishes it on the project's feed once its transaction has committed. A front end subscribes
once and refreshes what each record names, wherever the change was made: the window's own
edits, a worker thread's import, or another process, whose events the project's `Follower`
reads and publishes on the same feed as records made by `from_event`.
See docs/architecture.md, "The one road" and "Live updates and reconnects".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# What kind of project state an action touched; views decide from these what to re-read.
WORK = "work"                # spans, claims, document labels or status of annotation sets
DOCUMENTS = "documents"      # documents added (an import, a merge)
CURATION = "curation"        # documents included / excluded
SETTINGS = "settings"        # project settings
SCHEMA = "schema"            # the labeling schema in use
MODEL = "model"              # the project's pipeline
CACHE = "cache"              # derived data: token and suggestion caches

_SCOPE_OF_ACTION = {"import": DOCUMENTS, "curation": CURATION, "settings": SETTINGS,
                    "schema": SCHEMA, "cache": CACHE, "assign": DOCUMENTS}


def scope_of(action: str) -> str:
    """The scope an action of this name touches, from its first word."""
    return _SCOPE_OF_ACTION.get(action.split(".", 1)[0], WORK)


@dataclass(slots=True)
class Change:
    """What one action touched. `docs` empty with a non-work scope means "any document".

    Span and claim ids are current row ids, so a view redraws only those. `remote` marks a
    record rebuilt from another process's event: it names documents and scope, not rows.
    """

    docs: set[str] = field(default_factory=set)
    spans: set[int] = field(default_factory=set)
    removed_spans: set[int] = field(default_factory=set)
    claims: set[int] = field(default_factory=set)
    removed_claims: set[int] = field(default_factory=set)
    set_fields: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    scopes: set[str] = field(default_factory=lambda: {WORK})
    action: str = ""
    actor: str = ""
    event_id: int | None = None
    remote: bool = False

    @property
    def doc_id(self) -> str | None:
        """The document of a single-document change (most edits), else None."""
        return next(iter(self.docs)) if len(self.docs) == 1 else None

    def merge(self, other: Change) -> Change:
        self.docs |= other.docs
        self.spans = (self.spans | other.spans) - other.removed_spans
        self.removed_spans = (self.removed_spans - other.spans) | other.removed_spans
        self.claims = (self.claims | other.claims) - other.removed_claims
        self.removed_claims = (self.removed_claims - other.claims) | other.removed_claims
        self.set_fields |= other.set_fields
        self.scopes |= other.scopes
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        return self


def from_event(event_id: int, action: str, actor: str, doc_id: str | None,
               payload: dict[str, Any]) -> Change:
    """A record for an event another process wrote: its documents and scope."""
    docs = {doc_id} if doc_id else set(payload.get("docs", ()))
    name = action.removesuffix(".undo")
    set_fields = {"status"} if name.startswith(("status.", "document.start")) else set()
    return Change(docs=docs, scopes={scope_of(name)}, set_fields=set_fields, action=action,
                  actor=actor, event_id=event_id, remote=True)


Subscriber = Callable[[Change], None]


class ChangeFeed:
    """The subscribers of one project in this process. `publish` calls them on the thread
    that committed the action (or the follower's); a GUI adapter hands records to its own
    thread."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._own: set[int] = set()
        self._sessions: set[str] = set()
        self._follower: Follower | None = None
        self._following = 0

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Start receiving records; returns the call that stops it."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)
        return unsubscribe

    def publish(self, change: Change) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber(change)

    def own_session(self, session_id: str) -> None:
        """Mark a session whose actions this process publishes itself as it commits them:
        marked before the first commits, however soon the follower hears of it (a server's
        batched edit learns its event id only with COMMIT's answer, too late to mark it)."""
        with self._lock:
            self._sessions.add(session_id)

    def own(self, event_id: int) -> None:
        """Mark an event whose record the follower has published already."""
        with self._lock:
            self._own.add(event_id)

    def seen(self, event_id: int, session_id: str | None = None) -> bool:
        """Whether the event's record is published here already (a follower skips it)."""
        with self._lock:
            return event_id in self._own or session_id in self._sessions

    def forget(self, event_ids: Iterable[int]) -> None:
        """The follower has read these events: their marks are no longer asked."""
        with self._lock:
            self._own.difference_update(event_ids)

    def forget_through(self, event_id: int) -> None:
        """The follower has read the log up to `event_id`: older marks are no longer asked."""
        with self._lock:
            self._own = {i for i in self._own if i > event_id}

    def follow(self, store) -> Follower:
        """The project's follower, started for the first view that wants other processes'
        changes and shared by the next ones; each lets go with `unfollow`."""
        with self._lock:
            if self._follower is None:
                self._follower = Follower(self, store)
            self._following += 1
            return self._follower

    def unfollow(self) -> None:
        with self._lock:
            self._following -= 1
            follower = self._follower if self._following == 0 else None
            if follower is not None:
                self._follower = None
        if follower is not None:  # outside the lock: its thread may be publishing
            follower.stop()


# On a server ids are drawn as events are written and commit in any order, but never this
# far apart: marks older than this behind the newest event read are forgotten.
LATE_EVENTS = 10_000
ConnectionWatcher = Callable[[str | None], None]  # why the server is lost; None: back


class Follower:
    """Publishes on the feed a record for each event another process writes.

    On a server the store's listener hands it the ids the server announced, which it reads
    by key; on a file, which announces nothing, its owner asks it to `catch_up` with the log
    now and then. Either way it reads only events newer than those it has, by the event id.
    It also tells its watchers when the server is lost and when it is back."""

    def __init__(self, feed: ChangeFeed, store):
        self._feed = feed
        self._lock = threading.RLock()  # a subscriber may watch while a record is published
        self._last = store.events.last_id()
        self._problem: str | None = None
        self._watchers: list[ConnectionWatcher] = []
        self._stop_listening = store.listen(self)

    @property
    def live(self) -> bool:
        """Whether the server announces changes (else the owner calls `catch_up`)."""
        return self._stop_listening is not None

    def catch_up(self, events, *, kept: int = 0) -> None:
        """Publish every event after the last one read; marks up to `kept` events behind
        the newest are kept (see `listening`)."""
        with self._lock:
            while batch := events.after(self._last):
                self._publish(batch)
                self._last = batch[-1].id
            self._feed.forget_through(self._last - kept)

    def notified(self, ids: list[int], events) -> None:
        """Publish the events the server announced, read by their ids."""
        low, high, wanted = min(ids), max(ids), set(ids)
        with self._lock:
            self._publish([e for e in events.after(low - 1, limit=high - low + 1)
                           if e.id in wanted])
            self._last = max(self._last, high)
            self._feed.forget(wanted)

    def listening(self, events) -> None:
        """Listening (again): what was written while nobody listened is read first. The
        server may still announce some of it (what committed after listening began), so
        its marks stay until then."""
        self.catch_up(events, kept=LATE_EVENTS)
        self._tell(None)

    def lost(self, message: str) -> None:
        self._tell(message)

    def watch(self, watcher: ConnectionWatcher) -> Callable[[], None]:
        """Be told when the server is lost (why) and when it is back (None)."""
        with self._lock:
            self._watchers.append(watcher)
            problem = self._problem
        if problem is not None:
            watcher(problem)

        def unwatch() -> None:
            with self._lock:
                if watcher in self._watchers:
                    self._watchers.remove(watcher)
        return unwatch

    def _tell(self, problem: str | None) -> None:
        with self._lock:
            if problem == self._problem:
                return
            self._problem = problem
            watchers = list(self._watchers)
        for watcher in watchers:
            watcher(problem)

    def _publish(self, events) -> None:
        for event in events:
            if not self._feed.seen(event.id, event.session_id):
                self._feed.own(event.id)
                self._feed.publish(from_event(event.id, event.action, event.annotator,
                                              event.doc_id, event.payload))

    def stop(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()


_feeds: dict[str, ChangeFeed] = {}
_feeds_lock = threading.Lock()


def feed(location: str) -> ChangeFeed:
    """The one feed of the project at `location` in this process, shared by every connection
    (the window's, its workers', a dialog's)."""
    with _feeds_lock:
        return _feeds.setdefault(location, ChangeFeed())
