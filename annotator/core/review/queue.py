"""The review queue: documents at least two people finished, lowest agreement first
(docs/architecture.md, "Review").

A document's *agreement* here is agreed / (agreed + conflicts) of its merged picture
(`Picture.agreement`): the share of its decisions the annotators already made alike, which
is what a reviewer's work on it depends on. It is not a chance-corrected statistic (the
team's agreement metrics are).

Review state, from times alone:
- `to review`: no gold set yet, or gold not marked reviewed;
- `reviewed`: gold marked reviewed, and no annotator's set changed after that;
- `changed since review`: gold marked reviewed, then a person changed their set (gold's
  last write is the review's time; a person's events count unless they are gold's reviewer,
  whose events on the document may be gold edits).

Documents left out are counted by reason; filters count what they leave out too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotator.core.review.picture import Picture, merged_picture
from annotator.core.review.work import DocumentWork, load
from annotator.core.store import Store

TO_REVIEW, REVIEWED, CHANGED = "to review", "reviewed", "changed since review"
STATES = (TO_REVIEW, REVIEWED, CHANGED)
EXCLUDED, NONE_FINISHED, ONE_FINISHED = ("excluded from the corpus", "no finished annotator",
                                         "one finished annotator")
NOT_BY, NO_LABEL, OTHER_STATE = "not by the annotator asked for", "without the label asked for", \
    "in another review state"


@dataclass(frozen=True, slots=True)
class QueueEntry:
    doc_id: str
    title: str
    annotators: tuple[str, ...]
    agreement: float
    state: str
    conflicts: int
    flagged: tuple[str, ...] = ()  # annotators whose set is under another schema

    def as_json(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "annotators": list(self.annotators),
                "agreement": round(self.agreement, 4), "state": self.state,
                "conflicts": self.conflicts, "flagged": list(self.flagged)}


@dataclass(frozen=True, slots=True)
class Queue:
    documents: tuple[QueueEntry, ...]
    left_out: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"documents": [d.as_json() for d in self.documents], "left_out": self.left_out}


def review_state(work: DocumentWork) -> str:
    gold = work.gold
    if gold is None or gold.status != "done":
        return TO_REVIEW
    for row in work.sets:
        changed = row.rows_changed_at
        if row.logged_at is not None and row.annotator != gold.reviewed_by:
            changed = max(changed, row.logged_at)
        if changed > gold.updated_at:
            return CHANGED
    return REVIEWED


def review_queue(store: Store, *, annotator: str | None = None, label: str | None = None,
                 state: str | None = None, schema_hash: str | None = None,
                 min_agree: int | None = None) -> Queue:
    """The queue, filtered by an annotator among the finished ones, a label some finished
    annotator used (entity label, claim type or document label name), a review state."""
    if state is not None and state not in STATES:
        raise ValueError(f"unknown review state {state!r}; expected one of {STATES}")
    left: Counter[str] = Counter()
    entries = []
    for work in load(store):
        reason = _left_out(work)
        if reason is None and annotator is not None and \
                annotator not in {w.annotator for w in work.works}:
            reason = NOT_BY
        if reason is None and label is not None and not _uses(work, label):
            reason = NO_LABEL
        doc_state = review_state(work) if reason is None else None
        if reason is None and state is not None and doc_state != state:
            reason = OTHER_STATE
        if reason is not None:
            left[reason] += 1
            continue
        picture = merged_picture(work.works, min_agree=min_agree, schema_hash=schema_hash)
        entries.append(_entry(work, picture, doc_state))
    untouched = store.documents.count(included_only=True) - _counted_included(entries, left)
    if untouched > 0:
        left[NONE_FINISHED] += untouched
    entries.sort(key=lambda e: (e.agreement, -e.conflicts, e.doc_id))
    return Queue(tuple(entries), dict(sorted(left.items())))


def _left_out(work: DocumentWork) -> str | None:
    if work.curation != "included":
        return EXCLUDED
    if len(work.works) == 0:
        return NONE_FINISHED
    if len(work.works) == 1:
        return ONE_FINISHED
    return None


def _counted_included(entries, left: Counter[str]) -> int:
    """Included documents already counted (in the queue or left out for a reason)."""
    return len(entries) + sum(n for reason, n in left.items() if reason != EXCLUDED)


def _uses(work: DocumentWork, label: str) -> bool:
    return any(label in {e[2] for e in w.entities} or label in {c.type for c in w.claims}
               or label in w.cats for w in work.works)


def _entry(work: DocumentWork, picture: Picture, state: str) -> QueueEntry:
    return QueueEntry(work.doc_id, work.title, picture.annotators, picture.agreement, state,
                      len(picture.conflicts), picture.flagged)


__all__ = [
    "CHANGED",
    "REVIEWED",
    "STATES",
    "TO_REVIEW",
    "Queue",
    "QueueEntry",
    "review_queue",
    "review_state",
]
