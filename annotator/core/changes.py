"""Change records and the change feed: how every view learns what an action changed.

Every write goes through one action (`annotator.core.actions`), which returns a `Change` and
publishes it on the project's feed once its transaction has committed. A front end subscribes
once and refreshes what each record names, wherever the change was made: the window's own
edits, a worker thread's import, or another process (whose events the front end follows in the
event log and turns back into records with `from_event`).
See docs/architecture.md, "The one road".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
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
    that committed the action; a GUI adapter hands records to its own thread."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._published: set[int] = set()

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
            if change.event_id is not None:
                self._published.add(change.event_id)
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber(change)

    def seen(self, event_id: int) -> bool:
        """Whether this process published the event itself (a follower skips it)."""
        with self._lock:
            return event_id in self._published

    def forget_through(self, event_id: int) -> None:
        """A follower has read the log up to `event_id`: older marks are no longer asked."""
        with self._lock:
            self._published = {i for i in self._published if i > event_id}


_feeds: dict[str, ChangeFeed] = {}
_feeds_lock = threading.Lock()


def feed(location: str) -> ChangeFeed:
    """The one feed of the project at `location` in this process, shared by every connection
    (the window's, its workers', a dialog's)."""
    with _feeds_lock:
        return _feeds.setdefault(location, ChangeFeed())
