"""The workspace state behind the window: the open document, its spans and claims, the
focused span and claim, the undo stack and the suggestion worker.

Every edit goes one road: `run(build)` builds a core op, applies it (committed before it
returns), pushes a thin command on the undo stack and tells the views what changed. The views
never write to the store themselves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.core import workflow
from annotator.core.model import Claim, Document, Span
from annotator.core.ops import Change, Op, OpError, Session, Target
from annotator.core.schema import Schema
from annotator.core.store import Store
from annotator.core.tokens import Token, read_tables, split_at
from annotator.gui.commands import OpCommand
from annotator.gui.workers import Runner, StoreTask


def _suggest_job(doc_id: str, annotator: str) -> Callable[[Store], tuple[str, int]]:
    def job(store: Store) -> tuple[str, int]:
        return doc_id, workflow.prepare_document(store, doc_id, annotator)
    return job


class Workspace(QObject):
    opened = Signal(str)             # a document is now shown
    changed = Signal(object)         # a Change: spans/claims/set fields to redraw
    focusChanged = Signal(object)    # focused span id or None
    claimChanged = Signal(object)    # active claim id or None
    statusChanged = Signal(str)      # the set status of this document changed
    message = Signal(str)            # something to tell the annotator
    saved = Signal(bool)             # the last action is committed (False: it was not)
    suggesting = Signal(bool)        # the suggestion worker started / stopped

    def __init__(self, store: Store, annotator: str, schema: Schema, *, suggest: bool = True,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.schema = schema
        self.session = Session(annotator)
        self.undo_stack = QUndoStack(self)
        self.runner = Runner(store.path, self)
        self.suggest = suggest
        self.target: Target | None = None
        self.spans: list[Span] = []
        self.claims: list[Claim] = []
        self.focused: int | None = None
        self.active_claim: int | None = None
        self.show_rejected = False
        self.last_error: OpError | None = None  # why the last `run` was refused
        self._document: Document | None = None
        self._words: list[Token] | None = None
        self._task: StoreTask | None = None

    @property
    def annotator(self) -> str:
        return self.session.annotator

    @property
    def doc_id(self) -> str | None:
        return self.target.doc_id if self.target else None

    @property
    def text(self) -> str:
        return self._document.text if self._document else ""

    @property
    def title(self) -> str | None:
        return self._document.title if self._document else None

    # -- documents ---------------------------------------------------------------------------

    def open(self, doc_id: str) -> None:
        """Show a document: its set becomes in_progress, suggestions start on the worker."""
        self.cancel_suggestions()
        try:
            target = workflow.open_document(self.store, self.session, doc_id, self.schema.hash)
        except sqlite3.OperationalError as exc:  # locked by another writer past the timeout
            self.message.emit(f"cannot open the document now: {exc}")
            return
        document = self.store.documents.get(doc_id)  # one read: the text and the title
        if document is None:
            raise KeyError(doc_id)
        self.target = target
        self._document = document
        self._words = None
        self._load()
        self.focused = self.active_claim = None
        self.opened.emit(doc_id)
        self.statusChanged.emit(doc_id)
        self.focusChanged.emit(None)
        self.claimChanged.emit(None)
        if self.suggest:
            self._start_suggestions(doc_id)

    def _load(self) -> None:
        assert self.target is not None
        self.spans = self.store.spans.for_set(self.target.set_id)
        self.claims = self.store.claims.for_set(self.target.set_id)

    def span(self, span_id: int | None) -> Span | None:
        return next((s for s in self.spans if s.id == span_id), None)

    def claim(self, claim_id: int | None) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    def tokens(self) -> list[Token]:
        """Tokens of the text split at the current span edges (for snapping selections)."""
        document = self._document
        if document is None:
            return []
        if self._words is None:  # cached as the document opened, by the suggestion worker;
            # read only: the UI thread never writes the cache nor waits for its lock
            self._words = read_tables(self.store, [document])[document.id].tokens()
        return split_at(self._words, (b for s in self.spans for b in (s.start, s.end)))[0]

    # -- the one road for edits ------------------------------------------------------------

    def run(self, build: Callable[[Target], Op], text: str | None = None) -> Change | None:
        """Build an op for the open document, apply it, push it; None if it was refused."""
        self.last_error = None
        if self.target is None:
            self.message.emit("open a document first")
            return None
        try:
            op = build(self.target)
            change = op.apply(self.store)
        except OpError as exc:
            self.last_error = exc
            self.message.emit(str(exc))
            return None
        except sqlite3.OperationalError as exc:  # e.g. locked for longer than the busy timeout
            self.saved.emit(False)
            self.message.emit(f"not saved: {exc}")
            return None
        self.undo_stack.push(OpCommand(op, self._replay, text))
        self._after(change)
        return change

    def _replay(self, op: Op, direction: str) -> bool:
        if op.target.doc_id != self.doc_id:
            self.open(op.target.doc_id)
        try:
            change = getattr(op, direction)(self.store)
        except (OpError, KeyError, sqlite3.Error) as exc:
            self.saved.emit(False)
            self.message.emit(f"cannot {direction} {op.label}: {exc}")
            return False
        self._after(change)
        self.message.emit(f"{direction}: {op.label}")
        return True

    def _after(self, change: Change) -> None:
        self._load()
        if self.span(self.focused) is None:
            self.focused = None
            self.focusChanged.emit(None)
        if self.claim(self.active_claim) is None:
            self.active_claim = None
            self.claimChanged.emit(None)
        self.changed.emit(change)
        if change.set_fields:
            self.statusChanged.emit(change.doc_id)
        self.saved.emit(True)

    # -- focus -------------------------------------------------------------------------------

    def visible(self) -> list[Span]:
        return [s for s in self.spans if self.show_rejected or s.state != "rejected"]

    def set_focus(self, span_id: int | None) -> None:
        self.focused = span_id
        self.focusChanged.emit(span_id)
        owner = self._claim_of(span_id)
        if owner is not None and owner.id != self.active_claim:
            self.set_active_claim(owner.id)

    def set_active_claim(self, claim_id: int | None) -> None:
        self.active_claim = claim_id
        self.claimChanged.emit(claim_id)

    def _claim_of(self, span_id: int | None) -> Claim | None:
        if span_id is None:
            return None
        return next((c for c in self.claims if c.content_span_id == span_id), None) or \
            next((c for c in self.claims if span_id in (c.source_span_id, c.cue_span_id)), None)

    def focus_step(self, step: int, *, suggestions_first: bool = True) -> None:
        """Move the focus to the next/previous span in text order, among the suggestions while
        any are left (the annotator's queue), else among every visible span; wraps around."""
        spans = self.visible()
        pool = [s for s in spans if s.state == "suggested"] if suggestions_first else []
        pool = pool or spans
        if not pool:
            self.message.emit("no spans in this document")
            return
        current = self.span(self.focused)
        if current is None:
            chosen = pool[0] if step > 0 else pool[-1]
        else:
            key = (current.start, current.end, current.id)
            keys = [(s.start, s.end, s.id) for s in pool]
            later = [s for s, k in zip(pool, keys) if k > key]
            earlier = [s for s, k in zip(pool, keys) if k < key]
            chosen = (later[0] if later else pool[0]) if step > 0 else \
                (earlier[-1] if earlier else pool[-1])
        self.set_focus(chosen.id)

    def toggle_rejected(self) -> bool:
        self.show_rejected = not self.show_rejected
        return self.show_rejected

    # -- suggestions -----------------------------------------------------------------------

    def _start_suggestions(self, doc_id: str) -> None:
        self._task = self.runner.start(_suggest_job(doc_id, self.annotator),
                                       self._suggestions_done, self._suggestions_failed)
        self.suggesting.emit(True)

    @property
    def suggesting_now(self) -> bool:
        return self._task is not None

    def cancel_suggestions(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.suggesting.emit(False)

    def _suggestions_done(self, result: tuple[str, int]) -> None:
        doc_id, added = result
        self._task = None
        self.suggesting.emit(False)
        if self.target is None or doc_id != self.target.doc_id or not added:
            return
        self._load()
        self.changed.emit(Change(doc_id, spans={s.id for s in self.spans},
                                 claims={c.id for c in self.claims}))
        suggested = [s.layer for s in self.spans if s.state == "suggested"]
        self.message.emit(f"{suggested.count('entity')} entity and {suggested.count('claim')} "
                          "claim suggestions ready — Tab to the first, Enter to accept")

    def _suggestions_failed(self, error: str) -> None:
        self._task = None
        self.suggesting.emit(False)
        self.message.emit(f"no suggestions: {error}")

    def close(self) -> None:
        self.cancel_suggestions()
        self.runner.wait()
