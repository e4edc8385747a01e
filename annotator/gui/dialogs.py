"""The reference sheets shown on `?` (the keyboard map) and F1 (the labeling guidelines).

Both are built from data — `keyboard.bindings` and the schema — so they never drift from
what the keys and labels really are.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.schema import Schema
from annotator.gui.keyboard import bindings


def _sheet(parent: QWidget, title: str, body: str, size: tuple[int, int]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a new sheet at every opening
    dialog.setWindowTitle(title)
    dialog.resize(*size)
    browser = QTextBrowser()
    browser.setHtml(body)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    return dialog


def keymap_html(schema: Schema, review: Sequence[tuple[str, str]] = ()) -> str:
    """The keyboard map; `review`: review mode's keys on a focused conflict, listed first."""
    first = ("<h3>In review mode, on a conflict</h3>" + _key_table(review)) if review else ""
    return (first + "<h3>Keyboard</h3>"
            + _key_table([(b.shown, b.description) for b in bindings(schema)])
            + "<p>Select text with the mouse or Shift+arrows; it snaps to whole words. "
            "Click a span to focus it, right-click it to relabel.</p>")


def _key_table(rows: Sequence[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><td style='padding:1px 12px 1px 0'><b>"
                               f"{html.escape(shown)}</b></td><td>{html.escape(what)}</td></tr>"
                               for shown, what in rows) + "</table>"


def guidelines_html(schema: Schema) -> str:
    parts = [f"<h3>{html.escape(schema.name)} {html.escape(schema.version)}</h3>",
             f"<p>{html.escape(schema.description)}</p>", "<h4>Entities</h4><dl>"]
    for e in schema.entities:
        parts.append(f"<dt><span style='background:{e.color}'>&nbsp;{html.escape(e.label)}"
                     f"&nbsp;</span> key {html.escape(e.hotkey or '—')}</dt>"
                     f"<dd>{html.escape(e.description)}</dd>")
    parts.append("</dl><h4>Claims</h4><dl>")
    for t in schema.claims.types:
        parts.append(f"<dt><b>{html.escape(t.name.replace('_', ' '))}</b></dt>"
                     f"<dd>{html.escape(t.description)}</dd>")
    parts.append("</dl>")
    for d in schema.document_labels:
        parts.append(f"<h4>{html.escape(d.name)}</h4><p>{html.escape(d.description)} "
                     f"({', '.join(html.escape(o) for o in d.options)})</p>")
    return "".join(parts)


def keymap_dialog(parent: QWidget, schema: Schema,
                  review: Sequence[tuple[str, str]] = ()) -> QDialog:
    return _sheet(parent, "Keyboard map", keymap_html(schema, review), (560, 720))


def guidelines_dialog(parent: QWidget, schema: Schema) -> QDialog:
    return _sheet(parent, "Guidelines", guidelines_html(schema), (640, 700))
