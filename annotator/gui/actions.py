"""The verbs of the keyboard map (docs/architecture.md), each named in `keyboard.KEYMAP`.

They read the selection and the focus, build the core op and hand it to `Workspace.run`;
anything that needs a person's answer (a note, a confirmation) goes through the `Surface`
the window provides, so tests can answer without a modal dialog.
"""

from __future__ import annotations

from typing import Protocol

from annotator.core import ops, project_settings, workflow
from annotator.core.curate import exclusion
from annotator.core.errors import OpError
from annotator.core.store import StoreError
from annotator.gui.workspace import Workspace


MOST_AGREE = 20  # the largest majority the dialog offers; teams are smaller


class Surface(Protocol):
    def selection(self) -> tuple[int, int] | None: ...
    def clear_selection(self) -> None: ...
    def asks_before_done(self) -> bool: ...
    def confirm_done(self, pending: int, *, optional: bool) -> bool: ...
    def ask_text(self, title: str, label: str, text: str = "") -> str | None: ...
    def ask_number(self, title: str, label: str, value: int, most: int) -> int | None: ...
    def ask_exclusion(self, choices: list[str]) -> tuple[str, str] | None: ...
    def neighbour(self, doc_id: str, step: int) -> str | None: ...
    def shows_everything(self) -> bool: ...
    def focus_search(self) -> None: ...
    def cancel_search(self) -> None: ...
    def step_hit(self, step: int) -> None: ...
    def show_keymap(self) -> None: ...
    def show_guidelines(self) -> None: ...
    def show_rejected(self, shown: bool) -> None: ...
    def show_import(self) -> object: ...
    def show_export(self) -> object: ...
    def show_agreement(self) -> object: ...

    def show_checks(self) -> object: ...
    def show_dashboard(self) -> object: ...
    def show_corroboration(self) -> object: ...
    def show_merge(self) -> object: ...
    def switch_review(self) -> None: ...
    def show_review_report(self) -> object: ...
    def open_project(self) -> None: ...
    def change_annotator(self) -> None: ...
    def quit(self) -> None: ...


