"""Bulk decisions: every suggestion of one text and label rejected as one undo step."""

from __future__ import annotations

import re

import pytest

from annotator.core import ops
from annotator.core.history import History
from annotator.core.ops import OpError, Session
from annotator.core.project import current_schema
from annotator.core.workflow import start_work


@pytest.fixture
def repeated(seeded):
    """Every 'Syria' of the first seed suggested as GPE, one 'Syria' as LOC, 'Israel' as GPE."""
    session = Session("ann")
    doc_id = seeded.documents.ids_in_order()[0]
    target = start_work(seeded, session, doc_id, current_schema(seeded).hash)
    text = seeded.documents.text(doc_id)
    add = seeded.spans.add
    syria = [m.start() for m in re.finditer(r"\bSyria\b", text)]
    israel = text.index("Israel")
    with seeded.transaction():
        gpe = [add(target.set_id, at, at + 5, layer="entity", label="GPE", origin="model:t@1",
                   state="suggested", score=0.9).id for at in syria[:-1]]
        loc = add(target.set_id, syria[-1], syria[-1] + 5, layer="entity", label="LOC",
                  origin="model:t@1", state="suggested", score=0.9).id
        other = add(target.set_id, israel, israel + 6, layer="entity", label="GPE",
                    origin="model:t@1", state="suggested", score=0.9).id
    return seeded, session, target, text, gpe, loc, other


def states(store, ids):
    return [store.spans.get(i).state for i in ids]


def test_every_suggestion_of_the_text_and_label_is_rejected_in_one_undo_step(repeated):
    store, session, target, text, gpe, loc, other = repeated
    assert len(gpe) >= 3
    store.spans.update(gpe[0], state="accepted")  # decided already: it stays as it is
    history = History()
    change = history.do(store, ops.reject_alike(session, store, target, text, gpe[1]))
    assert change.counts["spans"] == len(gpe) - 1
    assert states(store, gpe) == ["accepted"] + ["rejected"] * (len(gpe) - 1)
    assert states(store, [loc, other]) == ["suggested", "suggested"]  # other label, other text
    assert [e.action for e in store.events.list(doc_id=target.doc_id)][-1] == \
        "spans.reject_alike"
    history.undo(store)
    assert states(store, gpe) == ["accepted"] + ["suggested"] * (len(gpe) - 1)
    history.redo(store)
    assert states(store, gpe[1:]) == ["rejected"] * (len(gpe) - 1)
    with pytest.raises(OpError, match="no undecided GPE suggestions of 'Syria' left"):
        ops.reject_alike(session, store, target, text, gpe[0])


def test_only_entities_repeat_by_label(repeated, seeded):
    store, session, target, text, *_ = repeated
    start = text.index("joint statement")
    claim = ops.make_claim(session, store, target, text, start, start + 15,
                           ("direct_quote", "indirect", "unattributed"))
    claim.apply(store)
    with pytest.raises(OpError, match="only entities repeat by label"):
        ops.reject_alike(session, store, target, text, claim.span.id)
