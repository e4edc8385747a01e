"""Starting the app: QApplication, the annotator's name (asked once), the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.core.project import open_project, resolve_annotator, role_on, server_login
from annotator.core.rights import can_review
from annotator.core.paths import default_db_path
from annotator.core.store import Location, StoreError

ORGANISATION = "Annotator"
NAME_KEY = "annotator/name"


def settings() -> QSettings:
    return QSettings(ORGANISATION, "annotator")


def annotator_name(explicit: str | None) -> str | None:
    """--annotator / $ANNOTATOR_NAME, else the remembered name, else ask once and remember."""
    name = resolve_annotator(explicit) or str(settings().value(NAME_KEY, "") or "").strip()
    if name:
        return name
    name, ok = QInputDialog.getText(None, "Annotator", "Your name (recorded on your work):")
    name = name.strip()
    if not ok or not name:
        return None
    settings().setValue(NAME_KEY, name)
    return name


def run_app(db_path: str | Path | None, annotator: str | None, *, review: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    app.setOrganizationName(ORGANISATION)
    on_server = not Location.parse(db_path or default_db_path()).is_file
    name = None if on_server else annotator_name(annotator)  # a server names its login
    if name is None and not on_server:
        return 1
    try:
        store = open_project(db_path)
        name = server_login(store, annotator) or name
    except StoreError as exc:  # before any window: the sentence on stderr and in a box
        print(f"annotator: error: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "Annotator", str(exc))
        return 1
    shell = Shell(store, name, review=review)
    code = app.exec()
    shell.store.close()
    return code


class Shell:
    """The one window of the app and what it is open on: another project (Ctrl+O) or
    another annotator (Ctrl+Shift+N) gets a new window, shown before the old one closes so
    the app never runs out of windows."""

    def __init__(self, store, name: str, *, review: bool = False):
        self.store, self.name, self.review = store, name, review
        self.window = self._show()

    def _show(self):
        from annotator.gui.main_window import MainWindow
        from annotator.gui.review.window import ReviewWindow

        refused = self.review and not can_review(role_on(self.store))
        self.review = self.review and not refused
        window = (ReviewWindow if self.review else MainWindow)(self.store, self.name)
        if refused:
            window.switch_review()  # says, in the status bar, who may review
        window.projectRequested.connect(self.open_project)
        window.annotatorRequested.connect(self.change_annotator)
        window.reviewRequested.connect(self.set_review)
        window.show()
        return window

    def set_review(self, on: bool) -> None:
        """View → Review mode: the review window, or back to the workspace's."""
        self.review = on
        self._swap()

    def open_project(self, path: str) -> None:
        try:
            store = open_project(path)
        except StoreError as exc:  # the window stays on the project it has
            QMessageBox.critical(self.window, "Annotator", str(exc))
            return
        old_store, self.store = self.store, store
        if store.user is not None:  # on a server one works as one's login
            self.name = store.user
        self._swap()
        old_store.close()

    def change_annotator(self, name: str) -> None:
        settings().setValue(NAME_KEY, name)
        self.name = name
        self._swap()

    def _swap(self) -> None:
        old, self.window = self.window, self._show()
        old.close()
        old.deleteLater()
