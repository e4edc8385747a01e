"""On a team server a person works as their login, in their login's role: the command line
and the app take the name from the server (never a typed one), and the core refuses what
the role may not do in one sentence before the database would."""

from __future__ import annotations

import pytest

from annotator.cli import main
from annotator.core import ops
from annotator.core.errors import RightsError
from annotator.core.project import command_line_session, open_project
from annotator.core.store import StoreError
from annotator.core.workflow import start_work
from conftest import SEEDS
from test_pg_team import _user


@pytest.fixture
def logins(pg_url, pg_server, monkeypatch, capsys):
    """A team project with the seeds, and the URL of a member and of a reviewer."""
    assert main(["team", "init", pg_url]) == 0
    assert main(["import", str(SEEDS), "--db", pg_url]) == 0
    capsys.readouterr()
    urls = {}
    for role in ("member", "reviewer"):
        conn = _user(pg_url, pg_server, role, monkeypatch, capsys)
        urls[role] = pg_url.replace("postgres@", f"{conn.info.user}@")
        conn.close()
    return urls


def test_a_member_works_as_their_login_in_the_member_role(logins):
    with open_project(logins["member"]) as store:
        session = command_line_session(store)
        assert (session.annotator, session.role) == (store.user, "member")
        assert store.user.startswith("member")
        doc_id = store.documents.ids_in_order()[0]
        target = start_work(store, session, doc_id, None)
        span = store.spans.add(target.set_id, 0, 4, layer="entity", label="GPE",
                               origin="human", state="suggested")
        ops.accept(session, store, target, span.id).apply(store)
        assert store.sets.find(doc_id, store.user).status == "in_progress"
        with pytest.raises(RightsError, match="only an admin may"):
            ops.set_curation(session, store, [doc_id], "excluded", "off topic").apply(store)
        assert store.documents.get(doc_id).curation == "included"


def test_another_name_than_the_login_is_refused_on_a_server(logins, capsys):
    with open_project(logins["member"]) as store:
        with pytest.raises(StoreError, match="on a team server you work as your login"):
            command_line_session(store, "somebody-else")
    assert main(["curate", "exclude", "--query", "Syria", "--annotator", "somebody-else",
                 "--db", logins["reviewer"]]) == 1
    err = capsys.readouterr().err
    assert "you work as your login (reviewer" in err and err.count("\n") == 1


def test_a_reviewer_may_not_curate_from_the_command_line(logins, capsys):
    assert main(["curate", "exclude", "--query", "Syria", "--db", logins["reviewer"]]) == 1
    err = capsys.readouterr().err
    assert "only an admin may" in err and "is a reviewer" in err
    with open_project(logins["reviewer"]) as store:
        assert store.documents.count(included_only=True) == 5


def test_the_window_works_in_the_logins_role_and_keeps_its_name(qtbot, logins):
    from PySide6.QtCore import Qt

    from test_gui_session import open_window, press

    with open_project(logins["reviewer"]) as store:
        window = open_window(qtbot, store, store.user, suggest=False)
        assert (window.workspace.session.annotator, window.workspace.session.role) == \
            (store.user, "reviewer")
        asked = []
        window.annotatorRequested.connect(asked.append)
        press(qtbot, window, Qt.Key.Key_N,
              Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert asked == []
        assert window.status.message.text().startswith(
            f"on a team server you work as your login ({store.user})")
        window.close()
