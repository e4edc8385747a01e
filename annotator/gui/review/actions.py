"""The keyboard map's verbs in review mode: where a conflict is focused, Tab, Enter, X and
the digits settle it (each one core op on gold); everywhere else they are the workspace's
own verbs, acting on the gold layer. Ctrl+Enter marks the document reviewed and opens the
next one in the queue; leaving a document with open conflicts asks first."""

from __future__ import annotations

from annotator.gui.actions import WorkspaceActions
from annotator.gui.review.workspace import ReviewWorkspace

# What the keys do on a focused conflict, for the `?` sheet (shown key, what it does).
REVIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "the next / previous conflict (open ones first)"),
    ("← / →", "the focused conflict's other versions, each shown in place"),
    ("Enter", "gold takes the version shown"),
    ("X", "gold keeps nothing there (a document label: no value)"),
    ("1–9, 0", "gold takes the version's span(s) with that label"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo a decision"),
    ("Ctrl+Enter", "mark the document reviewed and open the next in the queue"),
    ("Esc", "no conflict focused: the workspace's keys act on gold"),
)


class ReviewActions(WorkspaceActions):
    ws: ReviewWorkspace

    def focus_next(self) -> None:
        if not self.ws.step_conflict(+1):
            super().focus_next()

    def focus_previous(self) -> None:
        if not self.ws.step_conflict(-1):
            super().focus_previous()

    def next_version(self) -> None:
        self.ws.cycle_version(+1)

    def previous_version(self) -> None:
        self.ws.cycle_version(-1)

    def _on_conflict(self) -> bool:
        """A conflict is focused and no span of gold was picked since (a click or a
        selection acts on gold as in the workspace)."""
        return self.ws.review is not None and self.ws.review.focused is not None \
            and self.surface.selection() is None

    def accept(self) -> None:
        if not (self._on_conflict() and self.ws.take_shown()):
            super().accept()

    def reject(self) -> None:
        if not (self._on_conflict() and self.ws.drop()):
            super().reject()

    def label(self, label: str) -> None:
        if not (self._on_conflict() and self.ws.relabel(label)):
            super().label(label)

    def done(self) -> None:
        """Ctrl+Enter: gold is reviewed; the next document of the queue opens."""
        ws = self.ws
        if ws.doc_id is None or not self.may_leave("Mark reviewed"):
            return
        finished = ws.doc_id
        if ws.mark_reviewed():
            self._open_next(finished)
            ws.message.emit("reviewed")

    def may_leave(self, what: str) -> bool:
        """Ask before leaving a document whose conflicts are not all settled."""
        review = self.ws.review
        left = review.open_conflicts if review is not None else 0
        return not left or self.surface.confirm(
            what, f"{left} conflict{'s' if left != 1 else ''} not settled yet in this "
            "document. Go on anyway?")

    def _open_next(self, after: str | None) -> None:
        following = self.surface.neighbour(after, +1) if after else None
        if following is None:
            self.ws.message.emit("the end of the review queue")
            return
        self.ws.open(following)

    def _step_document(self, step: int) -> None:
        if self.ws.doc_id is None:
            return
        neighbour = self.surface.neighbour(self.ws.doc_id, step)
        if neighbour is not None and self.may_leave("Open another document"):
            self.ws.open(neighbour)
