"""The annotator's path through a project: where to start, what comes next, when a document
is done, and how fast the session goes. The GUI's status flow is these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from annotator.core.ops import Session, Target, undecided
from annotator.core.store import Store
from annotator.core.tokens import cached_tables

OPEN_STATUSES = ("todo", "in_progress")
DONE_ASKS = "done_asks"  # project setting: Ctrl+Enter asks before accepting leftovers


def start_document(store: Store, annotator: str) -> str | None:
    """The document this annotator was last on (from the event log), else the first to do."""
    return store.events.last_doc(annotator) or next_todo(store, annotator)


def next_todo(store: Store, annotator: str, after: str | None = None) -> str | None:
    """The next document still to do (todo or in progress) after `after`, in list order,
    wrapping around; None when everything is finished."""
    return store.documents.next_with_status(annotator, OPEN_STATUSES, after)


def open_document(store: Store, session: Session, doc_id: str, schema_hash: str | None) -> Target:
    """Make the annotator's set for a document (todo becomes in_progress) and log the visit.

    Not an undoable edit: opening is navigation, recorded so that work resumes here.
    """
    with store.transaction():
        annotation_set = store.sets.ensure(doc_id, session.annotator, schema_hash)
        if annotation_set.status == "todo":
            store.sets.update(annotation_set.id, status="in_progress")
        store.events.append(session.annotator, "document.open", doc_id=doc_id,
                            session_id=session.session_id)
    return Target(doc_id, annotation_set.id)


def prepare_document(store: Store, doc_id: str, annotator: str) -> int:
    """What the app does off the UI thread as a document opens: the model's suggestions into
    the annotator's set (`ensure_suggestions`), and the document's tokens into the token
    cache, where the window snaps selections to them and an export finds them (so the first
    export of a project annotated in the app does not tokenize). Each at most once; returns
    the number of new suggested spans."""
    from annotator.core.suggest import ensure_suggestions  # spaCy: loaded here, not at start

    document = store.documents.get(doc_id)
    if document is not None:  # first: milliseconds, while the model may take seconds to load
        cached_tables(store, [document])
    return ensure_suggestions(store, doc_id, annotator)


def pending_on_done(store: Store, target: Target) -> int:
    """How many suggestions marking the document done would accept."""
    return len(undecided(store, target))


def done_asks(store: Store) -> bool:
    return bool(store.settings.get(DONE_ASKS, False))


def set_done_asks(store: Store, annotator: str, ask: bool) -> None:
    """Make Ctrl+Enter ask before accepting leftover suggestions (for the whole project)."""
    with store.transaction():
        store.settings.set(DONE_ASKS, ask)
        store.events.append(annotator, "settings.done_asks", payload={"value": ask})


@dataclass(frozen=True, slots=True)
class Pace:
    done: int
    hours: float

    @property
    def per_hour(self) -> float | None:
        return self.done / self.hours if self.hours > 0 else None


def session_pace(store: Store, session: Session, now: datetime | None = None) -> Pace:
    """Documents finished in this session (done minus undone) and the hours since it began."""
    first, counts = store.events.session_counts(session.annotator, session.session_id,
                                                ("status.done", "status.done.undo"))
    if first is None:
        return Pace(0, 0.0)
    done = counts["status.done"] - counts["status.done.undo"]
    now = now or datetime.now(timezone.utc)
    return Pace(max(done, 0), (now - datetime.fromisoformat(first)).total_seconds() / 3600)
