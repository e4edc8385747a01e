"""A project on a real PostgreSQL server (tests/pg.py): reaching it, each way of failing to,
and its schema, which must be SQLite's data model in PostgreSQL's dialect."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from annotator.cli import main
from annotator.core.store import (Location, NotAProject, Store, StoreAccessDenied, StoreError,
                                  StoreIntegrityError, StoreUnreachable, StoreVersionError)
from annotator.core.store import migrations as sqlite_migrations
from annotator.core.store.postgres import migrations
from annotator.core.store.postgres.connection import translated
from annotator.core.store.postgres.team import init
from conftest import SEEDS
from pg import _free_port

# What one backend has and the other has not, for the same data model: SQLite's full-text
# index is a virtual table (with its shadow tables), PostgreSQL's a column of documents,
# whose vectors an import may have computed ahead on a second connection.
SQLITE_ONLY_TABLES = {"documents_fts", "documents_fts_config", "documents_fts_data",
                      "documents_fts_docsize", "documents_fts_idx"}
POSTGRESQL_ONLY_COLUMNS = {("documents", "search"), ("search_vectors_ahead", "doc_id"),
                           ("search_vectors_ahead", "title"), ("search_vectors_ahead", "search"),
                           ("search_vectors_ahead", "made_at")}
SECRET = "not-this-one-42"


def _opening_error(url: str, capsys) -> str:
    """The one sentence `Store` and the command line give for `url`, checked to be the
    same in both, with a non-zero exit."""
    with pytest.raises(StoreError) as raised:
        Store(url)
    assert main(["stats", "--db", url]) == 1
    assert capsys.readouterr().err == f"annotator: error: {raised.value}\n"
    message = str(raised.value)
    assert "\n" not in message and SECRET not in message
    return message


def test_migrations_are_numbered_in_step_with_sqlite():
    sqlite = [(m.version, m.name) for m in sqlite_migrations.available()]
    assert [(m.version, m.name) for m in migrations.MIGRATIONS] == sqlite


def test_the_schema_has_the_tables_and_columns_of_a_sqlite_project(pg_url, db_path):
    assert init(Location.parse(pg_url)) == list(range(1, migrations.LATEST + 1))
    with Store(db_path) as store:
        sqlite_columns = {(table, column) for (table,) in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")
            if table not in SQLITE_ONLY_TABLES
            for (column,) in store.conn.execute(
                "SELECT name FROM pragma_table_info(?)", (table,))}
    with psycopg.connect(pg_url) as conn:
        pg_columns = set(conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'").fetchall())
    assert pg_columns - POSTGRESQL_ONLY_COLUMNS == sqlite_columns
    assert POSTGRESQL_ONLY_COLUMNS <= pg_columns


def _document(conn: psycopg.Connection, text: str = "Café owners met in Paris.") -> str:
    doc_id = "d" * 64
    conn.execute("INSERT INTO documents (id, text, n_chars, title, imported_at) "
                 "VALUES (%s, %s, %s, 'Crème brûlée', 'now')", (doc_id, text, len(text)))
    conn.execute("INSERT INTO annotation_sets (doc_id, annotator, created_at, updated_at) "
                 "VALUES (%s, 'ana', 'now', 'now')", (doc_id,))
    return doc_id


@pytest.mark.parametrize("statement", [
    "UPDATE documents SET text = 'Other text.', n_chars = 11",
    "INSERT INTO spans (set_id, start, \"end\", layer, label, origin, state, created_at, "
    "updated_at) SELECT id, 0, 500, 'entity', 'ORG', 'human', 'accepted', 'now', 'now' "
    "FROM annotation_sets",
    "INSERT INTO spans (set_id, start, \"end\", layer, label, origin, state, created_at, "
    "updated_at) SELECT id, 3, 2, 'entity', 'ORG', 'human', 'accepted', 'now', 'now' "
    "FROM annotation_sets",
    "UPDATE annotation_sets SET status = 'finished'",
    "INSERT INTO documents (id, text, n_chars, imported_at) VALUES (repeat('e', 64), 'ab', 3, "
    "'now')",
    "UPDATE events SET action = 'forged'",
    "DELETE FROM events",
    "TRUNCATE events",
])
def test_the_rules_of_the_data_model_hold_on_the_server(pg_url, statement):
    init(Location.parse(pg_url))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        _document(conn)
        conn.execute("INSERT INTO events (ts, annotator, action) VALUES ('now', 'ana', 'open')")
        with pytest.raises(StoreIntegrityError, match="refused a change"), translated("here"):
            conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_full_text_search_folds_diacritics_and_takes_any_query(pg_url):
    init(Location.parse(pg_url))
    with psycopg.connect(pg_url) as conn:
        _document(conn)

        def found(query: str) -> int:
            return conn.execute("SELECT count(*) FROM documents WHERE search @@ "
                                "websearch_to_tsquery('annotator', %s)", (query,)).fetchone()[0]

        assert found("cafe paris") == found("CAFÉ") == found("creme brulee") == 1
        assert found("cafe -paris") == found("berlin") == 0
        for hostile in ['"unclosed', "a OR OR -", "(*) & | ! :*", "'; DROP TABLE documents; --"]:
            assert found(hostile) == 0
        conn.execute("SET enable_seqscan = off")  # one row: the planner would rather scan
        plan = "\n".join(row[0] for row in conn.execute(
            "EXPLAIN SELECT num FROM documents WHERE search @@ "
            "websearch_to_tsquery('annotator', 'paris')"))
        assert "Bitmap Index Scan on documents_search" in plan


def test_an_upgraded_server_keeps_its_search_vectors_and_their_trigger_follows(pg_url,
                                                                            monkeypatch):
    """Migration 18 turns the generated vectors into a column its trigger keeps: the vectors
    of documents already there stay, and a changed title changes them."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:16])
        migrations.migrate(conn, "here")
        _document(conn)
        monkeypatch.undo()
        assert migrations.migrate(conn, "here") == [17, 18]

        def found(query: str) -> int:
            return conn.execute("SELECT count(*) FROM documents WHERE search @@ "
                                "to_tsquery('annotator', %s)", (query,)).fetchone()[0]

        assert found("creme & cafe") == 1
        conn.execute("UPDATE documents SET title = 'Harbour'")
        assert (found("creme"), found("harbour & cafe")) == (0, 1)


