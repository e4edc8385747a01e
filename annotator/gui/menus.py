"""The menu bar: the keyboard map's actions again, grouped, for the mouse and for discovery
(each entry shows its key; the import and export dialogs end in "…"), plus the project
setting of what Ctrl+Enter does."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("import_documents", "export")),
    ("&Document", ("done", "skip", "flag", "-", "next_document", "previous_document", "-",
                   "search", "-", "exclude", "include")),
    ("&Annotate", ("accept", "reject", "accept_all", "labels", "-", "make_claim", "set_source",
                   "set_cue", "cycle_type", "-", "clear")),
    ("&Edit", ("undo", "redo")),
    ("&View", ("focus_next", "focus_previous", "-", "toggle_rejected")),
    ("&Project", ("done_asks",)),
    ("&Help", ("keymap", "guidelines")),
)

DIALOGS = {"import_documents": "Import documents…", "export": "Export dataset…"}
# menu-only entries (no key of the keyboard map): name -> (text, method of WorkspaceActions)
MENU_ONLY = {"exclude": "Exclude from the dataset…", "include": "Include in the dataset"}


def build(window: QMainWindow, actions: dict[str, QAction], verbs: object,
          done_asks: bool, set_done_asks: Callable[[bool], None]) -> None:
    bar = window.menuBar()
    for title, names in MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name == "-":
                menu.addSeparator()
            elif name == "done_asks":
                ask = menu.addAction("Ask before Ctrl+Enter accepts undecided suggestions")
                ask.setCheckable(True)
                ask.setChecked(done_asks)
                ask.toggled.connect(set_done_asks)
            elif name in MENU_ONLY:
                entry = menu.addAction(MENU_ONLY[name])
                entry.triggered.connect(getattr(verbs, name))
                actions[name] = entry
            elif name == "labels":
                labels = menu.addMenu("Label as")
                for key, action in actions.items():
                    if key.startswith("label:"):
                        labels.addAction(action)
            else:
                menu.addAction(actions[name])
    for name, text in DIALOGS.items():
        actions[name].setText(text)


def show_history(actions: dict[str, QAction], undo: str | None, redo: str | None) -> None:
    """Undo / Redo mirror the core history: enabled when there is a step, named after it."""
    for name, label in (("undo", undo), ("redo", redo)):
        actions[name].setEnabled(label is not None)
        actions[name].setText(name.capitalize() + (f" {label}" if label else ""))
