"""Fixing a consistency finding (`curate.lint`) in one undoable step: every occurrence of a
form relabelled to its majority label, or every missed mention labelled.

The step edits the annotation sets of one annotator — the actor's own, or gold for a
reviewer — across documents, as one op (a `Macro`) through the one road; undoing it undoes
every document's part. A missed mention that can no longer be labelled (another entity
overlaps it now) is left out, and the step says how many it left.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from annotator.core.curate.lint import Finding, majority
from annotator.core.errors import OpError
from annotator.core.ops import Macro, Op, Session, Target, add_entity, relabel
from annotator.core.store import Store


@dataclass
class Fix:
    op: Op
    left: int  # occurrences the step could not include


def fix_finding(session: Session, store: Store, finding: Finding, set_annotator: str) -> Fix:
    """The step that resolves `finding` in `set_annotator`'s sets (label conflicts and
    missed mentions); OpError when there is nothing it can do."""
    if finding.rule == "label_conflict":
        ops, left = _relabel(session, store, finding, set_annotator)
    elif finding.rule == "missed_mention":
        ops, left = _label_missed(session, store, finding, set_annotator)
    else:
        raise OpError(f"a {finding.rule} finding is fixed by hand, where it is")
    if not ops:
        raise OpError(f"nothing to change for '{finding.text}' in {set_annotator}'s work")
    first = ops[0].target
    macro = Macro(session, Target(first.doc_id, None), f"lint.{finding.rule}", ops,
                  {"text": finding.text, "label": finding.spans[0]["label"]})
    macro.title = f"fix '{finding.text}'"
    return Fix(macro, left)


def _target(store: Store, doc_id: str, set_annotator: str) -> Target | None:
    found = store.sets.find(doc_id, set_annotator)
    return Target(doc_id, found.id) if found else None


def _relabel(session, store, finding, set_annotator) -> tuple[list[Op], int]:
    label = majority(Counter(finding.labels))  # the rule the finding's message names
    ops, left = [], 0
    for place in finding.spans:
        if place["label"] == label:
            continue
        target = _target(store, place["doc_id"], set_annotator)
        spans = [] if target is None else [
            s for s in store.spans.touching(target.set_id, place["start"], place["end"],
                                            layer="entity")
            if (s.start, s.end, s.state) == (place["start"], place["end"], "accepted")]
        if not spans:
            left += 1
            continue
        ops.append(relabel(session, store, target, spans[0].id, label))
    return ops, left


def _label_missed(session, store, finding, set_annotator) -> tuple[list[Op], int]:
    ops, left = [], 0
    for place in finding.spans:
        target = _target(store, place["doc_id"], set_annotator)
        if target is None:
            left += 1
            continue
        text = store.documents.text(place["doc_id"])
        try:
            ops.append(add_entity(session, store, target, text, place["start"], place["end"],
                                  place["label"]))
        except OpError:
            left += 1
    return ops, left
