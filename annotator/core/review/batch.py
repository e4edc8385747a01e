"""Accepting what annotators agree on across the whole queue (`annotator review
accept-agreed`), one decision per document (docs/architecture.md, "Review").

Into each queued document's gold goes what at least k of its finished annotators agree on
(k defaults to all of them); every other conflict is left for review. A document whose gold
is already marked reviewed is left as the reviewer left it, and a document with nothing
agreed gets no gold set at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core import rights
from annotator.core.errors import OpError
from annotator.core.review.decide import accept_agreed, start_review
from annotator.core.review.picture import merged_picture
from annotator.core.review.work import load
from annotator.core.session import Session
from annotator.core.store import Store


@dataclass
class AcceptSummary:
    written: int = 0  # documents whose gold received something
    unchanged: int = 0  # gold already held all of it, or nothing was agreed
    reviewed: int = 0  # gold marked reviewed: left alone
    too_few: int = 0  # fewer finished annotators than k
    added: dict[str, int] = field(default_factory=lambda: {"entities": 0, "claims": 0,
                                                           "cats": 0, "kept": 0})
    left_for_review: int = 0  # conflicts no majority settled, in the documents looked at

    def as_json(self) -> dict:
        return {"written": self.written, "unchanged": self.unchanged, "reviewed": self.reviewed,
                "too_few_annotators": self.too_few, **self.added,
                "left_for_review": self.left_for_review}


def accept_agreed_everywhere(store: Store, session: Session, *, min_agree: int | None = None,
                             schema_hash: str | None = None) -> AcceptSummary:
    rights.check_edit(session.annotator, session.role, rights.GOLD)
    if min_agree is not None and min_agree < 1:
        raise ValueError(f"--min must be at least 1, not {min_agree}")
    summary = AcceptSummary()
    for work in load(store):
        if work.curation != "included" or len(work.works) < 2:
            continue
        if work.gold is not None and work.gold.status == "done":
            summary.reviewed += 1
            continue
        k = len(work.works) if min_agree is None else min_agree
        if k > len(work.works):
            summary.too_few += 1
            continue
        picture = merged_picture(work.works, min_agree=k, schema_hash=schema_hash)
        summary.left_for_review += sum(c.resolved is None for c in picture.conflicts)
        if work.gold is None and not any(picture.accepted()):
            summary.unchanged += 1
            continue
        target = start_review(store, session, work.doc_id, schema_hash)
        try:
            op = accept_agreed(session, store, target, picture)
        except OpError:  # gold holds all of it already
            summary.unchanged += 1
            continue
        op.apply(store)
        summary.written += 1
        for key in summary.added:
            summary.added[key] += op.payload()[key]
    return summary
