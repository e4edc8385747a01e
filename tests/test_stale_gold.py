"""No lost work on gold: every op bumps its set's version, and a write to gold from a copy
older than the stored one is refused (nothing written, no event) and reloaded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator.core import ops
from annotator.core.errors import RightsError, StaleWrite
from annotator.core.history import History
from annotator.core.project import current_schema, open_project
from annotator.core.rights import GOLD, MEMBER, REVIEWER
from annotator.core.session import Session
from annotator.core.workflow import start_work
from test_actions import count, entity
from test_gui_session import open_window


@pytest.fixture
def gold(seeded):
    """The first seed document's gold set with two suggestions, as (store, target, spans)."""
    doc_id = seeded.documents.ids_in_order()[0]
    gold = seeded.sets.ensure(doc_id, GOLD, current_schema(seeded).hash)
    spans = [entity(seeded, gold.id, word) for word in ("Syria", "Israel")]
    return seeded, ops.Target(doc_id, gold.id), spans


@pytest.fixture
def second(location):
    """The same project on a second connection: another reviewer's desktop."""
    other = open_project(location)
    yield other
    other.close()


def opened(store, session: Session, target: ops.Target) -> Session:
    session.saw(target.set_id, store.sets.get(target.set_id).version)
    return session


def test_a_stale_write_to_gold_is_refused_nothing_written_and_a_retry_goes_ahead(gold, second):
    store, target, (syria, israel) = gold
    rita = opened(store, Session("rita", role=REVIEWER), target)
    rex = opened(second, Session("rex", role=REVIEWER), target)
    ops.accept(rita, store, target, syria).apply(store)
    events = count(store, "events")

    stale = ops.reject(rex, second, target, israel)
    with pytest.raises(StaleWrite) as refused:
        stale.apply(second)

    title = store.documents.get(target.doc_id).title
    assert str(refused.value) == (f"gold of {title} was changed by rita since you opened it; "
                                  "reloaded — do it again if still needed")
    stored = store.sets.get(target.set_id)
    assert (stored.version, stored.reviewed_by) == (2, "rita")
    assert store.spans.get(israel).state == "suggested"
    assert count(store, "events") == events
    ops.reject(rex, second, target, israel).apply(second)  # the refusal reloaded rex's copy
    assert store.spans.get(israel).state == "rejected"
    assert store.sets.get(target.set_id).version == 3 == rex.version(target.set_id)


def test_writes_of_one_session_follow_its_own_versions_through_undo_and_redo(gold):
    store, target, (syria, _) = gold
    rita, history = opened(store, Session("rita", role=REVIEWER), target), History()
    history.do(store, ops.accept(rita, store, target, syria))
    history.undo(store)
    history.redo(store)
    assert store.sets.get(target.set_id).version == 4 == rita.version(target.set_id)
    assert store.spans.get(syria).state == "accepted"


def test_a_refused_write_leaves_the_version_and_the_sessions_memory_alone(gold):
    store, target, (syria, _) = gold
    ann = opened(store, Session("ann", role=MEMBER), target)
    with pytest.raises(RightsError, match="only a reviewer edits gold"):
        ops.accept(ann, store, target, syria).apply(store)
    assert store.sets.get(target.set_id).version == 1 == ann.version(target.set_id)


def test_an_annotators_own_set_is_versioned_too_without_a_check(seeded, second):
    doc_id = seeded.documents.ids_in_order()[0]
    one = Session("ann")
    target = start_work(seeded, one, doc_id, current_schema(seeded).hash)
    span = entity(seeded, target.set_id, "Syria")
    before = seeded.sets.get(target.set_id).version
    opened(seeded, one, target)
    ops.accept(Session("ann"), second, target, span).apply(second)  # their other window
    ops.relabel(one, seeded, target, span, "ORG").apply(seeded)
    assert seeded.sets.get(target.set_id).version == before + 2
    assert seeded.spans.get(span).label == "ORG"


# Another desktop: a process of its own, whose change this window learns of only by the log.
REX_ACCEPTS = """
import sys
from annotator.core import ops
from annotator.core.project import open_project
from annotator.core.rights import REVIEWER
from annotator.core.session import Session
store = open_project(sys.argv[1])
target = ops.Target(sys.argv[2], int(sys.argv[3]))
ops.accept(Session("rex", role=REVIEWER), store, target, int(sys.argv[4])).apply(store)
"""


def test_the_workspace_shows_the_refusal_and_reloads_the_gold(qtbot, gold, location):
    store, target, (syria, israel) = gold
    window = open_window(qtbot, store, "rita", suggest=False)
    workspace = window.workspace
    workspace.open(target.doc_id)
    workspace._adopt(target)  # shown as a review of gold would show it (no review mode yet)
    workspace._started = True
    subprocess.run([sys.executable, "-c", REX_ACCEPTS, location, target.doc_id,
                    str(target.set_id), str(israel)], check=True)
    assert workspace.span(israel).state == "suggested"  # rex's change not followed yet

    done = workspace.run(lambda t: ops.reject(workspace.session, store, t, syria))

    assert done is None and isinstance(workspace.last_error, StaleWrite)
    assert window.status.message.text().startswith("gold of ")
    assert "was changed by rex since you opened it; reloaded" in window.status.message.text()
    assert workspace.span(israel).state == "accepted"  # reloaded: rex's work is shown
    assert store.spans.get(syria).state == "suggested"
    assert workspace.run(lambda t: ops.reject(workspace.session, store, t, syria)) is not None
    assert store.spans.get(syria).state == "rejected"
