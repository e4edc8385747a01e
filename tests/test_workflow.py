"""The status flow: start/resume, next todo in list order, done semantics, session pace."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from annotator.core import ops
from annotator.core.errors import OpError
from annotator.core.ops import Session
from annotator.core.project import current_schema
from annotator.core.store import Store
from annotator.core.suggest.materialise import plan
from annotator.core.tokens import cached_tables, tokenize, tokenizer_key
from annotator.core.project_settings import DONE_ASKS, MEMORY_SHARED, is_on, turn
from annotator.core.workflow import (next_todo, start_work,
                                     prepare_document, session_pace,
                                     start_document)


def open_(store, session, doc_id):
    return start_work(store, session, doc_id, current_schema(store).hash)


def test_first_start_opens_the_first_todo_and_marks_it_in_progress(seeded):
    ids = seeded.documents.ids_in_order()
    assert start_document(seeded, "ann") == ids[0]
    target = open_(seeded, Session("ann"), ids[0])
    assert seeded.sets.get(target.set_id).status == "in_progress"
    assert seeded.events.list(annotator="ann")[-1].action == "document.start"


def test_resume_returns_to_the_last_document_even_from_another_connection(seeded):
    ids = seeded.documents.ids_in_order()
    session = Session("ann")
    open_(seeded, session, ids[0])
    open_(seeded, session, ids[3])
    open_(seeded, Session("bob"), ids[1])
    with Store(seeded.location) as again:
        assert start_document(again, "ann") == ids[3]
        assert start_document(again, "bob") == ids[1]


def test_next_todo_follows_list_order_skipping_finished_and_wraps(seeded):
    ids = seeded.documents.ids_in_order()
    session = Session("ann")
    assert next_todo(seeded, "ann", after=ids[0]) == ids[1]
    for doc_id, status in ((ids[1], "done"), (ids[2], "skipped"), (ids[3], "flagged")):
        ops.set_status(session, open_(seeded, session, doc_id), status).apply(seeded)
    assert next_todo(seeded, "ann", after=ids[0]) == ids[4]
    assert next_todo(seeded, "ann", after=ids[4]) == ids[0]  # wraps; in_progress counts
    ops.set_status(session, open_(seeded, session, ids[0]), "done").apply(seeded)
    ops.set_status(session, open_(seeded, session, ids[4]), "done").apply(seeded)
    assert next_todo(seeded, "ann", after=ids[4]) is None
    assert next_todo(seeded, "bob") == ids[0]  # statuses are per annotator


def test_the_setting_to_ask_before_done_is_a_recorded_action(seeded):
    assert is_on(seeded, DONE_ASKS) is False
    turn(seeded, Session("lead"), DONE_ASKS, True)
    assert is_on(seeded, DONE_ASKS) is True
    assert seeded.settings.get(DONE_ASKS) is True
    assert seeded.events.list(action="settings.done_asks")[-1].payload == {"value": True}
    turn(seeded, Session("lead"), MEMORY_SHARED, True)
    assert seeded.settings.get(MEMORY_SHARED) is True
    with pytest.raises(OpError, match="only an admin may change the project's settings"):
        turn(seeded, Session("ann", role="member"), DONE_ASKS, False)
    assert is_on(seeded, DONE_ASKS) is True


def test_session_pace_counts_done_minus_undone_per_hour(seeded):
    session = Session("ann")
    ids = seeded.documents.ids_in_order()
    first = open_(seeded, session, ids[0])
    ops.mark_done(session, seeded, first).apply(seeded)
    second = ops.mark_done(session, seeded, open_(seeded, session, ids[1]))
    second.apply(seeded)
    second.undo(seeded)
    start = datetime.fromisoformat(seeded.events.list(session_id=session.session_id)[0].ts)
    pace = session_pace(seeded, session, now=start + timedelta(minutes=30))
    assert (pace.done, pace.per_hour) == (1, 2.0)
    early = session_pace(seeded, session, now=start + timedelta(minutes=2))
    assert (early.done, early.per_hour) == (1, None)  # no pace from two minutes
    assert session_pace(seeded, Session("ann")).done == 0


def test_preparing_a_started_document_suggests_and_caches_its_tokens_once(seeded):
    """What the window's worker runs as a document opens."""
    doc_id = seeded.documents.ids_in_order()[0]
    open_(seeded, Session("ann"), doc_id)
    prepared = prepare_document(seeded, doc_id, "ann")
    assert prepared.added > 0 and prepared.preview is None
    assert seeded.tokens.count(tokenizer_key()) == 1
    (table,) = cached_tables(seeded, [seeded.documents.get(doc_id)]).values()
    assert table.tokens() == tokenize(seeded.documents.text(doc_id))
    assert prepare_document(seeded, doc_id, "ann").added == 0  # suggestions go in once
    assert seeded.tokens.count() == 1


def counts(store):
    return {table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("annotation_sets", "spans", "claims", "events",
                          "suggestions_materialised")}


def test_viewing_a_document_creates_nothing_and_the_first_edit_starts_the_work(seeded):
    """A document nobody works on yet is previewed: no set, no span, no event; the
    annotator's first edit creates their set with the previewed suggestions, in progress."""
    doc_id = seeded.documents.ids_in_order()[0]
    before = counts(seeded)
    prepared = prepare_document(seeded, doc_id, "ann")
    assert counts(seeded) == before
    planned = plan(prepared.preview.payload, prepared.preview.key)
    spans, claims = planned.preview()
    assert spans and all(s.id < 0 and s.state == "suggested" for s in spans)
    assert {c.content_span_id for c in claims} <= {s.id for s in spans}

    session = Session("ann")
    target = start_work(seeded, session, doc_id, current_schema(seeded).hash, prepared.preview)
    stored = seeded.spans.for_set(target.set_id)
    assert sorted((s.layer, s.start, s.end, s.label) for s in stored) == \
        sorted((s.layer, s.start, s.end, s.label) for s in spans)
    assert len(seeded.claims.for_set(target.set_id)) == len(claims)
    assert seeded.sets.get(target.set_id).status == "in_progress"
    assert [e.action for e in seeded.events.list(doc_id=doc_id)] == ["document.start"]
    again = start_work(seeded, session, doc_id, current_schema(seeded).hash)
    assert again == target and len(seeded.events.list(doc_id=doc_id)) == 1
