"""An op's action is batched (on a server, one pipeline; docs/architecture.md,
"The one road"): its event id is still known once it is done, and a statement the database refuses
still rolls the whole action back, as the store's own error, leaving the project usable."""

from __future__ import annotations

import pytest

from annotator.core import ops
from annotator.core.project import current_schema
from annotator.core.session import Session
from annotator.core.store import StoreError
from annotator.core.workflow import start_work
from test_actions import count, entity


@pytest.fixture
def work(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    session = Session("ann")
    target = start_work(seeded, session, doc_id, current_schema(seeded).hash)
    return seeded, session, target, entity(seeded, target.set_id, "Syria")


def test_the_change_names_the_event_its_action_wrote(work):
    store, session, target, span = work
    change = ops.accept(session, store, target, span).apply(store)
    (event,) = store.events.list(action="span.accept")
    assert change.event_id == event.id == store.events.last_id()


def test_a_refused_statement_rolls_the_batched_action_back(work):
    store, session, target, span = work
    events, version = count(store, "events"), store.sets.get(target.set_id).version
    beyond = len(store.documents.text(target.doc_id)) + 5
    edit = ops.rows.UpdateSpans(session, target, [(session.span(span), {"end": beyond})])
    with pytest.raises(StoreError, match="beyond the document text"):
        edit.apply(store)
    assert count(store, "events") == events
    assert store.sets.get(target.set_id).version == version
    assert store.spans.get(span).end < beyond
    ops.accept(session, store, target, span).apply(store)  # the connection works on
    assert store.spans.get(span).state == "accepted"
