"""Excluding documents with a reason, and keeping one document of a duplicate cluster.

A curator leaves a document out of the dataset for one of a few reasons (`REASONS`); "other"
needs a note, which is stored with it ("other: paywalled summary"). For a duplicate cluster
(`curate/clusters.py`) one step keeps the longest, the earliest or a chosen copy and excludes
the rest with reason "duplicate". Each is one undoable op (`ops.set_curation`); an export
never writes an excluded document and counts them by reason in its datasheet (`by_reason`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.core import ops
from annotator.core.ops import Op, OpError
from annotator.core.session import Session
from annotator.core.store import Store

REASONS = ("duplicate", "off-topic", "not news", "broken text", "other")
KEEP = ("longest", "earliest", "this")


def reason_text(reason: str, note: str | None = None) -> str:
    """The stored reason: one of `REASONS`, with the note after a colon; "other" needs one."""
    if reason not in REASONS:
        raise OpError(f"reason {reason!r} is not one of: {', '.join(REASONS)}")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise OpError('reason "other" needs a note saying why')
    return f"{reason}: {note}" if note else reason


def exclude(session: Session, store: Store, doc_ids: Sequence[str], reason: str,
            note: str | None = None) -> Op:
    """Exclude documents with a reason from the list, as one undoable op."""
    return ops.set_curation(session, store, doc_ids, "excluded", reason_text(reason, note))


def keep_one(session: Session, store: Store, doc_id: str, keep: str) -> Op:
    """Of `doc_id`'s near-duplicate cluster keep one document — the longest, the earliest
    (by date, then import order) or `doc_id` itself ("this") — and exclude the others with
    reason "duplicate", as one undoable op. The kept document's own curation is left as it
    is."""
    if keep not in KEEP:
        raise OpError(f"keep is one of {', '.join(KEEP)}, not {keep!r}")
    story = store.documents.story_of(doc_id)
    own = next((d for d in story if d["id"] == doc_id), None)
    if own is None:
        raise OpError(f"{doc_id} has no clusters yet: run `annotator curate clusters`"
                      if store.documents.get(doc_id) else f"no such document: {doc_id}")
    copies = [d for d in story if d["duplicate_id"] == own["duplicate_id"]]
    if len(copies) < 2:
        raise OpError(f"{doc_id} has no near-duplicates to leave out")
    kept = own if keep == "this" else min(copies, key=_ranking(keep, copies))
    return ops.set_curation(session, store, [d["id"] for d in copies if d is not kept],
                            "excluded", "duplicate")


def _ranking(keep: str, copies: list[dict]):
    order = {d["id"]: n for n, d in enumerate(copies)}  # import order
    if keep == "longest":
        return lambda d: (-d["n_chars"], order[d["id"]])
    return lambda d: (d["date"] is None, d["date"] or "", order[d["id"]])


def by_reason(reasons: Mapping[str | None, int]) -> dict[str, int]:
    """Excluded documents counted by reason ("other: …" notes counted as "other", a free-text
    reason from before the list as itself, none as "no reason given"), largest first."""
    out: dict[str, int] = {}
    for reason, n in reasons.items():
        text = reason or "no reason given"
        key = next((r for r in REASONS if text == r or text.startswith(f"{r}: ")), text)
        out[key] = out.get(key, 0) + n
    return dict(sorted(out.items(), key=lambda item: (-item[1], item[0])))


KEEP_CHOICES = {"keep the longest": "longest", "keep the earliest": "earliest",
                "keep this one": "this"}


def choices(store: Store, doc_id: str) -> list[str]:
    """What an exclusion of `doc_id` may say: the reasons, and for a document with
    near-duplicates the ways to keep one of them (`KEEP_CHOICES`)."""
    story = store.documents.story_of(doc_id)
    own = next((d for d in story if d["id"] == doc_id), None)
    copies = own is not None and sum(d["duplicate_id"] == own["duplicate_id"] for d in story) > 1
    return [*REASONS, *(KEEP_CHOICES if copies else ())]


def op_for(session: Session, store: Store, doc_id: str, choice: str,
           note: str | None = None) -> Op:
    """The op of one of `choices`: exclude `doc_id` for a reason, or keep one copy."""
    if choice in KEEP_CHOICES:
        return keep_one(session, store, doc_id, KEEP_CHOICES[choice])
    return exclude(session, store, [doc_id], choice, note)
