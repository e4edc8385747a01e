"""Tooltip text for a span under the mouse: what it is, and for claims who said what, and how.

Hovering a claim's content, source or cue names all three, which links them for the reader
just as the drawn emphasis does.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from annotator.core.model import Claim, Span
from annotator.gui.span_display import snippet

_QUOTE_CHARS = 90


def _quote(text: str, span: Span | None) -> str:
    if span is None:
        return "<i>none</i>"
    return f"“{html.escape(snippet(text, span, _QUOTE_CHARS))}”"


def _describe(span: Span) -> str:
    score = f", score {span.score:.2f}" if span.score is not None else ""
    return f"{span.state} · {html.escape(span.origin)}{score}"


def tooltip(text: str, span: Span, spans: dict[int, Span], claims: Sequence[Claim]) -> str:
    """Rich text describing `span` and every claim it takes part in."""
    title = span.label if span.layer == "entity" else span.layer
    lines = [f"<b>{html.escape(title)}</b> {_quote(text, span)}", _describe(span)]
    for claim in claims:
        if span.id not in (claim.content_span_id, claim.source_span_id, claim.cue_span_id):
            continue
        lines += ["", f"<b>Claim</b> ({html.escape(claim.type.replace('_', ' '))})",
                  f"content: {_quote(text, spans.get(claim.content_span_id))}",
                  f"source: {_quote(text, spans.get(claim.source_span_id))}",
                  f"cue: {_quote(text, spans.get(claim.cue_span_id))}"]
    return "<br>".join(lines)
