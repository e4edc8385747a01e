"""The workspace in review mode: the open document's `gold` set is the layer every edit goes
to, and beside it the merged picture of the annotators' finished work (`state.ReviewState`).

Opening a document writes nothing: until gold exists the article draws the agreed items
it will start with. The first decision or edit writes them into gold first
(`decide.start_review` + `decide.accept_agreed`, one action each, not undo steps), so what
everyone agrees on is there before the reviewer's change. Every decision after that is one
core op through the workspace's road (`Workspace.run`: one transaction, one event, one
undo step). Taking the version gold already holds writes nothing: it is remembered as
settled for the session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal

from annotator.core.changes import Change
from annotator.core.errors import OpError
from annotator.core.project_settings import review_rule
from annotator.core.ops import Op, Target
from annotator.core.review import decide
from annotator.core.review.picture import (CATS, ENTITY, Conflict, Picture, Version,
                                           gold_version, merged_picture)
from annotator.core.review.queue import REVIEWED, review_state
from annotator.core.review.work import DocumentWork, Work, load_one
from annotator.core.rights import GOLD, can_review
from annotator.core.store import StoreError
from annotator.gui.review.state import (DECISION_EVENTS, Decisions, Key, ReviewState,
                                        conflict_key, is_decision)
from annotator.gui.workspace import Workspace


class ReviewWorkspace(Workspace):
    reviewChanged = Signal()  # the conflicts, which are settled or the focus changed

    def __init__(self, *args, **kwargs):
        kwargs["suggest"] = False  # gold is made from people's work, not the model's
        super().__init__(*args, **kwargs)
        self.owner = GOLD
        self.rule = review_rule(self.store)  # the project's majority rule, as last read
        self.review: ReviewState | None = None
        self._review_doc: str | None = None
        self._confirmed: dict[str, set[Key]] = {}
        self._merged: tuple[tuple, Picture] | None = None  # the last picture, and its inputs
        self._work: DocumentWork | None = None  # the review document's sets, as last read
        self._decisions = Decisions()  # and its decision events
        self._decision: Change | None = None  # the decision whose record is being shown
        self.deciding = False  # a decision is being written: the focus moves on after it

    # -- documents -------------------------------------------------------------------------

    def _accept_agreed(self, doc_id: str) -> None:
        """Gold of a queued document starts with what every finished annotator agrees on."""
        if not can_review(self.session.role):
            return
        try:
            if self.store.sets.find(doc_id, GOLD) is not None:
                return
            work = load_one(self.store, doc_id)
            if work.curation != "included" or len(work.works) < 2:
                return
            picture = self._picture(work.works, min_agree=self.rule,
                                    schema_hash=self.schema.hash)
            if not any(picture.accepted()):
                return
            target = decide.start_review(self.store, self.session, doc_id, self.schema.hash)
            decide.accept_agreed(self.session, self.store, target, picture).apply(self.store)
        except (OpError, StoreError) as exc:
            self.message.emit(f"agreed work not written into gold: {exc}")

    def _on_change(self, change: Change) -> None:
        """A decision's record, from here or another process, names a change of gold alone:
        the review reloads with what it knows of the rest (`_reload_review`)."""
        self._decision = change if is_decision(change.action) else None
        try:
            super()._on_change(change)
        finally:
            self._decision = None

    def _load(self) -> None:
        super()._load()
        self._reload_review(quiet=True)  # the window redraws for the change or the opening

    def follow_rule(self) -> None:
        """The project's majority rule changed: the picture is drawn again under it (gold
        already written keeps what it has; the rule settles conflicts, it edits nothing)."""
        self.rule = review_rule(self.store)
        self._reload_review()

    def _reload_review(self, *, quiet: bool = False) -> None:
        doc_id = self.doc_id
        if doc_id is None:
            return
        decision = self._decision
        if decision is not None and decision.event_id is not None and \
                self._review_doc == doc_id and doc_id in decision.docs:
            work = load_one(self.store, doc_id, known=self._work)
            for event in self.store.events.after(decision.event_id - 1, limit=1):
                if event.id == decision.event_id:
                    self._decisions.add(event)
        else:
            work = load_one(self.store, doc_id)
            self._decisions = Decisions(self.store.events.list(doc_id=doc_id,
                                                               actions=DECISION_EVENTS))
        self._work = work
        state = ReviewState.build(
            self.text, self._picture(work.works, min_agree=self.rule,
                                    schema_hash=self.schema.hash),
            work.gold_work, reviewed=review_state(work) == REVIEWED,
            decided=self._decisions.keys(), confirmed=self._confirmed.get(doc_id, set()))
        if self.review is not None and self._review_doc == doc_id:
            state.keep(self.review)
        self.review, self._review_doc = state, doc_id
        if not quiet:
            self.reviewChanged.emit()

    def _picture(self, works: tuple[Work, ...], **options: Any) -> Picture:
        """The merged picture of the annotators' finished works: the last one again while
        they and the options are the same, as after a decision (it changes gold only)."""
        merged_from = (works, options)
        if self._merged is None or self._merged[0] != merged_from:
            self._merged = (merged_from, merged_picture(works, **options))
        return self._merged[1]

    def start_work(self) -> bool:
        """Gold, rather than the reviewer's own set, is what an edit starts."""
        if self._started:
            return True
        if self.doc_id is None:
            self.message.emit("open a document first")
            return False
        self._accept_agreed(self.doc_id)
        try:
            target = decide.start_review(self.store, self.session, self.doc_id,
                                         self.schema.hash)
        except OpError as exc:
            self.saved.emit(False)
            self.message.emit(f"not saved: {exc}")
            return False
        except StoreError as exc:
            self.not_saved(f"not saved: {exc}", self.start_work)
            return False
        if self.target is None:
            self._adopt(target)
        self._started = True
        return True

    # -- conflicts -------------------------------------------------------------------------

    def step_conflict(self, step: int) -> bool:
        """Tab / Shift+Tab: the next / previous conflict (open ones first); False if the
        document has none."""
        if self.review is None or not self.review.conflicts:
            return False
        if self.focused is not None:
            self.set_focus(None)
        self.review.step(step)
        self.reviewChanged.emit()
        self.message.emit(self.review.describe_focus())
        return True

    def cycle_version(self, step: int) -> bool:
        if self.review is None or self.review.cycle(step) is None:
            return False
        self.reviewChanged.emit()
        self.message.emit(self.review.describe_focus())
        return True

    def take_shown(self) -> bool:
        """Enter: gold takes the focused conflict's version shown."""
        conflict = self._focused_conflict()
        if conflict is None:
            return False
        assert self.review is not None and self.review.focused is not None
        version = self.review.shown[self.review.focused]
        return self._settle(conflict, version, "take")

    def drop(self) -> bool:
        """X: gold keeps nothing there (a document label: no value)."""
        conflict = self._focused_conflict()
        if conflict is None:
            return False
        empty = (None,) if conflict.layer == CATS else ()
        return self._settle_with(conflict, empty, "drop", drop=True)

    def relabel(self, label: str) -> bool:
        """A digit on an entity conflict: gold takes the shown version's ranges (or, if it
        shows nothing, the first version's) with this label."""
        conflict = self._focused_conflict()
        if conflict is None or conflict.layer != ENTITY:
            return False
        assert self.review is not None and self.review.focused is not None
        shown = conflict.versions[self.review.shown[self.review.focused]].items or \
            next(v.items for v in conflict.versions if v.items)
        return self._settle_with(conflict, tuple((s, e, label) for s, e, _ in shown),
                                 f"label {label}")

    def _focused_conflict(self) -> Conflict | None:
        return self.review.focused_conflict() if self.review is not None else None

    def _settle_with(self, conflict: Conflict, items: tuple, text: str, *,
                     drop: bool = False) -> bool:
        """Gold becomes `items` there: an annotator's version if one holds exactly these,
        else the reviewer's own (a version nobody held)."""
        found = next((n for n, v in enumerate(conflict.versions) if v.items == items), None)
        if found is None:
            conflict = replace(conflict, versions=(*conflict.versions, Version(items, ())))
            found = len(conflict.versions) - 1
        return self._settle(conflict, found, text, drop=drop)

    def _settle(self, conflict: Conflict, version: int, text: str, *,
                drop: bool = False) -> bool:
        assert self.review is not None
        if gold_version(conflict, self.review.gold) == version or (
                self.review.gold is None and not conflict.versions[version].items):
            self._confirm(conflict)
            return True
        build: Callable[[Target], Op] = (
            lambda t: decide.drop(self.session, self.store, t, conflict)
            if drop and conflict.layer != CATS
            else decide.take(self.session, self.store, t, conflict, version))
        self.deciding = True
        try:
            done = self.run(build, f"review {text}") is not None
        finally:
            self.deciding = False
        if not done:
            self.reviewChanged.emit()  # what a refusal reloaded
            return False
        self._after_decision()
        return True

    def _confirm(self, conflict: Conflict) -> None:
        """Gold holds this version already: settled without writing anything."""
        assert self.doc_id is not None and self.review is not None
        self._confirmed.setdefault(self.doc_id, set()).add(conflict_key(conflict))
        self._reload_review()
        self.message.emit("gold keeps what it has there")
        self._after_decision()

    def _after_decision(self) -> None:
        """The focus moves on to the next open conflict, while any is left."""
        if self.review is not None and self.review.open_conflicts:
            self.step_conflict(+1)
        else:
            self.reviewChanged.emit()

    def mark_reviewed(self) -> bool:
        return self.run(lambda t: decide.mark_reviewed(self.session, self.store, t),
                        "reviewed") is not None
