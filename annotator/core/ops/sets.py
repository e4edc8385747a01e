"""Edits of a whole annotation set: document labels (cats), status, and "done".

"Done" has the semantics of Prodigy's `ner.correct`: what is highlighted now is right, so
suggestions still undecided become accepted in the same undo step as the status change.
"""

from __future__ import annotations

from typing import Any

from annotator.core.model import SET_STATUSES
from annotator.core.ops.base import Change, Macro, Op, OpError, Session, Target
from annotator.core.ops.spans import accept_spans, undecided
from annotator.core.schema import Schema
from annotator.core.store import Store


class UpdateSet(Op):
    """Change status / note / cats of the target set; undo restores the old values."""

    def __init__(self, session: Session, target: Target, fields: dict[str, Any], action: str):
        super().__init__(session, target)
        self.action, self.fields = action, fields
        self._before: dict[str, Any] = {}

    def payload(self) -> dict[str, Any]:
        return dict(self.fields)

    def _apply(self, store: Store) -> Change:
        current = store.sets.get(self.target.set_id)
        self._before = {k: getattr(current, k) for k in self.fields}
        store.sets.update(self.target.set_id, **self.fields)
        return Change({self.target.doc_id}, set_fields=set(self.fields))

    def _undo(self, store: Store) -> Change:
        store.sets.update(self.target.set_id, **self._before)
        return Change({self.target.doc_id}, set_fields=set(self._before))


def set_status(session: Session, target: Target, status: str, note: str | None = None) -> Op:
    """skip / flag (with a note) / reopen; `mark_done` is the way to finish a document."""
    if status not in SET_STATUSES:
        raise OpError(f"unknown status {status!r}; expected one of {SET_STATUSES}")
    fields: dict[str, Any] = {"status": status}
    if note is not None:
        fields["note"] = note
    return UpdateSet(session, target, fields, f"status.{status}")


def mark_done(session: Session, store: Store, target: Target) -> Op:
    """Accept every undecided suggestion and mark the set done, as one step.

    The applied change's `counts["accepted"]` says how many suggestions were accepted.
    """
    spans = undecided(store, target)
    steps: list[Op] = []
    if spans:
        steps.append(accept_spans(session, target, spans))
    steps.append(UpdateSet(session, target, {"status": "done"}, "status.done"))
    return _Done(session, target, steps, len(spans))


class _Done(Macro):
    def __init__(self, session: Session, target: Target, steps: list[Op], accepted: int):
        super().__init__(session, target, "status.done", steps, {"accepted": accepted})
        self.accepted = accepted

    def _apply(self, store: Store) -> Change:
        change = super()._apply(store)
        change.counts["accepted"] = self.accepted
        return change


def set_cats(session: Session, store: Store, target: Target, schema: Schema, name: str,
             value: str, checked: bool = True) -> Op:
    """Set a document label: an exclusive label holds one option, others a list of options."""
    labels = {d.name: d for d in schema.document_labels}
    if name not in labels:
        raise OpError(f"unknown document label {name!r}; the schema has {sorted(labels)}")
    label = labels[name]
    if value not in label.options:
        raise OpError(f"{name}: unknown option {value!r}; expected one of {label.options}")
    cats = dict(store.sets.get(target.set_id).cats)
    if label.exclusive:
        if checked:
            cats[name] = value
        elif cats.get(name) == value:
            cats.pop(name)
    else:
        chosen = [v for v in cats.get(name, []) if v != value]
        cats[name] = sorted([*chosen, value] if checked else chosen, key=label.options.index)
        if not cats[name]:
            cats.pop(name)
    return UpdateSet(session, target, {"cats": cats}, "set.cats")
