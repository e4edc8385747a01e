"""The review's majority rule as a project setting: set by an admin as a recorded action, read
by the review window (which settles what it resolves before the reviewer starts and writes it
into gold at the first decision) and by `annotator review rule` / `accept-agreed`."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.errors import RightsError
from annotator.core.project_settings import REVIEW_MIN_AGREE, review_rule, set_review_rule
from annotator.core.review.work import load_one
from annotator.core.session import Session
from review_work import at, finish
from test_review_cli import run
from test_review_gui import key, open_review


def three_on_paris(store) -> tuple[str, str]:
    """alice and bob say Paris is a GPE, carol a LOC: 2 of 3 agree."""
    doc_id = store.documents.ids_in_order()[1]
    text = store.documents.text(doc_id)
    for who, label in (("alice", "GPE"), ("bob", "GPE"), ("carol", "LOC")):
        finish(store, doc_id, who, [at(text, "Paris", label)])
    return doc_id, text


def test_the_rule_is_an_admins_recorded_setting(seeded):
    assert review_rule(seeded) is None
    set_review_rule(seeded, Session("lead"), 2)
    assert review_rule(seeded) == 2
    assert seeded.events.list(action=f"settings.{REVIEW_MIN_AGREE}")[-1].payload == {"value": 2}
    with pytest.raises(RightsError, match="only an admin may set the review's majority rule"):
        set_review_rule(seeded, Session("rita", role="reviewer"), 3)
    with pytest.raises(ValueError, match="at least 2 annotators"):
        set_review_rule(seeded, Session("lead"), 1)
    assert review_rule(seeded) == 2
    set_review_rule(seeded, Session("lead"), None)
    assert review_rule(seeded) is None


def test_rule_from_the_command_line_and_accept_agreed_follows_it(seeded, capsys):
    doc_id, text = three_on_paris(seeded)
    db = seeded.location.value
    who = ["--annotator", "rita"] if seeded.user is None else []
    code, out, _ = run(capsys, "review", "rule", "--db", db)
    assert code == 0 and "majority rule off" in out
    code, _, err = run(capsys, "review", "rule", "one", "--db", db, *who)
    assert code == 1 and "expected a number of annotators or off, not 'one'" in err
    code, _, err = run(capsys, "review", "rule", "1", "--db", db, *who)
    assert code == 1 and "at least 2 annotators" in err
    code, out, _ = run(capsys, "review", "rule", "2", "--db", db, *who)
    assert code == 0 and "majority rule set: at least 2 annotators" in out
    code, out, _ = run(capsys, "review", "rule", "--db", db)
    assert "at least 2 finished annotators agree on goes into gold" in out
    code, out, _ = run(capsys, "review", "accept-agreed", "--db", db, *who)
    assert code == 0 and "gold written for 1 document(s): 1 entities" in out
    assert load_one(seeded, doc_id).gold_work.entities == (at(text, "Paris", "GPE"),)
    code, out, _ = run(capsys, "review", "rule", "off", "--db", db, *who)
    assert code == 0 and "majority rule off" in out and review_rule(seeded) is None


@pytest.mark.usefixtures("qapp")
def test_the_window_follows_the_rule_and_gold_starts_with_it(qtbot, seeded, monkeypatch):
    doc_id, text = three_on_paris(seeded)
    window = open_review(qtbot, seeded)
    assert window.workspace.doc_id == doc_id
    assert window.workspace.review.open_conflicts == 1
    asked = []
    monkeypatch.setattr(window, "ask_number",
                        lambda title, label, value, most: asked.append(value) or 2)
    window.actions.majority_rule()  # Project → Review majority rule…
    assert asked == [0] and review_rule(seeded) == 2
    qtbot.waitUntil(lambda: window.workspace.review.open_conflicts == 0)
    assert "majority rule: 1 settled by at least 2 of 3" in window.conflicts_panel.counts.text()
    assert seeded.sets.find(doc_id, "gold") is None  # settling by the rule writes nothing yet
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # reviewed
    qtbot.waitUntil(lambda: seeded.sets.find(doc_id, "gold") is not None)
    gold = load_one(seeded, doc_id).gold_work
    assert gold.entities == (at(text, "Paris", "GPE"),)
