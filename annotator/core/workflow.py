"""The annotator's path through a project: where to start, what comes next, when a document
is done, and how fast the session goes. The GUI's status flow is these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from annotator.core.actions import action
from annotator.core.ops import Session, Target
from annotator.core.store import Store
from annotator.core.team.assign import follows_assignment
from annotator.core.suggest.materialise import (Suggestions, ensure_suggestions,
                                                put_suggestions, suggestions_for)
from annotator.core.tokens import cached_tables

OPEN_STATUSES = ("todo", "in_progress")


def start_document(store: Store, annotator: str, *, everything: bool = False) -> str | None:
    """The document this annotator was last on (from the event log), else the first to do."""
    return store.events.last_doc(annotator) or next_todo(store, annotator,
                                                          everything=everything)


def next_todo(store: Store, annotator: str, after: str | None = None, *,
              everything: bool = False) -> str | None:
    """The next document still to do (todo or in progress) after `after`, in list order,
    wrapping around; None when everything is finished. Where work was handed out, only the
    annotator's own documents, unless they asked for `everything`."""
    return store.documents.next_with_status(
        annotator, OPEN_STATUSES, after,
        assigned=follows_assignment(store, everything=everything))


def start_work(store: Store, session: Session, doc_id: str, schema_hash: str,
               suggestions: Suggestions | None = None) -> Target:
    """The annotator starts working on a document (their first edit, or an explicit start):
    their set is created and marked in progress, and receives `suggestions` if given, as one
    action. Nothing is written when the set is already started."""
    found = store.sets.find(doc_id, session.annotator)
    if found is not None and found.status != "todo" and suggestions is None:
        return Target(doc_id, found.id)
    with action(store, session, "document.start", docs=[doc_id]) as act:
        annotation_set = store.sets.ensure(doc_id, session.annotator, schema_hash)
        if annotation_set.status == "todo":
            store.sets.update(annotation_set.id, status="in_progress")
            act.change.set_fields.add("status")
        if suggestions is not None:
            added = put_suggestions(store, annotation_set.id, suggestions)
            act.payload["suggested"] = act.change.counts["suggested"] = added
    return Target(doc_id, annotation_set.id)


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the worker found for an opened document: `added` suggestions put into a set
    already started, or `preview` suggestions for a set not started yet."""

    added: int = 0
    preview: Suggestions | None = None


def prepare_document(store: Store, doc_id: str, annotator: str) -> Prepared:
    """What the app does off the UI thread as a document opens: the document's tokens into
    the token cache (where the window snaps selections and an export finds them), and the
    annotator's suggestions: put into their set if they already work on it, else returned
    as a preview, so that viewing creates nothing."""
    document = store.documents.get(doc_id)
    if document is not None:  # first: milliseconds, while the model may take seconds to load
        cached_tables(store, [document])
    if store.sets.find(doc_id, annotator) is not None:
        return Prepared(added=ensure_suggestions(store, doc_id, annotator))
    return Prepared(preview=suggestions_for(store, doc_id, annotator))


MIN_PACE_HOURS = 5 / 60  # a session's pace is shown after its first five minutes


@dataclass(frozen=True, slots=True)
class Pace:
    done: int
    hours: float

    @property
    def per_hour(self) -> float | None:
        """None for the first minutes: one document in 20 seconds is no pace of 180/h."""
        return self.done / self.hours if self.hours >= MIN_PACE_HOURS else None


def session_pace(store: Store, session: Session, now: datetime | None = None) -> Pace:
    """Documents finished in this session (done minus undone) and the hours since it began."""
    first, counts = store.events.session_counts(session.annotator, session.session_id,
                                                ("status.done", "status.done.undo"))
    if first is None:
        return Pace(0, 0.0)
    done = counts["status.done"] - counts["status.done.undo"]
    now = now or datetime.now(timezone.utc)
    return Pace(max(done, 0), (now - datetime.fromisoformat(first)).total_seconds() / 3600)
