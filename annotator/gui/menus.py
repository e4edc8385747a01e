"""The menu bar: the keyboard map's actions again, grouped, for the mouse and for discovery
(each entry shows its key; the import and export dialogs end in "…"), plus the project's
switches (what Ctrl+Enter does, shared corpus memory)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("open_project", "change_annotator", "-", "import_documents", "export",
               "merge_projects", "-", "quit")),
    ("&Document", ("done", "skip", "flag", "edit_title", "-", "next_document", "previous_document", "-",
                   "search", "find_next", "find_previous", "-", "exclude", "include")),
    ("&Annotate", ("accept", "reject", "accept_all", "reject_alike", "labels", "-", "make_claim", "set_source",
                   "set_cue", "cycle_type", "-", "clear")),
    ("&Edit", ("undo", "redo")),
    ("&View", ("focus_next", "focus_previous", "-", "toggle_rejected", "all_documents", "ask_done",
               "-", "corroboration", "review_mode")),
    ("&Project", ("switches", "majority_rule", "-", "agreement", "checks", "review_report",
                  "dashboard")),
    ("&Help", ("keymap", "guidelines")),
)

DIALOGS = {"import_documents": "Import documents…", "export": "Export dataset…",
           "open_project": "Open project…", "change_annotator": "Work as another annotator…",
           "quit": "Quit", "edit_title": "Edit title…", "exclude": "Exclude from the dataset…"}
# menu-only entries (no key of the keyboard map): name -> (text, method of WorkspaceActions)
MENU_ONLY = {"include": "Include in the dataset",
             "agreement": "Team agreement…", "checks": "Consistency checks…",
             "merge_projects": "Merge projects…", "dashboard": "Dashboard",
             "corroboration": "Corroboration of this story…", "review_report": "Review report…",
             "majority_rule": "Review majority rule…"}
# menu-only switches of the window (its owner connects them): name -> text
TOGGLES = {"all_documents": "All documents, not only those assigned to me",
           "ask_done": "Ask before Done (Ctrl+Enter) accepts undecided suggestions"}


def build(window: QMainWindow, actions: dict[str, QAction], verbs: object,
          switches: list[tuple[str, str, bool]], turn: Callable[[str, bool], None]) -> None:
    """The menu bar; `switches` are the project's (key, text, on), `turn(key, on)` sets one."""
    bar = window.menuBar()
    for title, names in MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name == "-":
                menu.addSeparator()
            elif name == "switches":
                for key, text, on in switches:
                    switch = menu.addAction(text)
                    switch.setCheckable(True)
                    switch.setChecked(on)
                    switch.toggled.connect(lambda checked, key=key: turn(key, checked))
                    actions[f"switch:{key}"] = switch
            elif name in TOGGLES:
                actions[name] = menu.addAction(TOGGLES[name])
                actions[name].setCheckable(True)
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
