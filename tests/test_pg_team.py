"""`annotator team init` and `add-user` on a real server (tests/pg.py), and the rights they
set, tried directly in SQL as each role: PostgreSQL itself refuses the forbidden writes."""

from __future__ import annotations

import itertools
import os

import psycopg
import pytest
from psycopg import errors

from annotator.cli import main
from annotator.core.store.postgres import migrations
from pg import add_password

_people = itertools.count(1)
DOC = "d" * 64


def _user(pg_url, pg_server, role: str, monkeypatch, capsys) -> psycopg.Connection:
    """A new person with `role`, added by the command line as an administrator would, and
    connected as themselves."""
    name = f"{role}{os.getpid()}x{next(_people)}"
    password = f"pw-of-{name}"
    monkeypatch.setenv("ANNOTATOR_PASSWORD", password)
    assert main(["team", "add-user", name, "--role", role, "--db", pg_url]) == 0
    output = capsys.readouterr()
    assert output.out.endswith(f"user {name} added as {role}\n")
    assert password not in output.out + output.err
    add_password(name, password, pg_server)
    return psycopg.connect(pg_url.replace("postgres@", f"{name}@"), autocommit=True)


@pytest.fixture
def team(pg_url, pg_server, monkeypatch, capsys):
    """A team's project holding one document and the sets of two members, a reviewer's gold
    set and an admin; the people's connections by role."""
    assert main(["team", "init", pg_url]) == 0
    assert "team project ready (migrations 1–" in capsys.readouterr().out
    people = {role: _user(pg_url, pg_server, role, monkeypatch, capsys)
              for role in ("member", "reviewer", "admin")}
    people["other"] = _user(pg_url, pg_server, "member", monkeypatch, capsys)
    with psycopg.connect(pg_url, autocommit=True) as owner:
        owner.execute("INSERT INTO documents (id, text, n_chars, imported_at) "
                      "VALUES (%s, 'Ana met Bo in Oslo.', 19, 'now')", (DOC,))
        for role in ("member", "other"):
            _new_set(owner, people[role].info.user)
        _new_set(owner, "gold")
    yield people
    for conn in people.values():
        conn.close()


def _new_set(conn: psycopg.Connection, annotator: str) -> int:
    return conn.execute("INSERT INTO annotation_sets (doc_id, annotator, created_at, "
                        "updated_at) VALUES (%s, %s, 'now', 'now') RETURNING id",
                        (DOC, annotator)).fetchone()[0]


def _set_of(conn: psycopg.Connection, annotator: str) -> int:
    return conn.execute("SELECT id FROM annotation_sets WHERE annotator = %s",
                        (annotator,)).fetchone()[0]


def _add_span(conn: psycopg.Connection, set_id: int) -> None:
    conn.execute("INSERT INTO spans (set_id, start, \"end\", layer, label, origin, state, "
                 "created_at, updated_at) VALUES (%s, 0, 3, 'entity', 'PERSON', 'human', "
                 "'accepted', 'now', 'now')", (set_id,))


def _refused(conn: psycopg.Connection, statement: str, *params) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(statement, params)


def _changes_nothing(conn: psycopg.Connection, statement: str, *params) -> None:
    """Row-level security hides others' rows from a write: it changes no row."""
    assert conn.execute(statement, params).rowcount == 0


