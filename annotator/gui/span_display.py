"""How a span reads and looks outside the article: a one-line snippet of its text and its
entity color, the same in the span table, the claim panel, tooltips and the article's marks."""

from __future__ import annotations

from annotator.core.model import Span
from annotator.core.schema import Schema

UNKNOWN_LABEL_COLOR = "#d1d5db"


def snippet(text: str, span: Span, limit: int) -> str:
    """The span's text on one line (whitespace runs become one space), cut to `limit`
    characters with an ellipsis."""
    words = " ".join(text[span.start:span.end].split())
    return words if len(words) <= limit else words[:limit - 1] + "…"


def entity_color(schema: Schema, label: str) -> str:
    try:
        return schema.entity(label).color
    except KeyError:  # a label from an older schema version still shows, in neutral grey
        return UNKNOWN_LABEL_COLOR
