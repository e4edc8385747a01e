"""Decisions over many spans at once, each one undo step.

A model that is wrong about a name is wrong about it everywhere in the article ("Sides"
as PERSON twelve times): rejecting each suggestion on its own costs twelve keys. One step
rejects every undecided suggestion with the same words and label in the document.
"""

from __future__ import annotations

from annotator.core.ops.base import Op, OpError, Session, Target, owned_row
from annotator.core.ops.rows import UpdateSpans
from annotator.core.store import Store


def reject_alike(session: Session, store: Store, target: Target, text: str,
                 span_id: int) -> Op:
    """Reject every suggested entity of the document with the words and label of this one
    (which may itself be decided already); refused when none is left undecided."""
    model = owned_row(store.spans.get, target, span_id, "span")
    if model.layer != "entity":
        raise OpError(f"only entities repeat by label (this is a {model.layer} span)")
    words = text[model.start:model.end]
    alike = [s for s in store.spans.for_set(target.set_id, layer="entity")
             if s.state == "suggested" and s.label == model.label
             and text[s.start:s.end] == words]
    if not alike:
        raise OpError(f"no undecided {model.label} suggestions of '{words}' left")
    return UpdateSpans(session, target,
                       [(session.span(s.id), {"state": "rejected"}) for s in alike],
                       "spans.reject_alike")
