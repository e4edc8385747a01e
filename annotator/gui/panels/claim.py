"""The active claim: its content, source, cue and type (a combo box for the mouse; T cycles),
and what S and U will do to it.

The active claim stays when the focus moves to a span outside it (Tab to the person, then S
makes them its source), so the panel says so in words: showing the last claim unexplained
while an entity was focused read as stale (issue 15, bug 9).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel

from annotator.core.model import UNATTRIBUTED, Claim, Span
from annotator.core.schema import Schema
from annotator.gui.span_display import snippet

PREVIEW = 160
FOCUS_PREVIEW = 40


def _quote(text: str, span: Span | None) -> str:
    if span is None:
        return "—"
    state = "" if span.state == "accepted" else f"  [{span.state}]"
    return snippet(text, span, PREVIEW) + state


def target_hint(text: str, claim: Claim, focused: Span | None) -> str:
    """What S and U apply to, when the focus is not on one of the claim's own parts."""
    if focused is None:
        return "S / U: the selection becomes this claim's source / cue"
    name = focused.label if focused.layer == "entity" else focused.layer
    quoted = snippet(text, focused, FOCUS_PREVIEW)
    return f"Focus is outside this claim — S / U link the focused {name} “{quoted}” to it"


class ClaimPanel(QGroupBox):
    typeChosen = Signal(str)

    def __init__(self, schema: Schema, parent=None):
        super().__init__("Claim", parent)
        self.fields = {role: QLabel("—", wordWrap=True) for role in ("content", "source", "cue")}
        for role, label in self.fields.items():
            color = schema.claims.colors["claim" if role == "content" else role]
            label.setStyleSheet(f"border-left: 3px solid {color}; padding-left: 4px;")
        self.hint = QLabel(wordWrap=True)
        self.hint.setStyleSheet("color: #92400e;")
        self.type = QComboBox()
        self.type.setFocusPolicy(self.type.focusPolicy().NoFocus)
        for claim_type in schema.claims.types:
            self.type.addItem(claim_type.name.replace("_", " "), claim_type.name)
            self.type.setItemData(self.type.count() - 1, claim_type.description,
                                  Qt.ItemDataRole.ToolTipRole)
        self.type.activated.connect(lambda i: self.typeChosen.emit(self.type.itemData(i)))
        layout = QFormLayout(self)
        layout.addRow(self.hint)
        layout.addRow("Content", self.fields["content"])
        layout.addRow("Source (S)", self.fields["source"])
        layout.addRow("Cue (U)", self.fields["cue"])
        layout.addRow("Type (T)", self.type)
        self.show_claim("", None, {})

    def show_claim(self, text: str, claim: Claim | None, spans: dict[int, Span],
                   focused: Span | None = None) -> None:
        self.setEnabled(claim is not None)
        if claim is None:
            for label in self.fields.values():
                label.setText("—")
            self.setTitle("Claim — select text and press C")
            self.hint.hide()
            return
        self.setTitle(f"Claim #{claim.id}")
        parts = (("content", claim.content_span_id), ("source", claim.source_span_id),
                 ("cue", claim.cue_span_id))
        for role, span_id in parts:
            self.fields[role].setText(_quote(text, spans.get(span_id) if span_id else None))
        inside = focused is not None and focused.id in {span_id for _, span_id in parts}
        self.hint.setText("" if inside else target_hint(text, claim, focused))
        self.hint.setVisible(not inside)
        index = self.type.findData(claim.type)
        self.type.setCurrentIndex(index)
        if claim.type == UNATTRIBUTED and claim.source_span_id:
            self.setTitle(f"Claim #{claim.id} — unattributed, yet it names a source: "
                          "check its type (T)")
