"""The focused claim: its content, source, cue and type (a combo box for the mouse; T cycles)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel

from annotator.core.model import UNATTRIBUTED, Claim, Span
from annotator.core.schema import Schema
from annotator.gui.span_display import snippet

PREVIEW = 160


def _quote(text: str, span: Span | None) -> str:
    if span is None:
        return "—"
    state = "" if span.state == "accepted" else f"  [{span.state}]"
    return snippet(text, span, PREVIEW) + state


class ClaimPanel(QGroupBox):
    typeChosen = Signal(str)

    def __init__(self, schema: Schema, parent=None):
        super().__init__("Claim", parent)
        self.fields = {role: QLabel("—", wordWrap=True) for role in ("content", "source", "cue")}
        for role, label in self.fields.items():
            color = schema.claims.colors["claim" if role == "content" else role]
            label.setStyleSheet(f"border-left: 3px solid {color}; padding-left: 4px;")
        self.type = QComboBox()
        self.type.setFocusPolicy(self.type.focusPolicy().NoFocus)
        for claim_type in schema.claims.types:
            self.type.addItem(claim_type.name.replace("_", " "), claim_type.name)
            self.type.setItemData(self.type.count() - 1, claim_type.description,
                                  Qt.ItemDataRole.ToolTipRole)
        self.type.activated.connect(lambda i: self.typeChosen.emit(self.type.itemData(i)))
        layout = QFormLayout(self)
        layout.addRow("Content", self.fields["content"])
        layout.addRow("Source (S)", self.fields["source"])
        layout.addRow("Cue (U)", self.fields["cue"])
        layout.addRow("Type (T)", self.type)
        self.show_claim("", None, {})

    def show_claim(self, text: str, claim: Claim | None, spans: dict[int, Span]) -> None:
        self.setEnabled(claim is not None)
        if claim is None:
            for label in self.fields.values():
                label.setText("—")
            self.setTitle("Claim — select text and press C")
            return
        self.setTitle(f"Claim #{claim.id}")
        for role, span_id in (("content", claim.content_span_id),
                              ("source", claim.source_span_id), ("cue", claim.cue_span_id)):
            self.fields[role].setText(_quote(text, spans.get(span_id) if span_id else None))
        index = self.type.findData(claim.type)
        self.type.setCurrentIndex(index)
        if claim.type == UNATTRIBUTED and claim.source_span_id:
            self.setTitle(f"Claim #{claim.id} — unattributed, yet it names a source: "
                          "check its type (T)")
