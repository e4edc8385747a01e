"""The window in review mode: the workspace window with the review queue as its document
list, gold as the layer its keys edit, the merged picture drawn in the same article view
(the shown version of each open conflict as a dashed suggestion) and a Conflicts tab.
View → Review mode (Ctrl+Shift+R) goes back to the workspace (`app.Shell` swaps windows)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

from annotator.core.changes import Change
from annotator.core.project_settings import REVIEW_MIN_AGREE
from annotator.core.review.queue import REVIEWED
from annotator.core.rights import can_review
from annotator.gui.main_window import MainWindow
from annotator.gui import dialogs
from annotator.gui.review.actions import REVIEW_KEYS, ReviewActions
from annotator.gui.review.conflicts_panel import ConflictsPanel
from annotator.gui.review.queue_panel import ReviewQueuePanel
from annotator.gui.review.state import PER_CONFLICT
from annotator.gui.review.workspace import ReviewWorkspace

VERSION_KEYS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: +1}


class ReviewWindow(MainWindow):
    reviewing = True
    workspace_class = ReviewWorkspace
    actions_class = ReviewActions
    documents_class = ReviewQueuePanel
    workspace: ReviewWorkspace
    actions: ReviewActions
    documents: ReviewQueuePanel

    def __init__(self, store, annotator: str, *, start: bool = True, **kwargs):
        self._last_drawn: tuple[list, list] = ([], [])
        super().__init__(store, annotator, start=False, **kwargs)
        self._leaving = False
        self.conflicts_panel = ConflictsPanel()
        self.conflicts_tab = self.side_tabs.addTab(self.conflicts_panel, "Conflicts")
        self.side_tabs.setCurrentIndex(self.conflicts_tab)
        self.shortcuts["review_mode"].setText("Back to the workspace")
        self.workspace.reviewChanged.connect(self._show_review)
        self.conflicts_panel.conflictClicked.connect(self._focus_conflict)
        self.article.spanClicked.connect(self._span_clicked)
        self.article.canvas.installEventFilter(self)
        self.documents.documentChosen.disconnect(self.workspace.open)
        self.documents.documentChosen.connect(self._choose)
        self.documents.queueRead.connect(lambda _queue: self.refresh_counts())
        self.refresh_counts()
        if not can_review(self.workspace.session.role):
            self.status.show_message(f"Only a reviewer or an admin settles conflicts into "
                                     f"gold; {annotator} is a {self.workspace.session.role}.")
        if start:
            self.open_start()

    def open_start(self) -> None:
        """The first document of the queue still to review, else the first one."""
        entries = self.documents.model.entries()
        chosen = next((e for e in entries if e.state != REVIEWED), entries[0] if entries else None)
        if chosen is None:
            self.status.show_message("the review queue is empty: "
                                     + self.documents.left_out.text())
            return
        self.workspace.open(chosen.doc_id)

    # -- drawing -----------------------------------------------------------------------------

    def _drawn(self) -> tuple[list, list]:
        ws, state = self.workspace, self.workspace.review
        drawn = state.display(ws.spans, ws.claims) if state is not None else \
            (ws.spans, ws.claims)
        self._last_drawn = drawn
        return drawn

    def _show_document(self, doc_id: str) -> None:
        super()._show_document(doc_id)
        self.setWindowTitle(f"Review: {self.windowTitle()}")
        self._show_conflicts()

    def _show_change(self, change: Change) -> None:
        """The article draws `_drawn()`; the panel follows, but during a decision only once
        the focus has moved on (`reviewChanged`), not twice per Enter."""
        super()._show_change(change)
        if not self.workspace.deciding:
            self._show_conflicts()

    def _show_project_change(self, change: Change) -> None:
        super()._show_project_change(change)
        if change.action == f"settings.{REVIEW_MIN_AGREE}":
            self.workspace.follow_rule()

    def _show_review(self) -> None:
        """The focus or the versions shown changed: the article redraws if what it shows
        changed; the panel follows."""
        before = self._last_drawn
        if self._drawn() != before:
            self.article.update_spans(*self._last_drawn)
        self._show_conflicts()

    def _show_conflicts(self) -> None:
        state = self.workspace.review
        if state is None:
            return
        if state.focused is not None:
            self.article.set_focused_span(state.focus_span(self._last_drawn[0]))
        self.conflicts_panel.show_state(state)
        self.side_tabs.setTabText(self.conflicts_tab, f"Conflicts ({state.open_conflicts} open)")

    def refresh_counts(self, *, recount: bool = False) -> None:
        """Reviewed / in the queue, in the status bar's done / total."""
        entries = self.documents.model.entries()
        self.status.set_counts(sum(e.state == REVIEWED for e in entries), len(entries))

    def _choose(self, doc_id: str) -> None:
        """A document picked in the queue opens once open conflicts here are let go."""
        ws = self.workspace
        if doc_id != ws.doc_id and self.actions.may_leave("Open another document"):
            ws.open(doc_id)
        else:
            self.documents.select(ws.doc_id)

    # -- conflicts by mouse and arrows -------------------------------------------------------

    def _focus_conflict(self, n: int) -> None:
        state = self.workspace.review
        if state is None or not 0 <= n < len(state.conflicts):
            return
        self.workspace.set_focus(None)
        state.focused = n
        self.workspace.reviewChanged.emit()
        self.workspace.message.emit(state.describe_focus())
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)

    def _span_clicked(self, span_id: int) -> None:
        """A version drawn for a conflict focuses that conflict; a span of gold is the
        workspace's focus, and the conflict focus goes."""
        if span_id < 0:
            self._focus_conflict(-(span_id + 1) // PER_CONFLICT)
        elif self.workspace.review is not None and self.workspace.review.focused is not None:
            self.workspace.review.focused = None
            self._show_review()
            self.article.set_focused_span(span_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """← / → on the article cycle the focused conflict's versions (without a conflict
        focused they move the text cursor, as in the workspace)."""
        if watched is self.article.canvas and event.type() == QEvent.Type.KeyPress \
                and event.key() in VERSION_KEYS \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier \
                and self.workspace.cycle_version(VERSION_KEYS[event.key()]):
            return True
        return super().eventFilter(watched, event)

    # -- leaving -----------------------------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        """Yes is the default: Enter confirms; the keys then go back to the article."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        self.activateWindow()
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)
        return answer == QMessageBox.StandardButton.Yes

    def show_keymap(self) -> None:
        dialogs.keymap_dialog(self, self.schema, REVIEW_KEYS).open()

    def switch_review(self) -> None:
        if self.actions.may_leave("Back to the workspace"):
            self._leaving = True
            super().switch_review()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._leaving and not self.actions.may_leave("Close"):
            event.ignore()
            return
        self._leaving = True
        super().closeEvent(event)
