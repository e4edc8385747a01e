"""Reversible operations over the store: every edit the GUI (or a script) makes.

Build an op with one of the functions below (they check the request and raise `OpError`
with a message for the annotator), then `change = op.apply(store)` (or `History.do`); later
`op.undo(store)` and `op.redo(store)`. Each call is one action of the one road
(`annotator.core.actions`): one transaction, one event, the change published.
"""

from annotator.core.ops.bulk import reject_alike
from annotator.core.ops.base import Change, Handle, Macro, Op, OpError, Session, Target
from annotator.core.ops.claims import (cycle_claim_type, delete_claim, edit_claim, guess_type,
                                       make_claim, set_claim_part, set_claim_type)
from annotator.core.ops.documents import set_curation, set_title
from annotator.core.ops.sets import mark_done, set_cats, set_status
from annotator.core.ops.spans import (OverlapError, accept, accept_all, add_entity,
                                      delete_span, reject, relabel, undecided)

__all__ = [
    "Change", "Handle", "Macro", "Op", "OpError", "OverlapError", "Session", "Target",
    "accept", "accept_all", "add_entity", "cycle_claim_type", "delete_claim", "delete_span",
    "edit_claim", "guess_type", "make_claim", "mark_done", "reject", "reject_alike", "relabel", "set_cats",
    "set_claim_part", "set_claim_type", "set_curation", "set_status", "set_title", "undecided",
]
