"""The workspace state behind the window: the open document, its spans and claims, the
focused span and claim, the session's undo history (kept by the core) and the suggestion
worker.

Viewing writes nothing: a document the annotator has not started shows its suggestions as a
preview; their first edit starts the work (`workflow.start_work`: the set, in progress, the
previewed suggestions) and the edit follows. Every edit goes one road: `run(build)` builds a
core op and hands it to the core history, which applies it as one action; the views refresh
from the change record the core publishes (`gui/changes.py`), like they do for changes made
by a worker or another process. The views never write to the store themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.core import workflow
from annotator.core.changes import CURATION, WORK, Change
from annotator.core.errors import StaleWrite
from annotator.core.history import History
from annotator.core.model import AnnotationSet, Claim, Document, Span
from annotator.core.ops import Op, OpError, Session, Target
from annotator.core.project import role_on
from annotator.core.schema import Schema
from annotator.core.store import Store, StoreError
from annotator.core.suggest.materialise import Suggestions, plan
from annotator.core.tokens import Token, read_tables, split_at
from annotator.gui.changes import ChangeBridge
from annotator.gui.workers import JobRunner, Task


def _suggest_job(doc_id: str, annotator: str) -> Callable[[Store], tuple[str, object]]:
    def job(store: Store) -> tuple[str, object]:
        return doc_id, workflow.prepare_document(store, doc_id, annotator)
    return job


def _key(span: Span) -> tuple[str, int, int, str]:
    return span.layer, span.start, span.end, span.label


class Workspace(QObject):
    opened = Signal(str)             # a document is now shown
    changed = Signal(object)         # a Change: spans/claims/set fields to redraw
    focusChanged = Signal(object)    # focused span id or None
    claimChanged = Signal(object)    # active claim id or None
    message = Signal(str)            # something to tell the annotator
    saved = Signal(bool)             # the last action is committed (False: it was not)
    suggesting = Signal(bool)        # the suggestion worker started / stopped
    historyChanged = Signal()        # what Undo / Redo would do changed
    retitled = Signal()              # the open document's title was corrected

    def __init__(self, store: Store, annotator: str, schema: Schema, runner: JobRunner, *,
                 suggest: bool = True, changes: ChangeBridge | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.schema = schema
        self.session = Session(annotator, role=role_on(store))
        self.owner = annotator  # whose set of each document is edited (review: gold)
        self.history = History()
        self.changes = changes or ChangeBridge(store, self)
        self.changes.changed.connect(self._on_change)
        self.runner = runner  # the window's: suggestions go on its interactive lane
        self.suggest = suggest
        self.target: Target | None = None   # the annotator's set, once they work on it
        self.spans: list[Span] = []
        self.claims: list[Claim] = []
        self.focused: int | None = None
        self.active_claim: int | None = None
        self.show_rejected = False
        self.last_error: OpError | None = None  # why the last `run` was refused
        self._document: Document | None = None
        self._preview: Suggestions | None = None
        self._started = False  # the annotator's set exists and is past todo
        self._words: list[Token] | None = None
        self._task: Task | None = None
        self._told = False  # something was said since the document opened
        self._unsaved: Callable[[], object] | None = None  # the last action not saved
        self.message.connect(self._note_message)

    @property
    def annotator(self) -> str:
        return self.session.annotator

    @property
    def doc_id(self) -> str | None:
        return self._document.id if self._document else None

    @property
    def text(self) -> str:
        return self._document.text if self._document else ""

    @property
    def title(self) -> str | None:
        return self._document.title if self._document else None

    def annotation_set(self) -> AnnotationSet | None:
        """The annotator's set of the open document; None until they work on it."""
        return self.store.sets.get(self.target.set_id) if self.target else None

    # -- documents ---------------------------------------------------------------------------

    def open(self, doc_id: str) -> None:
        """Show a document (reads only); its suggestions start on the worker."""
        self.cancel_suggestions()
        try:
            document = self.store.documents.get(doc_id)  # one read: the text and the title
            found = self.store.sets.find(doc_id, self.owner)
        except StoreError as exc:
            self.message.emit(f"cannot open the document now: {exc}")
            return
        if document is None:
            raise KeyError(doc_id)
        self._document = document
        self._unsaved = None  # a retry belongs to the document it was tried on
        self.message.emit("")  # what was said was about the document left behind
        self._told = False
        self.target = Target(doc_id, found.id) if found else None
        self._started = found is not None and found.status != "todo"
        self._preview = None
        self._words = None
        self._load()
        self.focused = self.active_claim = None
        self.opened.emit(doc_id)
        self.focusChanged.emit(None)
        self.claimChanged.emit(None)
        if self.suggest:
            self._start_suggestions(doc_id)

    def _load(self) -> None:
        if self.target is not None:  # the set's version first: a write from an older copy
            # of gold is refused (`core/actions.py`)
            self.session.saw(self.target.set_id, self.store.sets.get(self.target.set_id).version)
            self.spans = self.store.spans.for_set(self.target.set_id)
            self.claims = self.store.claims.for_set(self.target.set_id)
        elif self._preview is not None:
            self.spans, self.claims = plan(self._preview.payload, self._preview.key).preview()
        else:
            self.spans, self.claims = [], []

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

    def start_work(self) -> bool:
        """Start the annotator's work on the open document if they have not yet: the set,
        in progress, the previewed suggestions. Focus follows the previewed span to its row."""
        if self._started:
            return True
        if self._document is None:
            self.message.emit("open a document first")
            return False
        try:
            target = workflow.start_work(self.store, self.session, self._document.id,
                                         self.schema.hash, self._preview)
        except OpError as exc:
            self.saved.emit(False)
            self.message.emit(f"not saved: {exc}")
            return False
        except StoreError as exc:
            self.not_saved(f"not saved: {exc}", self.start_work)
            return False
        if self.target is None:  # else the published change has adopted it already
            self._adopt(target)
        self._started = True
        return True

    def _adopt(self, target: Target) -> None:
        """From the preview to the annotator's rows: focus follows each previewed span and
        claim to the row it became."""
        before = {s.id: _key(s) for s in self.spans}
        content = {c.id: before.get(c.content_span_id) for c in self.claims}
        self.target, self._preview = target, None
        self._load()
        now = {_key(s): s.id for s in self.spans}
        claims_now = {c.content_span_id: c.id for c in self.claims}
        self.focused = now.get(before.get(self.focused))
        self.active_claim = claims_now.get(now.get(content.get(self.active_claim)))

    # -- the one road for edits ------------------------------------------------------------

    def run(self, build: Callable[[Target], Op], text: str | None = None) -> Change | None:
        """Build an op for the annotator's set of the open document (starting their work on
        it if needed) and apply it; None if it was refused."""
        self.last_error = None
        if not self.start_work():
            if self._unsaved is not None:  # the whole edit is what Retry tries again
                self._unsaved = lambda: self.run(build, text)
            return None
        assert self.target is not None
        target = self.target
        return self.apply(lambda: build(target), text)

    def apply(self, build: Callable[[], Op], text: str | None = None) -> Change | None:
        """Build an op and apply it through the core history; None if it was refused. The
        views refresh from the change record the core publishes."""
        self.last_error = None
        try:
            op = build()
            op.title = text
            change = self.history.do(self.store, op)
            self.message.emit("")  # a warning about the refused try is stale now
        except OpError as exc:
            self._reload_if_stale(exc)
            self.last_error = exc
            self.message.emit(str(exc))
            return None
        except StoreError as exc:  # locked past the busy timeout, the server lost
            self.not_saved(f"not saved: {exc}", lambda: self.apply(build, text))
            return None
        self._unsaved = None
        self.saved.emit(True)
        self.historyChanged.emit()
        return change

    def undo(self) -> None:
        self._replay("undo")

    def redo(self) -> None:
        self._replay("redo")

    def _replay(self, direction: str) -> None:
        history = self.history
        label = history.undo_label() if direction == "undo" else history.redo_label()
        if label is None:
            self.message.emit(f"nothing to {direction}")
            return
        try:
            change = getattr(history, direction)(self.store)
        except OpError as exc:  # the step is dropped: nothing to retry
            self._reload_if_stale(exc)
            self.saved.emit(False)
            self.message.emit(f"cannot {direction} {label}: {exc}")
            self.historyChanged.emit()
            return
        except StoreError as exc:  # the step is kept
            self.not_saved(f"cannot {direction} {label}: {exc}",
                            lambda: self._replay(direction))
            self.historyChanged.emit()
            return
        self._unsaved = None
        self.historyChanged.emit()
        if change is not None and change.docs and self.doc_id not in change.docs \
                and WORK in change.scopes:
            self.open(sorted(change.docs)[0])  # undo reaches back across documents
        touched = [s for s in self.spans if change is not None and s.id in change.spans]
        if touched:  # the eye goes back to what the step changed
            self.set_focus(min(touched, key=lambda s: (s.start, s.end, s.id)).id)
        self.saved.emit(True)
        self.message.emit(f"{direction}: {label}")

    def _reload_if_stale(self, exc: Exception) -> None:
        """Someone else changed the gold shown here: show it as it is now."""
        if isinstance(exc, StaleWrite) and exc.doc_id == self.doc_id:
            self._on_change(Change({exc.doc_id}, set_fields={"cats", "status"}))

    def not_saved(self, text: str, retry: Callable[[], object]) -> None:
        """Say what could not be saved, and keep how to try it again (`retry`)."""
        self._unsaved = retry
        self.saved.emit(False)
        self.message.emit(f"{text} — Retry tries again")

    def retry(self) -> None:
        """Try the last action that was not saved once more (after the server is back)."""
        unsaved, self._unsaved = self._unsaved, None
        if unsaved is None:
            self.message.emit("nothing to retry")
            return
        unsaved()

    def _note_message(self, text: str) -> None:
        self._told = self._told or bool(text)

    def _on_change(self, change: Change) -> None:
        """Any change to the project, from here or elsewhere: redraw what shows it."""
        if self._document is not None and CURATION in change.scopes \
                and (not change.docs or self._document.id in change.docs):
            self._document = self.store.documents.get(self._document.id) or self._document
            self.retitled.emit()  # a corrected title (the text never changes)
        if self._document is None or WORK not in change.scopes:
            return
        if change.docs and self._document.id not in change.docs:
            return
        if self.target is None:  # the work started (here, or in another window of theirs)
            found = self.store.sets.find(self._document.id, self.owner)
            if found is None:
                return
            self._adopt(Target(self._document.id, found.id))
        else:
            self._load()
        if self.span(self.focused) is None:
            self.focused = None
            self.focusChanged.emit(None)
        if self.claim(self.active_claim) is None:
            self.active_claim = None
            self.claimChanged.emit(None)
        self.changed.emit(change)

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

    def roles_of(self, span_id: int) -> tuple[str, ...]:
        """The claim parts ("source", "cue") a span is, in any claim of the document."""
        return tuple(role for role in ("source", "cue")
                     if any(getattr(c, f"{role}_span_id") == span_id for c in self.claims))

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

    def _suggestions_done(self, result: tuple[str, workflow.Prepared]) -> None:
        doc_id, prepared = result
        self._task = None
        self.suggesting.emit(False)
        if doc_id != self.doc_id:
            return
        if prepared.preview is not None:
            if self.target is not None:  # the work started while the model ran
                self._start_with(prepared.preview)
                return
            self._preview = prepared.preview
            self._load()
            self.changed.emit(Change({doc_id}, spans={s.id for s in self.spans},
                                     claims={c.id for c in self.claims}))
        elif not prepared.added:
            return
        if self._told:  # e.g. "done — 110 suggestions accepted": keep it on show
            return
        suggested = [s.layer for s in self.spans if s.state == "suggested"]
        self.message.emit(f"{suggested.count('entity')} entity and {suggested.count('claim')} "
                          "claim suggestions ready — Tab to the first, Enter to accept")

    def _start_with(self, suggestions: Suggestions) -> None:
        try:
            workflow.start_work(self.store, self.session, suggestions.doc_id, self.schema.hash,
                                suggestions)
        except (OpError, StoreError) as exc:
            self.message.emit(f"suggestions not saved: {exc}")

    def _suggestions_failed(self, error: str) -> None:
        self._task = None
        self.suggesting.emit(False)
        self.message.emit(f"no suggestions: {error}")

    def close(self) -> None:
        self.cancel_suggestions()
        self.changes.close()