def test_a_wrong_url_is_one_sentence(capsys):
    assert "is not a valid PostgreSQL URL (invalid URI query parameter" in _opening_error(
        "postgresql://localhost/news?colour=blue", capsys)
    assert "the port 'abc' is not a number" in _opening_error(
        "postgresql://ana@localhost:abc/news", capsys)


def test_a_password_in_the_url_is_refused_and_never_shown(capsys):
    for url in (f"postgresql://ana:{SECRET}@localhost/news",
                f"postgresql://ana@localhost/news?sslmode=prefer&password={SECRET}"):
        assert "the URL holds a password" in _opening_error(url, capsys)


def test_a_server_that_is_down(capsys):
    port = _free_port()
    message = _opening_error(f"postgresql://ana@127.0.0.1:{port}/news", capsys)
    assert message == (f"postgresql://ana@127.0.0.1:{port}/news cannot be reached: no "
                       f"PostgreSQL server answers at 127.0.0.1:{port}; start it, or check "
                       "the host and port")


def test_an_unknown_host(capsys):
    assert "the host of nowhere.invalid:5432 is unknown" in _opening_error(
        "postgresql://ana@nowhere.invalid/news", capsys)


def test_a_wrong_or_missing_password(pg_url, monkeypatch, capsys):
    monkeypatch.setenv("PGPASSWORD", SECRET)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    assert _opening_error(pg_url, capsys).endswith(
        "refused access: the password of postgres is wrong, or there is no such user; check "
        "PGPASSWORD or ~/.pgpass")
    monkeypatch.delenv("PGPASSWORD")
    assert _opening_error(pg_url, capsys).endswith(
        "refused access: the server asks for postgres's password; give it by PGPASSWORD or "
        "~/.pgpass")
    with pytest.raises(StoreAccessDenied):
        Store(pg_url)


def test_a_database_that_does_not_exist(pg_url, capsys):
    assert _opening_error(pg_url + "_missing", capsys).endswith(
        "does not exist: the server has no database '" + pg_url.rsplit("/", 1)[1] +
        "_missing'; create it first (createdb)")


def test_a_database_of_another_program_is_not_a_project(pg_url, capsys):
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(NotAProject):
        Store(pg_url)
    assert "is not an Annotator project (the database holds tables of another program); " \
           "name an empty database" in _opening_error(pg_url, capsys)
    with pytest.raises(NotAProject):
        init(Location.parse(pg_url))
    with psycopg.connect(pg_url) as conn:  # nothing was written
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                            ).fetchone()[0] == 1


def test_a_project_of_a_newer_version_is_refused(pg_url, capsys):
    init(Location.parse(pg_url))
    newer = migrations.LATEST + 1
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO migrations VALUES (%s, 'future', 'now')", (newer,))
    with pytest.raises(StoreVersionError):
        init(Location.parse(pg_url))
    assert f"written by a newer Annotator (project version {newer}" in _opening_error(
        pg_url, capsys)


def test_an_empty_database_is_no_project_until_the_team_is_set_up(pg_url, capsys):
    assert _opening_error(pg_url, capsys) == (
        f"{pg_url} is not an Annotator project (the database is empty); an admin sets a "
        "project up there with `annotator team init`")
    init(Location.parse(pg_url))
    assert main(["import", str(SEEDS), "--db", pg_url]) == 0
    assert main(["stats", "--json", "--db", pg_url]) == 0
    assert '"documents": 5' in capsys.readouterr().out


def test_a_lost_connection_is_unreachable(pg_url, pg_server):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        pid = conn.info.backend_pid
        with pg_server.connect() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreUnreachable, match="the connection to the server was lost"), \
                translated("here"):
            conn.execute("SELECT 1")


def test_users_of_project_files_never_import_psycopg(db_path):
    """psycopg's import costs ~0.3 s: the command line and a file project do without it."""
    code = ("import sys\n"
            "from annotator.cli import build_parser\n"
            "from annotator.core.store import Store\n"
            "build_parser()\n"
            f"Store({str(db_path)!r}).close()\n"
            "print(sorted(n for n in sys.modules if n.startswith('psycopg')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
