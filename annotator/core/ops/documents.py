"""Edits of documents themselves rather than of anyone's annotations: curation.

Including or excluding documents is an admin's decision over the corpus (an excluded document
is never exported). One op may cover many documents (exclude a search result, all but one of
a duplicate cluster) and is undone as one step. A title may be corrected (a scraped page's
navigation crumb, "← NewsAll"), by a reviewer or an admin (`rights.check_curator`); the text
never changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core import rights
from annotator.core.changes import CURATION, Change
from annotator.core.ops.base import Op, OpError, Session, Target
from annotator.core.store import Store

CURATIONS = ("included", "excluded")


class SetCuration(Op):
    """Set the curation of several documents; undo restores each one's own."""

    def __init__(self, session: Session, doc_ids: Sequence[str], curation: str,
                 reason: str | None):
        super().__init__(session, Target(doc_ids[0], None))
        self.action = "curation.include" if curation == "included" else "curation.exclude"
        self.doc_ids, self.curation, self.reason = list(doc_ids), curation, reason
        self._before: dict[str, tuple[str, str | None]] = {}

    def targets(self) -> list[Target]:
        return [Target(doc_id, None) for doc_id in self.doc_ids]

    def check(self, store: Store) -> None:
        rights.check_admin(self.session.annotator, self.session.role, "curate the corpus")

    def payload(self) -> dict[str, Any]:
        return {"reason": self.reason} if self.reason else {}

    def _apply(self, store: Store) -> Change:
        self._before = store.documents.curations(self.doc_ids)
        for doc_id in self.doc_ids:
            store.documents.set_curation(doc_id, self.curation, self.reason)
        return self._change()

    def _undo(self, store: Store) -> Change:
        for doc_id, (curation, reason) in self._before.items():
            store.documents.set_curation(doc_id, curation, reason)
        return self._change()

    def _change(self) -> Change:
        return Change(set(self.doc_ids), scopes={CURATION},
                      counts={self.curation: len(self.doc_ids)})


def set_curation(session: Session, store: Store, doc_ids: Sequence[str], curation: str,
                 reason: str | None = None) -> Op:
    """Include or exclude documents (with a reason for an exclusion) as one step; refuses
    unknown ids and a request that would change nothing."""
    if curation not in CURATIONS:
        raise OpError(f"curation is one of {CURATIONS}, not {curation!r}")
    ids = list(dict.fromkeys(doc_ids))
    if not ids:
        raise OpError("no documents given")
    before = store.documents.curations(ids)
    unknown = [doc_id for doc_id in ids if doc_id not in before]
    if unknown:
        raise OpError(f"no such document: {', '.join(unknown[:5])}"
                      + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""))
    changing = [doc_id for doc_id in ids
                if before[doc_id] != (curation, reason if curation == "excluded" else None)]
    if not changing:
        raise OpError(f"every one of these documents is already {curation}")
    return SetCuration(session, changing, curation, reason)


MAX_TITLE = 500


class SetTitle(Op):
    """Correct one document's title; undo restores the one it had."""

    action = "curation.title"  # corpus data: every view re-reads the list, like a curation

    def __init__(self, session: Session, doc_id: str, title: str, before: str):
        super().__init__(session, Target(doc_id, None))
        self.title_text, self.before = title, before

    def check(self, store: Store) -> None:
        rights.check_curator(self.session.annotator, self.session.role, "edit titles")

    def payload(self) -> dict[str, Any]:
        return {"title": self.title_text, "before": self.before}

    def _apply(self, store: Store) -> Change:
        store.documents.set_title(self.target.doc_id, self.title_text)
        return Change({self.target.doc_id}, scopes={CURATION})

    def _undo(self, store: Store) -> Change:
        store.documents.set_title(self.target.doc_id, self.before)
        return Change({self.target.doc_id}, scopes={CURATION})


def set_title(session: Session, store: Store, doc_id: str, title: str) -> Op:
    """A document's new title: one line (runs of white space become one space), not empty,
    at most MAX_TITLE characters, and different from the current one."""
    document = store.documents.get(doc_id)
    if document is None:
        raise OpError(f"no such document: {doc_id}")
    title = " ".join(title.split())
    if not title:
        raise OpError("a title cannot be empty")
    if len(title) > MAX_TITLE:
        raise OpError(f"a title has at most {MAX_TITLE} characters; this one has {len(title)}")
    if title == document.title:
        raise OpError("the title is already that")
    return SetTitle(session, doc_id, title, document.title)