def test_a_member_writes_only_their_own_work(team):
    member, other = team["member"], team["other"]
    me, them = member.info.user, other.info.user
    assert member.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert member.execute("SELECT count(*) FROM annotation_sets").fetchone()[0] == 3
    mine, theirs, gold = (_set_of(member, who) for who in (me, them, "gold"))
    _add_span(member, mine)
    member.execute("UPDATE annotation_sets SET status = 'done' WHERE id = %s", (mine,))
    member.execute("INSERT INTO events (ts, annotator, action) VALUES ('now', %s, 'done')",
                   (me,))

    _refused(member, "INSERT INTO annotation_sets (doc_id, annotator, created_at, updated_at) "
                     "VALUES (%s, 'someone', 'now', 'now')", DOC)
    _refused(member, "UPDATE annotation_sets SET annotator = %s WHERE id = %s", them, mine)
    for target in (theirs, gold):
        _refused(member, "INSERT INTO spans (set_id, start, \"end\", layer, label, origin, "
                         "state, created_at, updated_at) VALUES (%s, 0, 3, 'entity', 'X', "
                         "'human', 'accepted', 'now', 'now')", target)
        _changes_nothing(member, "UPDATE annotation_sets SET status = 'done' WHERE id = %s",
                         target)
        _changes_nothing(member, "DELETE FROM annotation_sets WHERE id = %s", target)
    _refused(member, "UPDATE spans SET set_id = %s WHERE set_id = %s", theirs, mine)
    _refused(member, "INSERT INTO events (ts, annotator, action) VALUES ('now', %s, 'forged')",
             them)
    assert other.execute("SELECT status FROM annotation_sets WHERE id = %s",
                         (theirs,)).fetchone()[0] == "todo"


ADMIN_ONLY = [
    "INSERT INTO documents (id, text, n_chars, imported_at) VALUES (repeat('e', 64), 'Hi.', 3, "
    "'now')",
    "UPDATE documents SET curation = 'excluded'",
    "UPDATE documents SET search = NULL",
    "DELETE FROM documents",
    "INSERT INTO search_vectors_ahead (doc_id, title, search) VALUES ('e', '', 'forged')",
    "INSERT INTO settings (key, value) VALUES ('model', '\"mine\"')",
    "INSERT INTO schemas (hash, name, version, body, added_at) VALUES ('h', 'n', '1', '{}', "
    "'now')",
    "UPDATE events SET action = 'forged'",
    "DELETE FROM events",
    "DELETE FROM migrations",
    "CREATE TABLE mine (id INTEGER)",
    "ALTER TABLE spans ADD COLUMN mine TEXT",
    "ALTER TABLE spans DISABLE ROW LEVEL SECURITY",
    "CREATE TEMPORARY TABLE annotation_sets (id BIGINT, annotator TEXT)",
]


def test_only_an_admin_imports_curates_and_changes_the_schema(team):
    for role in ("member", "reviewer"):
        for statement in ADMIN_ONLY:
            _refused(team[role], statement)


def test_a_reviewer_also_writes_gold_and_an_admin_everything(team):
    reviewer, admin = team["reviewer"], team["admin"]
    gold = _set_of(reviewer, "gold")
    _add_span(reviewer, gold)
    reviewer.execute("UPDATE annotation_sets SET reviewed_by = current_user WHERE id = %s",
                     (gold,))
    _changes_nothing(reviewer, "UPDATE annotation_sets SET status = 'done' WHERE annotator = %s",
                     team["member"].info.user)
    reviewer.execute("UPDATE documents SET title = 'Ceasefire talks'")  # its vector follows
    assert reviewer.execute("SELECT count(*) FROM documents "
                            "WHERE search @@ to_tsquery('annotator', 'ceasefire')").fetchone() == (1,)
    admin.execute("UPDATE documents SET curation = 'excluded'")
    admin.execute("INSERT INTO settings (key, value) VALUES ('model', '\"news\"')")
    admin.execute("ALTER TABLE spans ADD COLUMN reviewed TEXT")
    assert admin.execute("UPDATE annotation_sets SET note = 'seen'").rowcount == 3


def test_someone_without_a_team_role_cannot_even_connect(team, pg_url, pg_server, capsys):
    with pg_server.connect() as server:
        server.execute("CREATE ROLE stranger LOGIN PASSWORD 'pw-stranger'")
    add_password("stranger", "pw-stranger", pg_server)
    assert main(["stats", "--db", pg_url.replace("postgres@", "stranger@")]) == 1
    assert "refused access: stranger may not connect to it" in capsys.readouterr().err


def test_init_again_upgrades_nothing_and_keeps_the_rights(team, pg_url, capsys):
    assert main(["team", "init", pg_url]) == 0
    assert "schema up to date; roles and rights set" in capsys.readouterr().out
    _refused(team["member"], "UPDATE documents SET curation = 'excluded'")


