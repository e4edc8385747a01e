"""Starting the app: QApplication, the annotator's name (asked once), the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.core.project import open_project, resolve_annotator
from annotator.core.store import StoreError

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


def run_app(db_path: str | Path | None, annotator: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    app.setOrganizationName(ORGANISATION)
    name = annotator_name(annotator)
    if name is None:
        return 1
    try:
        store = open_project(db_path)
    except StoreError as exc:  # before any window: the sentence on stderr and in a box
        print(f"annotator: error: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "Annotator", str(exc))
        return 1
    from annotator.gui.main_window import MainWindow

    window = MainWindow(store, name)
    window.show()
    code = app.exec()
    store.close()
    return code