class WorkspaceActions:
    def __init__(self, workspace: Workspace, surface: Surface):
        self.ws = workspace
        self.surface = surface
        self._pending_replace: tuple[int, int, str] | None = None

    # -- spans -----------------------------------------------------------------------------

    def focus_next(self) -> None:
        self.ws.focus_step(+1)

    def focus_previous(self) -> None:
        self.ws.focus_step(-1)

    def _focused(self):
        """The focused span, as a row of the annotator's set: a previewed suggestion starts
        the work on the document first (viewing alone creates nothing)."""
        span = self.ws.span(self.ws.focused)
        if span is None:
            self.ws.message.emit("no span focused — Tab to the next suggestion")
            return None
        if self.ws.target is None and not self.ws.start_work():
            return None
        return self.ws.span(self.ws.focused)

    def _active_claim(self, missing: str) -> int | None:
        """The active claim's id in the annotator's set (starting the work if needed)."""
        ws = self.ws
        if ws.claim(ws.active_claim) is None:
            ws.message.emit(missing)
            return None
        if ws.target is None and not ws.start_work():
            return None
        return ws.active_claim

    def accept(self) -> None:
        span = self._focused()
        if span and self._decide(span.id, ops.accept, "accept") and self._suggestions_left():
            self.ws.focus_step(+1)

    def reject(self) -> None:
        """Reject a suggestion; delete a decided span (a claim goes with its own parts)."""
        span = self._focused()
        if span is None:
            return
        if span.state == "suggested":
            if self._decide(span.id, ops.reject, "reject") and self._suggestions_left():
                self.ws.focus_step(+1)
            return
        store, session = self.ws.store, self.ws.session
        claim = next((c for c in self.ws.claims if c.content_span_id == span.id), None)
        if claim is not None:
            self.ws.run(lambda t: ops.delete_claim(session, store, t, claim.id), "delete claim")
        else:
            self.ws.run(lambda t: ops.delete_span(session, store, t, span.id),
                        f"delete {span.label}")

    def _decide(self, span_id: int, verb, name: str) -> bool:
        store, session = self.ws.store, self.ws.session
        return self.ws.run(lambda t: verb(session, store, t, span_id), name) is not None

    def _suggestions_left(self) -> bool:
        return any(s.state == "suggested" for s in self.ws.spans)

    def label(self, label: str) -> None:
        """Label the selection (a new entity) or relabel the focused entity."""
        store, session, ws = self.ws.store, self.ws.session, self.ws
        selection = self.surface.selection()
        if selection is None:
            span = self._focused()
            if span is not None:
                ws.run(lambda t: ops.relabel(session, store, t, span.id, label),
                       f"label {label}")
            return
        start, end = selection
        replace = self._pending_replace == (start, end, label)
        self._pending_replace = None
        change = ws.run(lambda t: ops.add_entity(session, store, t, ws.text, start, end, label,
                                                 replace=replace, tokens=ws.tokens()),
                        f"add {label}")
        if change is None:
            if isinstance(ws.last_error, ops.OverlapError):
                self._pending_replace = (start, end, label)
                key = next((k for k, v in ws.schema.hotkeys().items() if v == label), None)
                names = ", ".join(f"{s.label} '{ws.text[s.start:s.end]}'"
                                  for s in ws.last_error.spans)
                again = f"press {key} again" if key else f"choose {label} again"
                ws.message.emit(f"overlaps {names} — {again} to replace it")
            return
        self.surface.clear_selection()
        if change.spans:
            ws.set_focus(max(change.spans))

    def accept_all(self) -> None:
        store, session = self.ws.store, self.ws.session
        change = self.ws.run(lambda t: ops.accept_all(session, store, t), "accept all")
        if change is not None:
            self.ws.message.emit(f"accepted {change.counts.get('spans', 0)} suggestions")

    def reject_alike(self) -> None:
        """Shift+X: the model is wrong about these words everywhere in the article."""
        ws = self.ws
        span = self._focused()
        if span is None:
            return
        words = " ".join(ws.text[span.start:span.end].split())
        change = ws.run(lambda t: ops.reject_alike(ws.session, ws.store, t, ws.text, span.id),
                        f"reject every {span.label} '{words}'")
        if change is None:
            return
        if self._suggestions_left() and ws.span(ws.focused).state != "suggested":
            ws.focus_step(+1)
        ws.message.emit(f"rejected {change.counts.get('spans', 0)} {span.label} suggestions "
                        f"of '{words}'")

    # -- claims ----------------------------------------------------------------------------

    def make_claim(self) -> None:
        selection = self.surface.selection()
        if selection is None:
            self.ws.message.emit("select the claim's text first, then press C")
            return
        ws = self.ws
        types = ws.schema.claim_types
        built: list[ops.Op] = []

        def build(target):
            built.append(ops.make_claim(ws.session, ws.store, target, ws.text, *selection, types,
                                        tokens=ws.tokens()))
            return built[0]
        if ws.run(build, "make claim") is None:
            return
        self.surface.clear_selection()
        claim_op = built[0]
        ws.set_active_claim(claim_op.claim.id)
        ws.set_focus(claim_op.span.id)
        ws.message.emit(f"claim made ({claim_op.type}) — S marks its source, U its cue, "
                        "T changes the type")

    def edit_claim(self) -> None:
        """Move the focused claim's content to the selection (from the span's menu)."""
        ws = self.ws
        selection = self.surface.selection()
        claim_id = self._active_claim("focus a claim and select its new text first") \
            if selection is not None else None
        if claim_id is None:
            ws.message.emit("focus a claim and select its new text first")
            return
        if ws.run(lambda t: ops.edit_claim(ws.session, ws.store, t, claim_id, ws.text,
                                           *selection, ws.tokens()), "move claim") is not None:
            self.surface.clear_selection()

    def set_source(self) -> None:
        self._set_part("source")

    def set_cue(self) -> None:
        self._set_part("cue")

    def _set_part(self, role: str) -> None:
        ws = self.ws
        claim_id = self._active_claim(f"make a claim (C) or focus one before marking its {role}")
        if claim_id is None:
            return
        selection = self.surface.selection()
        if selection is not None:
            done = ws.run(lambda t: ops.set_claim_part(ws.session, ws.store, t, claim_id, role,
                                                       selection=selection, text=ws.text,
                                                       tokens=ws.tokens()), f"set {role}")
            if done is not None:
                self.surface.clear_selection()
            return
        span = self._focused()
        if span is not None:
            ws.run(lambda t: ops.set_claim_part(ws.session, ws.store, t, claim_id, role,
                                                span_id=span.id), f"link {role}")

    def cycle_type(self) -> None:
        ws = self.ws
        claim_id = self._active_claim("focus a claim to change its type")
        if claim_id is None:
            return
        change = ws.run(lambda t: ops.cycle_claim_type(ws.session, ws.store, t, claim_id,
                                                       ws.schema.claim_types), "claim type")
        if change is not None:
            ws.message.emit(f"claim type: {ws.claim(claim_id).type.replace('_', ' ')}")

    def set_claim_type(self, claim_type: str) -> None:
        ws = self.ws
        claim_id = self._active_claim("focus a claim to change its type")
        if claim_id is not None:
            ws.run(lambda t: ops.set_claim_type(ws.session, ws.store, t, claim_id, claim_type,
                                                ws.schema.claim_types), "claim type")

    def toggle_cat(self, choice: str) -> None:
        """Ctrl+digit: set a document label's option, or take it off if it is set."""
        name, option = choice.split("=", 1)
        annotation_set = self.ws.annotation_set()
        value = annotation_set.cats.get(name) if annotation_set else None
        self.set_cats(name, option, not (value == option or (isinstance(value, list)
                                                             and option in value)))

    def set_cats(self, name: str, value: str, checked: bool) -> None:
        ws = self.ws
        ws.run(lambda t: ops.set_cats(ws.session, ws.store, t, ws.schema, name, value, checked),
               f"{name}: {value}")

    # -- documents -------------------------------------------------------------------------

    def done(self) -> None:
        """Ctrl+Enter: undecided suggestions become accepted, then the next todo opens. With
        some left it asks first, unless the annotator turned asking off and the project's
        rule does not make everyone answer (`gui/done_question.py`)."""
        ws = self.ws
        if ws.doc_id is None:
            return
        pending = sum(s.state == "suggested" for s in ws.spans)
        rule = project_settings.is_on(ws.store, project_settings.DONE_ASKS)  # the team's
        if pending and (rule or self.surface.asks_before_done()) \
                and not self.surface.confirm_done(pending, optional=not rule):
            return
        change = ws.run(lambda t: ops.mark_done(ws.session, ws.store, t), "done")
        if change is None:
            return
        finished = ws.doc_id
        self._open_next(finished)
        ws.message.emit(f"done — {change.counts.get('accepted', 0)} suggestions accepted")

    def skip(self) -> None:
        self._leave("skipped")

    def flag(self) -> None:
        note = self.surface.ask_text("Flag", "What is wrong with this document?")
        if note is not None:
            self._leave("flagged", note)

    def _leave(self, status: str, note: str | None = None) -> None:
        ws = self.ws
        if ws.run(lambda t: ops.set_status(ws.session, t, status, note), status) is not None:
            left = ws.doc_id
            self._open_next(left)
            ws.message.emit(f"{status}" + (f": {note}" if note else ""))

    def _open_next(self, after: str | None) -> None:
        following = workflow.next_todo(self.ws.store, self.ws.annotator, after,
                                       everything=self.surface.shows_everything())
        if following is None:
            self.ws.message.emit("every document is finished")
            return
        self.ws.open(following)

    def edit_title(self) -> None:
        """F2: correct the open document's title (`ops.set_title` says who may)."""
        ws = self.ws
        if ws.doc_id is None:
            return
        doc_id = ws.doc_id
        title = self.surface.ask_text("Title", "The document's title:", ws.title or "")
        if title is not None and ws.apply(lambda: ops.set_title(ws.session, ws.store, doc_id,
                                                                  title), "title") is not None:
            ws.message.emit(f"title: {ws.title}")

    def exclude(self) -> None:
        """Leave the open document out of the dataset with a reason from the list, or keep
        one of its near-duplicates and exclude the others (an admin's step, undoable)."""
        ws = self.ws
        doc_id = ws.doc_id
        if doc_id is None:
            return
        answer = self.surface.ask_exclusion(exclusion.choices(ws.store, doc_id))
        if answer is None:
            return
        choice, note = answer
        change = ws.apply(lambda: exclusion.op_for(ws.session, ws.store, doc_id, choice, note),
                          "exclude")
        if change is not None:
            ws.message.emit(f"excluded {len(change.docs)} document(s): {choice}"
                            + (f": {note}" if note else ""))

    def include(self) -> None:
        ws = self.ws
        doc_id = ws.doc_id
        if doc_id is None:
            return
        if ws.apply(lambda: ops.set_curation(ws.session, ws.store, [doc_id], "included"),
                    "include") is not None:
            ws.message.emit("included")

    def next_document(self) -> None:
        self._step_document(+1)

    def previous_document(self) -> None:
        self._step_document(-1)

    def _step_document(self, step: int) -> None:
        if self.ws.doc_id is None:
            return
        neighbour = self.surface.neighbour(self.ws.doc_id, step)
        if neighbour is not None:
            self.ws.open(neighbour)

    # -- the rest of the map ---------------------------------------------------------------

    def undo(self) -> None:
        self.ws.undo()

    def redo(self) -> None:
        self.ws.redo()

    def search(self) -> None:
        self.surface.focus_search()

    def find_next(self) -> None:
        self.surface.step_hit(+1)

    def find_previous(self) -> None:
        self.surface.step_hit(-1)

    def toggle_rejected(self) -> None:
        self.surface.show_rejected(self.ws.toggle_rejected())

    def clear(self) -> None:
        """Esc: clear the selection and the focus, cancel a running search, back to the text."""
        self.surface.clear_selection()
        self.surface.cancel_search()
        self.ws.set_focus(None)

    def guidelines(self) -> None:
        self.surface.show_guidelines()

    def import_documents(self) -> None:
        self.surface.show_import()

    def export(self) -> None:
        self.surface.show_export()

    def agreement(self) -> None:
        self.surface.show_agreement()

    def checks(self) -> None:
        self.surface.show_checks()

    def dashboard(self) -> None:
        self.surface.show_dashboard()

    def corroboration(self) -> None:
        self.surface.show_corroboration()

    def merge_projects(self) -> None:
        self.surface.show_merge()

    def keymap(self) -> None:
        self.surface.show_keymap()

    def review_mode(self) -> None:
        self.surface.switch_review()

    def review_report(self) -> None:
        self.surface.show_review_report()

    def majority_rule(self) -> None:
        """Project → Review majority rule…: how many finished annotators must agree for a
        version to go into gold before the reviewer starts (0: all of them)."""
        ws = self.ws
        now = project_settings.review_rule(ws.store)
        k = self.surface.ask_number(
            "Review majority rule",
            "Before the reviewer starts, gold takes what at least this many finished\n"
            "annotators agree on (0: only what all of them agree on):", now or 0, MOST_AGREE)
        if k is None or k == (now or 0):
            return
        try:
            project_settings.set_review_rule(ws.store, ws.session, k or None)
        except (OpError, StoreError, ValueError) as exc:
            ws.message.emit(f"not changed: {exc}")
            return
        ws.message.emit(f"review majority rule: at least {k} annotators agree" if k
                        else "review majority rule off: gold starts with what all agree on")

    def open_project(self) -> None:
        self.surface.open_project()

    def change_annotator(self) -> None:
        self.surface.change_annotator()

    def quit(self) -> None:
        self.surface.quit()