@pytest.mark.parametrize(("args", "message"), [
    (["gold"], "'gold' cannot be a user name"),
    (["annotator_admin"], "cannot be a user name"),
    (["Robert'); DROP"], "cannot be a user name"),
    (["postgres"], "a user 'postgres' already exists on this server"),
])
def test_add_user_refuses_bad_names_in_one_sentence(pg_url, monkeypatch, capsys, args,
                                                    message):
    assert main(["team", "init", pg_url]) == 0
    monkeypatch.setenv("ANNOTATOR_PASSWORD", "secret-pw")
    assert main(["team", "add-user", *args, "--db", pg_url]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "secret-pw" not in err


def test_add_user_needs_a_project_and_a_server(pg_url, monkeypatch, capsys, db_path):
    monkeypatch.setenv("ANNOTATOR_PASSWORD", "secret-pw")
    assert main(["team", "add-user", "ana", "--db", pg_url]) == 1
    assert "has no project yet: run `annotator team init` first" in capsys.readouterr().err
    assert main(["team", "add-user", "ana", "--db", str(db_path)]) == 1
    assert "name the team's server" in capsys.readouterr().err
    assert main(["team", "init", str(db_path)]) == 1
    assert not db_path.exists()


def test_a_password_asked_for_is_asked_twice_and_must_match(pg_url, monkeypatch, capsys):
    monkeypatch.delenv("ANNOTATOR_PASSWORD", raising=False)
    answers = iter(["first-pw", "second-pw"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["team", "init", pg_url]) == 0
    assert main(["team", "add-user", "ana", "--db", pg_url]) == 1
    err = capsys.readouterr().err
    assert "the two passwords differ" in err and "first-pw" not in err


def test_the_server_never_sees_the_password_itself(team, pg_server):
    with pg_server.connect() as server:
        stored = server.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                (team["member"].info.user,)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and "pw-of-" not in stored


def test_team_init_on_a_project_of_a_newer_version_changes_nothing(pg_url, capsys):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT, "
                     "applied_at TEXT)")
        conn.execute("INSERT INTO migrations VALUES (%s, 'future', 'now')",
                     (migrations.LATEST + 1,))
    assert main(["team", "init", pg_url]) == 1
    assert "written by a newer Annotator" in capsys.readouterr().err
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'migrations'"
                            ).fetchone()[0] == "postgres"


def test_a_team_admin_can_run_init_again_after_an_upgrade(team, pg_url, capsys):
    admin_url = pg_url.replace("postgres@", f"{team['admin'].info.user}@")
    assert main(["team", "init", admin_url]) == 0, capsys.readouterr().err
    assert "schema up to date; roles and rights set" in capsys.readouterr().out
    _refused(team["member"], "UPDATE documents SET curation = 'excluded'")


def test_a_members_spans_keep_their_memory_counts_and_the_table_is_not_theirs(team):
    """Migration 8 on the server: the triggers count a member's decisions with the rights of
    the table's owner, and the member cannot write the counts directly."""
    member = team["member"]
    me = member.info.user
    mine = _set_of(member, me)
    for state in ("accepted", "accepted", "rejected"):
        member.execute("INSERT INTO spans (set_id, start, \"end\", layer, label, origin, state, "
                       "created_at, updated_at) VALUES (%s, 0, 3, 'entity', 'PERSON', 'human', "
                       "%s, 'now', 'now')", (mine, state))
    rows = member.execute("SELECT text, label, annotator, accepted, rejected "
                          "FROM entity_memory").fetchall()
    assert rows == [("Ana", "PERSON", me, 2, 1)]
    member.execute("UPDATE spans SET state = 'rejected' WHERE state = 'accepted'")
    assert member.execute("SELECT accepted, rejected FROM entity_memory").fetchall() == [(0, 3)]
    member.execute("DELETE FROM annotation_sets WHERE id = %s", (mine,))
    assert member.execute("SELECT count(*) FROM entity_memory").fetchone()[0] == 0
    with pytest.raises(errors.InsufficientPrivilege):
        member.execute("INSERT INTO entity_memory VALUES ('x', 'Y', %s, 1, 0)", (me,))
