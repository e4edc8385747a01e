"""The keyboard map (docs/architecture.md) as data, one table for shortcuts and the `?` sheet.

Each entry names a method of `WorkspaceActions`; label keys come from the schema's hotkeys.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.core.schema import Schema
from annotator.core.store import StoreError


@dataclass(frozen=True, slots=True)
class Binding:
    action: str            # method name on WorkspaceActions
    keys: tuple[str, ...]  # QKeySequence strings
    shown: str             # how the key is written on the help sheet
    description: str
    argument: str | None = None


KEYMAP: tuple[Binding, ...] = (
    Binding("focus_next", ("Tab",), "Tab", "focus the next span (suggestions first)"),
    Binding("focus_previous", ("Shift+Tab", "Backtab", "Shift+Backtab"), "Shift+Tab",
            "focus the previous span"),
    Binding("accept", ("Return", "Enter", "A"), "Enter or A", "accept the focused suggestion"),
    Binding("reject", ("X", "Delete"), "X or Delete",
            "reject the focused suggestion, or delete the focused span"),
    Binding("accept_all", ("Shift+A",), "Shift+A", "accept all remaining suggestions"),
    Binding("reject_alike", ("Shift+X",), "Shift+X", "reject every suggestion in the "
            "document with the focused entity's words and label (one undo step)"),
    Binding("make_claim", ("C",), "C", "the selection becomes a claim"),
    Binding("set_source", ("S",), "S",
            "the selection (or the focused span) becomes the claim's source"),
    Binding("set_cue", ("U",), "U", "the selection (or the focused span) becomes the claim's cue"),
    Binding("cycle_type", ("T",), "T", "cycle the focused claim's type"),
    Binding("done", ("Ctrl+Return", "Ctrl+Enter"), "Ctrl+Enter",
            "mark the document done and open the next one to do"),
    Binding("skip", ("Ctrl+Shift+S",), "Ctrl+Shift+S", "skip the document and open the next"),
    Binding("flag", ("Ctrl+Shift+F",), "Ctrl+Shift+F", "flag the document with a note"),
    Binding("edit_title", ("F2",), "F2", "correct the open document's title (a reviewer's "
            "or an admin's; an annotator flags it)"),
    Binding("exclude", ("Ctrl+Shift+E",), "Ctrl+Shift+E", "exclude the document from the "
            "dataset with a reason, or keep one of its near-duplicates"),
    Binding("next_document", ("PgDown",), "PgDn", "next document"),
    Binding("previous_document", ("PgUp",), "PgUp", "previous document"),
    Binding("undo", ("Ctrl+Z",), "Ctrl+Z", "undo"),
    Binding("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Ctrl+Shift+Z", "redo"),
    Binding("search", ("Ctrl+F",), "Ctrl+F",
            "search the corpus; the words found light up in the article"),
    Binding("find_next", ("F3",), "F3 (Enter in the search)", "go to the next search hit "
            "in the article"),
    Binding("find_previous", ("Shift+F3",), "Shift+F3 (Shift+Enter in the search)",
            "go to the previous search hit in the article"),
    Binding("review_mode", ("Ctrl+Shift+R",), "Ctrl+Shift+R",
            "review mode: settle the annotators' conflicts into gold (and back)"),
    Binding("toggle_rejected", ("Ctrl+R",), "Ctrl+R", "show or hide rejected suggestions"),
    Binding("clear", ("Escape",), "Esc",
            "clear the focus and the selection; cancel a search, back to the article"),
    Binding("import_documents", ("Ctrl+I",), "Ctrl+I", "import documents (files or folders)"),
    Binding("export", ("Ctrl+E",), "Ctrl+E", "export a dataset (JSONL, spaCy, CoNLL)"),
    Binding("open_project", ("Ctrl+O",), "Ctrl+O", "open another project file (or a new one)"),
    Binding("change_annotator", ("Ctrl+Shift+N",), "Ctrl+Shift+N",
            "work as another annotator"),
    Binding("quit", ("Ctrl+Q",), "Ctrl+Q", "quit (everything is saved already)"),
    Binding("guidelines", ("F1",), "F1", "guidelines"),
    Binding("keymap", ("?", "Shift+?"), "?", "this table"),
)


def label_bindings(schema: Schema) -> list[Binding]:
    """1–9, 0: label the selection or the focused span, one binding per schema hotkey."""
    return [Binding("label", (key,), key, f"label as {label}", label)
            for key, label in sorted(schema.hotkeys().items(), key=lambda kv: kv[0])]


def cat_keys(schema: Schema) -> dict[tuple[str, str], str]:
    """Ctrl+1, Ctrl+2, ... Ctrl+0 for the schema's document-label options, in their order
    (the first ten): the digit of each (name, option)."""
    options = [(label.name, option) for label in schema.document_labels
               for option in label.options]
    return {pair: str((i + 1) % 10) for i, pair in enumerate(options[:10])}


def cat_bindings(schema: Schema) -> list[Binding]:
    return [Binding("toggle_cat", (f"Ctrl+{digit}",), f"Ctrl+{digit}",
                    f"document label {name}: {option.replace('_', ' ')} (again: off)",
                    f"{name}={option}")
            for (name, option), digit in cat_keys(schema).items()]


def bindings(schema: Schema) -> list[Binding]:
    return [*KEYMAP[:4], *label_bindings(schema), *KEYMAP[4:], *cat_bindings(schema)]


def _call(actions, method, *args) -> None:
    """Run a verb; one the store cannot serve now (a team's server lost) says so and can be
    retried whole, instead of raising into Qt."""
    try:
        method(*args)
    except StoreError as exc:
        actions.ws.not_saved(f"not done: {exc}", lambda: _call(actions, method, *args))


def install(window: QWidget, actions: object, schema: Schema) -> dict[str, QAction]:
    """One window-wide QAction per binding, calling the named method of `actions`."""
    installed: dict[str, QAction] = {}
    for binding in bindings(schema):
        action = QAction(binding.description[0].upper() + binding.description[1:], window)
        action.setShortcuts([QKeySequence(k) for k in binding.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        method = getattr(actions, binding.action)
        args = () if binding.argument is None else (binding.argument,)
        action.triggered.connect(lambda _=False, m=method, a=args: _call(actions, m, *a))
        window.addAction(action)
        installed[binding.action if binding.argument is None
                  else f"{binding.action}:{binding.argument}"] = action
    return installed


def dispatch(event: QKeyEvent, installed: dict[str, QAction]) -> bool:
    """Act on a key that reached the window with no widget or shortcut taking it.

    Qt fires window shortcuts only once the window is active; just after launch the window
    can already get keys before that (the window manager hands over the keyboard first), and
    Tab then walked Qt's focus chain into the search box, where the next keys were typed
    (issue 15, bug 1). Here such a key does what the map says instead.
    """
    pressed = QKeySequence(event.keyCombination())
    for action in installed.values():
        if any(key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
               for key in action.shortcuts()):
            action.trigger()  # does nothing while the action is disabled
            return True
    return False
