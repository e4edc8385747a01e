"""The main window: composition only — it builds the panels, connects them to the workspace
and answers the few questions actions ask a person (`actions.Surface`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (QFileDialog, QInputDialog, QMainWindow, QMenu,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from annotator.core import project_settings, workflow
from annotator.core.changes import CURATION, DOCUMENTS, SCHEMA, WORK, Change
from annotator.core.errors import OpError
from annotator.core.project import current_schema
from annotator.core.rights import can_review, check_name
from annotator.core.store import Store, StoreError
from annotator.core.store.search import words_only
from annotator.core.team.assign import follows_assignment
from annotator.gui import agreement_dialog, dialogs, done_question, keyboard, menus
from annotator.gui.actions import WorkspaceActions
from annotator.gui.app import settings as user_settings
from annotator.gui.article_view import ArticleView
from annotator.gui.changes import ChangeBridge
from annotator.gui.checks_dialog import ChecksDialog
from annotator.gui.corroboration_view import CorroborationView
from annotator.gui.dashboard import dialog as dashboard_dialog
from annotator.gui.exclusion_dialog import ask_exclusion
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.import_dialog import ImportDialog
from annotator.gui.merge_dialog import MergeDialog
from annotator.gui.panels.claim import ClaimPanel
from annotator.gui.panels.claims import ClaimsPanel
from annotator.gui.panels.doc_labels import DocLabelsPanel
from annotator.gui.panels.document_list import DocumentListPanel
from annotator.gui.panels.labels import LabelsPanel
from annotator.gui.panels.spans import SpansPanel
from annotator.gui.panels.status import StatusPanel
from annotator.gui.panels.story import StoryPanel
from annotator.gui.panels.jobs import JobsIndicator
from annotator.gui.review.report_dialog import ReportDialog
from annotator.gui.workers import JobRunner
from annotator.gui.workspace import Workspace

GEOMETRY_KEY = "window/geometry"  # per-user UI state lives in QSettings, never in the project
SPLITTER_KEY = "window/splitter"
EVERYTHING_KEY = "documents/everything"  # View → All documents, not only those assigned to me
SPLIT = [240, 700, 340]  # documents, article, side panels at 1280 px
PACE_REFRESH_MS = 60_000  # the pace changes with documents done (refreshed then) and time
ROWS_REFRESHED = 200  # a change naming more documents re-reads the list instead of each row


class MainWindow(QMainWindow):
    projectRequested = Signal(str)    # the person chose another project file
    annotatorRequested = Signal(str)  # the person works on as someone else
    reviewRequested = Signal(bool)    # View → Review mode: on (True) or back (False)
    # the parts review mode replaces (annotator/gui/review/window.py)
    reviewing, workspace_class, actions_class = False, Workspace, WorkspaceActions
    documents_class = DocumentListPanel

    def __init__(self, store: Store, annotator: str, *, suggest: bool = True,
                 start: bool = True):
        super().__init__()
        self.store = store
        self.schema = current_schema(store)
        self.setWindowTitle(f"Annotator — {store.location.name}")
        self.resize(1280, 800)
        self.changes = ChangeBridge(store, self)
        self.jobs = JobRunner(store, self)  # the window's: jobs outlive the dialogs
        self.workspace = self.workspace_class(store, annotator, self.schema, self.jobs,
                                              suggest=suggest, changes=self.changes, parent=self)
        self.actions = self.actions_class(self.workspace, self)

        self.documents = self.documents_class(
            store, annotator, everything=user_settings().value(EVERYTHING_KEY, False, type=bool))
        self.article = ArticleView()
        self.spans_panel = SpansPanel(self.schema)
        self.claims_panel = ClaimsPanel()
        self.story_panel = StoryPanel(store)
        self.claim_panel = ClaimPanel(self.schema)
        self.doc_labels = DocLabelsPanel(self.schema)
        self.labels_panel = LabelsPanel(self.schema)
        self.status = StatusPanel(self.statusBar(), annotator)
        self.statusBar().addPermanentWidget(JobsIndicator(self.jobs))
        self._build_layout()
        self.shortcuts = keyboard.install(self, self.actions, self.schema)
        menus.build(self, self.shortcuts, self.actions,
                    [(s.key, s.text, project_settings.is_on(store, s.key))
                     for s in project_settings.SWITCHES], self._turn)
        self.shortcuts["all_documents"].setChecked(self.documents.everything)
        self.shortcuts["ask_done"].setChecked(done_question.asks())
        self._show_history()
        self._connect()
        self._included = 0
        self.refresh_counts(recount=True)
        self._pace_timer = QTimer(self, interval=PACE_REFRESH_MS)
        self._pace_timer.timeout.connect(lambda: self.refresh_counts(recount=True))
        self._pace_timer.start()
        if start:
            self.open_start()

    def _build_layout(self) -> None:
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.side_tabs = QTabWidget()
        self.side_tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the map
        self.side_tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.side_tabs.addTab(self.spans_panel, "Spans")
        self.side_tabs.addTab(self.claims_panel, "Claims")
        self.side_tabs.addTab(self.story_panel, "Story")
        column.addWidget(self.side_tabs, 1)
        column.addWidget(self.claim_panel)
        column.addWidget(self.doc_labels)
        column.addWidget(self.labels_panel)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.documents)
        splitter.addWidget(self.article)
        splitter.addWidget(right)
        for index, stretch in enumerate((1, 3, 1)):  # a larger screen widens the lists too
            splitter.setStretchFactor(index, stretch)
        splitter.setSizes(SPLIT)  # the article gets most of the width; a dragged split is kept
        self.setCentralWidget(splitter)
        saved = user_settings()
        if saved.value(GEOMETRY_KEY) is not None:
            self.restoreGeometry(saved.value(GEOMETRY_KEY))
        if saved.value(SPLITTER_KEY) is not None:
            splitter.restoreState(saved.value(SPLITTER_KEY))

    def _connect(self) -> None:
        ws = self.workspace
        ws.opened.connect(self._show_document)
        ws.changed.connect(self._show_change)
        ws.focusChanged.connect(self._show_focus)
        ws.claimChanged.connect(lambda _: self._show_claim())
        ws.historyChanged.connect(self._show_history)
        ws.retitled.connect(self._show_title)
        self.changes.changed.connect(self._show_project_change)
        ws.message.connect(self.status.show_message)
        ws.saved.connect(self.status.set_saved)
        ws.suggesting.connect(self.status.set_busy)
        self.status.follow(ws)
        self.status.cancelClicked.connect(ws.cancel_suggestions)
        self.status.retryClicked.connect(ws.retry)
        self.changes.reachable.connect(self.status.set_reachable)
        self.documents.documentChosen.connect(ws.open)
        self.story_panel.documentChosen.connect(ws.open)
        self.shortcuts["all_documents"].toggled.connect(self._show_everything)
        self.shortcuts["ask_done"].toggled.connect(done_question.set_asks)
        self.documents.search.textChanged.connect(self.article.set_search)
        self.documents.search.textChanged.connect(self.spans_panel.set_search)
        self.documents.search.installEventFilter(self)  # Enter there also steps the hits
        self.article.spanClicked.connect(ws.set_focus)
        self.article.spanContextMenuRequested.connect(self._span_menu)
        self.spans_panel.spanClicked.connect(ws.set_focus)
        self.spans_panel.acceptClicked.connect(self.actions.accept)
        self.spans_panel.rejectClicked.connect(self.actions.reject)
        self.claims_panel.contentClicked.connect(ws.set_focus)
        self.claim_panel.typeChosen.connect(self.actions.set_claim_type)
        self.doc_labels.labelToggled.connect(self.actions.set_cats)

    def open_start(self) -> None:
        """The document this annotator was last on, else the first one to do. Where they were
        is per-user UI state (viewing writes nothing to the project); without it, the document
        of their latest action."""
        remembered = user_settings().value(self._resume_key)
        doc_id = remembered if remembered and self.store.documents.get(remembered) else \
            workflow.start_document(self.store, self.workspace.annotator,
                                    everything=self.documents.everything)
        if doc_id is None:
            self.status.show_message(
                "nothing left for you to do — View → All documents lists every one"
                if self.store.documents.count() else
                "the project has no documents — import some first (File → Import documents…, "
                "Ctrl+I)")
            return
        self.workspace.open(doc_id)

    # -- views follow the workspace --------------------------------------------------------

    @property
    def _resume_key(self) -> str:
        return f"resume/{self.store.location.key}/{self.workspace.annotator}"

    def _show_document(self, doc_id: str) -> None:
        user_settings().setValue(self._resume_key, doc_id)
        ws = self.workspace
        self.article.set_document(ws.text, *self._drawn(), self.schema)
        self.spans_panel.set_spans(ws.text, ws.spans)
        self._show_claims()
        self._show_cats()
        self.story_panel.show_story(doc_id)
        self.documents.select(doc_id)
        self._show_title()
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_title(self) -> None:
        ws = self.workspace
        self.setWindowTitle(f"{ws.title or (ws.doc_id or '')[:12]} — Annotator — "
                            f"{self.store.location.name}")

    def _show_change(self, change: Change) -> None:
        ws = self.workspace
        self.article.update_spans(*self._drawn())
        self.spans_panel.set_spans(ws.text, ws.spans, change.spans)
        self._show_claims()
        self._show_focus(ws.focused)  # the claim panel too
        if "cats" in change.set_fields:
            self._show_cats()

    def _drawn(self) -> tuple[list, list]:
        """The spans and claims the article draws: the workspace's (review mode adds the
        versions of open conflicts)."""
        return self.workspace.spans, self.workspace.claims

    def _show_claims(self) -> None:
        ws = self.workspace
        self.claims_panel.set_claims(ws.text, ws.claims, ws.spans, ws.active_claim)
        self.side_tabs.setTabText(1, f"Claims ({len(ws.claims)})")

    def _show_cats(self) -> None:
        annotation_set = self.workspace.annotation_set()
        self.doc_labels.show_cats(annotation_set.cats if annotation_set else {})

    def _turn(self, key: str, on: bool) -> None:
        try:
            project_settings.turn(self.store, self.workspace.session, key, on)
        except (OpError, StoreError) as exc:
            self.status.show_message(f"not changed: {exc}")

    def _show_history(self) -> None:
        history = self.workspace.history
        menus.show_history(self.shortcuts, history.undo_label(), history.redo_label())

    def _show_project_change(self, change: Change) -> None:
        """Every change to the project, made here, by a worker or by another process: the
        list rows, filters, counts and schema follow it."""
        if DOCUMENTS in change.scopes or CURATION in change.scopes \
                or len(change.docs) > ROWS_REFRESHED:
            self.documents.refresh_sources()
            self.documents.apply_filters()
            self.refresh_counts(recount=True)
            self.story_panel.show_story(self.workspace.doc_id)
            if self.workspace.doc_id is None:  # an empty project now has something to open
                self.open_start()
        elif WORK in change.scopes:
            for doc_id in change.docs:
                self.documents.model.refresh(doc_id)
            if change.set_fields or change.remote:
                if self.documents.filters()["status"]:  # a done document leaves a 'todo' list
                    self.documents.apply_filters()
                self.refresh_counts()
        if SCHEMA in change.scopes:
            self._follow_schema()

    def _follow_schema(self) -> None:
        """The schema changed (here or from the command line): new work is stamped with it
        and its guidelines show; labels and hotkeys are rebuilt at the next start."""
        schema = current_schema(self.store)
        if schema.hash == self.schema.hash:
            return
        self.schema = self.workspace.schema = schema
        self.labels_panel.schema = schema
        self.status.show_message(f"the project now uses the schema {schema.name} "
                                 f"{schema.version}; restart to get its keys")

    def _show_focus(self, span_id: int | None) -> None:
        span = self.workspace.span(span_id)
        self.article.set_focused_span(span_id)
        self.spans_panel.show_focus(span)
        self._show_claim()
        if span is not None:
            self.labels_panel.show_guideline(span.label, span.layer,
                                             self.workspace.roles_of(span.id))

    def _show_claim(self) -> None:
        ws = self.workspace
        self.article.set_active_claim(ws.active_claim)
        self.claims_panel.show_active(ws.active_claim)
        self.claim_panel.show_claim(ws.text, ws.claim(ws.active_claim),
                                    {s.id: s for s in ws.spans}, ws.span(ws.focused))

    def refresh_counts(self, *, recount: bool = False) -> None:
        """Done / total and the pace in the status bar.

        The total (included documents; where work was handed out, the annotator's, unless
        View → All documents) changes only with an import, an assignment or a curation from the
        command line, so it is re-counted then and on the minute tick (`recount`), not on every
        status change: counting it scans the documents table (~60 ms at 100,000 articles).
        """
        try:
            if recount:
                mine = follows_assignment(self.store, everything=self.documents.everything)
                self._included = self.store.documents.count(
                    included_only=True, assigned_to=self.workspace.annotator if mine else None)
            counts = self.store.sets.status_counts(self.workspace.annotator)
            pace = workflow.session_pace(self.store, self.workspace.session)
        except StoreError:  # the server is lost for now: the status bar says so already
            return
        self.status.set_counts(counts.get("done", 0), self._included)
        self.status.set_pace(pace)

    def _span_menu(self, span_id: int, position: QPoint) -> None:
        """Right-click on a span: focus it, then accept / reject / relabel."""
        ws = self.workspace
        span = ws.span(span_id)
        if span is None:
            return
        ws.set_focus(span_id)
        menu = QMenu(self)
        if span.state != "accepted":
            menu.addAction("Accept", self.actions.accept)
        menu.addAction("Reject" if span.state == "suggested" else "Delete", self.actions.reject)
        if span.layer == "claim" and self.article.selected_range() is not None:
            menu.addAction("Move the claim to the selection", self.actions.edit_claim)
        if span.layer == "entity":
            menu.addAction(f"Reject every {span.label} suggestion like it\tShift+X",
                           self.actions.reject_alike)
            relabel = menu.addMenu("Label as")
            for entity in self.schema.entities:
                relabel.addAction(f"{entity.label}\t{entity.hotkey or ''}",
                                  lambda label=entity.label: self.actions.label(label))
        menu.popup(position)

    # -- actions.Surface -------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        return self.article.selected_range()

    def clear_selection(self) -> None:
        self.article.clear_selection()

    def asks_before_done(self) -> bool:
        return done_question.asks()

    def confirm_done(self, pending: int, *, optional: bool) -> bool:
        yes = done_question.ask(self, pending, optional=optional)
        self.shortcuts["ask_done"].setChecked(done_question.asks())  # "don't ask again"
        return yes

    def ask_exclusion(self, choices: list[str]) -> tuple[str, str] | None:
        return ask_exclusion(self, choices)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=text)
        return text.strip() if ok else None

    def ask_number(self, title: str, label: str, value: int, most: int) -> int | None:
        number, ok = QInputDialog.getInt(self, title, label, value, 0, most)
        return number if ok else None

    def neighbour(self, doc_id: str, step: int) -> str | None:
        return self.documents.neighbour(doc_id, step)

    def shows_everything(self) -> bool:
        return self.documents.everything

    def _show_everything(self, on: bool) -> None:
        user_settings().setValue(EVERYTHING_KEY, on)
        self.documents.show_everything(on)
        self.refresh_counts(recount=True)

    def focus_search(self) -> None:
        self.documents.focus_search()

    def step_hit(self, step: int) -> None:
        """F3 / Shift+F3, Enter / Shift+Enter in the search box: the next or previous place
        in the article where the search's words are."""
        found = self.article.step_hit(step)
        if found is not None:
            self.status.show_message(f"hit {found[0]} of {found[1]} in this article")
        elif words_only(self.documents.search.text()).strip():
            self.status.show_message("the search's words are not in this article")
        elif self.documents.search.text().strip():  # annotation terms alone: nothing to step
            self.status.show_message("")
        else:
            self.status.show_message("search first (Ctrl+F): its words light up here")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter / Shift+Enter in the search box go to the next / previous hit in the
        article, and still search (the list's own filter runs after this one)."""
        if watched is self.documents.search and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step_hit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else +1)
        return super().eventFilter(watched, event)

    def cancel_search(self) -> None:
        self.documents.cancel_search()
        self.article.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_keymap(self) -> None:
        dialogs.keymap_dialog(self, self.schema).open()

    def show_guidelines(self) -> None:
        dialogs.guidelines_dialog(self, self.schema).open()

    def show_import(self) -> ImportDialog:
        """Imports queue on the workspace's worker: the one road for writes besides the UI."""
        dialog = ImportDialog(self, self.jobs, self.workspace.annotator)
        dialog.open()
        return dialog

    def show_export(self) -> ExportDialog:
        dialog = ExportDialog(self, self.store, self.jobs)
        dialog.open()
        return dialog

    def show_checks(self) -> ChecksDialog:
        """Project → Consistency checks…: beside the window, which it steers to each place."""
        dialog = ChecksDialog(self, self.workspace, self.go_to)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def go_to(self, doc_id: str, start: int, end: int) -> None:
        """Open a document at start:end: the span there focused, else the words selected."""
        self.workspace.open(doc_id)
        span = min((s for s in self.workspace.spans if (s.start, s.end) == (start, end)),
                   key=lambda s: s.layer != "entity", default=None)  # an entity, else a claim
        if span is not None:
            self.workspace.set_focus(span.id)
        else:
            self.article.select_range(start, end)

    def show_corroboration(self) -> CorroborationView:
        """View → Corroboration of this story…: beside the window, following its document."""
        view = CorroborationView(self, self.workspace, self.go_to)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view

    def show_dashboard(self) -> dashboard_dialog.DashboardDialog:
        return dashboard_dialog.show(self)

    def show_agreement(self) -> agreement_dialog.AgreementDialog:
        return agreement_dialog.show(self)

    def show_review_report(self) -> ReportDialog:
        dialog = ReportDialog(self, self.jobs, self.workspace.open)
        dialog.open()
        return dialog

    def show_merge(self) -> MergeDialog:
        dialog = MergeDialog(self, self.jobs, self.workspace.session)
        dialog.open()
        return dialog

    def open_project(self) -> None:
        """Ctrl+O: another project file, or a new one (the app swaps windows: `app.Shell`)."""
        start = str(self.store.location.path.parent) if self.store.location.is_file else ""
        path, _ = QFileDialog.getSaveFileName(
            self, "Open a project (or name a new one)", start,
            "Annotator projects (*.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.projectRequested.emit(path)

    def change_annotator(self) -> None:
        if self.store.user is not None:
            self.status.show_message(f"on a team server you work as your login "
                                     f"({self.store.user}): open the project as another user "
                                     "to work as them")
            return
        name = self.ask_text("Work as another annotator",
                             f"Your name (now {self.workspace.annotator}):")
        if not name:
            return
        try:
            self.annotatorRequested.emit(check_name(name))
        except ValueError as exc:
            self.status.show_message(str(exc))

    def quit(self) -> None:
        self.close()

    def switch_review(self) -> None:
        """Ctrl+Shift+R: into review mode (reviewers and admins) or back to the workspace."""
        ws = self.workspace
        if not self.reviewing and not can_review(ws.session.role):
            self.status.show_message(f"Review mode is for reviewers and admins; "
                                     f"{ws.annotator} is a {ws.session.role}.")
            return
        self.reviewRequested.emit(not self.reviewing)

    def show_rejected(self, shown: bool) -> None:
        self.article.set_show_rejected(shown)
        self.status.show_message("rejected suggestions " + ("shown" if shown else "hidden"))

    def focusNextPrevChild(self, _next: bool) -> bool:  # noqa: N802
        """Tab never walks Qt's focus chain (into the filters): it goes on to `keyPressEvent`,
        which hands it to the keyboard map like every key the widgets leave."""
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if keyboard.dispatch(event, self.shortcuts):
            self.article.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._pace_timer.stop()
        self.workspace.close()
        self.jobs.shutdown()
        self.documents.runner.shutdown()
        self.changes.close()
        user_settings().setValue(GEOMETRY_KEY, self.saveGeometry())
        user_settings().setValue(SPLITTER_KEY, self.centralWidget().saveState())
        super().closeEvent(event)
