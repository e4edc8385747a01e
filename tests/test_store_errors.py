"""What cannot be used as a project is refused with one sentence and left untouched; a
read-only project can still be read and exported; a full disk or a long lock undoes the
action and says so. The command line and the app show the sentence, never a traceback."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import orjson
import pytest

from annotator.cli import main
from annotator.core.importers import import_paths
from annotator.core.project import open_project
from annotator.core.store import (NotAProject, Store, StoreBusy, StoreDamaged, StoreError,
                                  StoreFull, StoreReadOnly, StoreVersionError, migrations)
from annotator.core.store.connection import connect
from conftest import ROOT, SEEDS
from locks import impatient, locked_by_another
from test_export_jsonl import annotate


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _project_bytes(tmp_path: Path) -> bytes:
    """A real project file with the seed articles, closed (its journal folded in)."""
    with open_project(tmp_path / "source.db") as store:
        import_paths(store, [SEEDS], annotator="tester")
    return (tmp_path / "source.db").read_bytes()


def _folder(path: Path) -> None:
    path.mkdir()


def _random(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40)


def _truncated(path: Path) -> None:
    data = _project_bytes(path.parent)
    path.write_bytes(data[:len(data) // 2])


def _another_programs(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    path.write_bytes(_project_bytes(path.parent))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()


BAD = {  # how to make it, what the store raises, what the sentence says
    "folder": (_folder, NotAProject, "is not an Annotator project (it is a folder)"),
    "random": (_random, NotAProject, "is not an Annotator project (it is not an SQLite"),
    "truncated": (_truncated, StoreDamaged, "is damaged (database disk image is malformed)"),
    "another program's": (_another_programs, NotAProject, "SQLite database of another program"),
    "newer": (_newer, StoreVersionError, "was written by a newer Annotator (project version"),
}


@pytest.fixture(params=list(BAD))
def bad(request, tmp_path):
    make, error, sentence = BAD[request.param]
    path = tmp_path / "x.db"
    make(path)
    before = None if path.is_dir() else _digest(path)
    yield path, error, sentence
    if before is not None:
        assert _digest(path) == before, "the file was changed"
    else:
        assert list(path.iterdir()) == []


@pytest.mark.parametrize("read_only", [False, True])
def test_what_is_not_a_usable_project_is_refused_untouched(bad, read_only):
    path, error, sentence = bad
    with pytest.raises(error) as refused:
        Store(path, read_only=read_only)
    assert str(refused.value).startswith(f"{path} ")
    assert sentence in str(refused.value)


@pytest.mark.parametrize("command", [["stats"], ["import", str(SEEDS)], ["export"]])
def test_the_command_line_says_one_sentence(bad, command, capsys, tmp_path):
    path, _, sentence = bad
    assert main([*command, "--db", str(path), "--annotator", "ana"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"annotator: error: {path} ")
    assert sentence in err[0]


def test_a_whole_command_prints_no_traceback(tmp_path):
    path = tmp_path / "notes.db"
    _another_programs(path)
    result = subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(path)],
                            capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert result.stderr == (f"annotator: error: {path} is not an Annotator project (it is an "
                             "SQLite database of another program); name a project file, or a "
                             "new file to start one\n")
    assert "Traceback" not in result.stderr


def test_an_empty_file_becomes_a_project(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store(path) as store:
        assert migrations.current_version(store.conn) == migrations.LATEST


def test_the_app_says_the_sentence_before_any_window(qapp, tmp_path, monkeypatch, capsys):
    from annotator.gui import app, main_window

    path = tmp_path / "notes.db"
    _another_programs(path)
    shown = []
    monkeypatch.setattr(app.QMessageBox, "critical",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    monkeypatch.setattr(main_window, "MainWindow",
                        lambda *a, **k: pytest.fail("no window for a file that is no project"))
    assert app.run_app(path, "ana") == 1
    assert len(shown) == 1 and shown[0].startswith(f"{path} is not an Annotator project")
    assert capsys.readouterr().err == f"annotator: error: {shown[0]}\n"


def test_a_long_lock_is_busy_and_changes_nothing(seeded):
    impatient(seeded)
    with locked_by_another(seeded):
        with pytest.raises(StoreBusy, match=f"^{re.escape(seeded.location.display)} is busy"):
            with seeded.transaction():
                seeded.events.append("ana", "never")
    assert seeded.events.list(action="never") == []


def _fill_up(store: Store) -> None:
    """SQLite's own size limit gives the disk-full error a full disk would."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")


def test_a_full_disk_undoes_the_action_and_the_project_goes_on(file_seeded, tmp_path):
    _fill_up(file_seeded)
    big = tmp_path / "big"
    big.mkdir()
    for i in range(20):
        (big / f"{i}.txt").write_text(f"Article {i}\n\n" + "Officials said so. " * 400)
    before = file_seeded.documents.count()
    with pytest.raises(StoreFull, match="could not be saved because the disk is full"):
        import_paths(file_seeded, [big], annotator="ana")
    assert file_seeded.documents.count() == before
    file_seeded.events.append("ana", "still works")  # no transaction was left open
    assert file_seeded.events.list(action="still works")


def test_a_full_disk_at_the_command_line(db_path, tmp_path, capsys, monkeypatch):
    from annotator.core import store as store_module

    open_project(db_path).close()
    writable = store_module.prepare_writes

    def prepare_then_fill(conn):
        writable(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(store_module, "prepare_writes", prepare_then_fill)
    assert main(["import", str(SEEDS), "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == (f"annotator: error: {db_path} could not be saved "
                                       "because the disk is full: the last change was undone, "
                                       "free some space and try again\n")
    monkeypatch.undo()
    with Store(db_path, read_only=True) as store:
        assert store.documents.count() == 0


def test_a_read_only_store_reads_and_refuses_writes(seeded):
    with Store(seeded.location, read_only=True) as reader:
        assert reader.read_only
        assert reader.documents.count() == 5
        with pytest.raises(StoreReadOnly,
                           match=f"^{re.escape(seeded.location.display)} cannot be changed"):
            with reader.transaction():
                reader.events.append("ana", "open")


def test_an_old_project_cannot_be_upgraded_read_only(db_path):
    conn = connect(db_path)
    migrations.migrate(conn, target=migrations.LATEST - 1)
    conn.close()
    before = _digest(db_path)
    with pytest.raises(StoreReadOnly, match="needs an upgrade by this Annotator"):
        Store(db_path, read_only=True)
    assert _digest(db_path) == before


def test_opening_read_only_what_does_not_exist(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


def _unprivileged(command: list[str]) -> list[str]:
    """Run as a user that file permissions apply to (root writes through chmod)."""
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]


@pytest.fixture
def read_only_project(file_seeded, db_path):
    """An annotated project, chmod 444 in a chmod 555 folder that others can reach."""
    annotate(file_seeded)
    file_seeded.close()
    base = Path(tempfile.mkdtemp(prefix="annotator-ro-"))
    base.chmod(0o777)  # the export goes beside the read-only folder
    folder = base / "project"
    folder.mkdir()
    project = folder / "project.db"
    shutil.copyfile(db_path, project)
    project.chmod(0o444)
    folder.chmod(0o555)
    yield project
    folder.chmod(0o755)
    shutil.rmtree(base)


def _annotator(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_unprivileged([sys.executable, "-m", "annotator", *args]),
                          capture_output=True, text=True, cwd=home,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home)})


def test_a_read_only_project_in_a_read_only_folder_exports(read_only_project):
    before = _digest(read_only_project)
    base = read_only_project.parent.parent
    out = base / "out"
    exported = _annotator("export", "--db", str(read_only_project), "--out", str(out),
                          home=base)
    assert exported.returncode == 0, exported.stderr
    records = [orjson.loads(line) for line in (out / "all.jsonl").read_bytes().splitlines()]
    assert len(records) == 5 and all(r["spans"] for r in records)
    stats = _annotator("stats", "--json", "--db", str(read_only_project), home=base)
    assert orjson.loads(stats.stdout)["documents"] == 5
    imported = _annotator("import", str(SEEDS), "--db", str(read_only_project), home=base)
    assert imported.returncode == 1
    assert imported.stderr == (f"annotator: error: {read_only_project} cannot be changed: the "
                               "file is read-only (exporting it still works)\n")
    assert _digest(read_only_project) == before
    assert sorted(p.name for p in read_only_project.parent.iterdir()) == ["project.db"]


def test_a_writable_file_in_a_read_only_folder_cannot_be_changed(read_only_project):
    folder = read_only_project.parent
    folder.chmod(0o755)
    read_only_project.chmod(0o666)
    folder.chmod(0o555)
    imported = _annotator("import", str(SEEDS), "--db", str(read_only_project),
                          home=folder.parent)
    assert imported.returncode == 1
    assert imported.stderr == (f"annotator: error: {read_only_project} cannot be changed: its "
                               f"folder {folder} is read-only, and the project's journal is "
                               "written beside it\n")


def test_a_file_nobody_may_read_is_named_not_opened(read_only_project):
    read_only_project.parent.chmod(0o755)
    read_only_project.chmod(0o000)
    stats = _annotator("stats", "--db", str(read_only_project),
                       home=read_only_project.parent.parent)
    assert stats.returncode == 1
    assert stats.stderr == (f"annotator: error: {read_only_project} cannot be read: this user "
                            "has no permission to read it\n")


def test_worker_threads_share_one_connection_each_without_checking_again(seeded, monkeypatch):
    assert seeded.for_thread() is seeded
    monkeypatch.setattr(migrations, "check", lambda conn: pytest.fail("checked again"))
    found = {}
    both_alive = threading.Barrier(2)  # a finished thread's id may be given to the next

    def work(name):
        first, again = seeded.for_thread(), seeded.for_thread()
        found[name] = (first, again, first.documents.count())
        both_alive.wait()
        if name == "b":  # a thread done with the project closes its own connection
            first.close()
            assert seeded.for_thread() is not first

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (a, a_again, a_count), (b, _, b_count) = found["a"], found["b"]
    assert a is a_again and a is not b and a.conn is not seeded.conn
    assert a_count == b_count == 5
    assert a.for_thread() is seeded
    assert b_count == 5 and b._owner is seeded
    seeded.close()
    with pytest.raises(StoreError):
        a.documents.count()


def test_a_second_connection_beside_writes_while_the_first_holds_a_snapshot(seeded,
                                                                            monkeypatch):
    monkeypatch.setattr(migrations, "check", lambda conn: pytest.fail("checked again"))
    doc_id = next(iter(seeded.documents.iter_all())).id
    with seeded.snapshot():
        assert seeded.tokens.count() == 0
        with seeded.beside() as side:
            assert side.conn is not seeded.conn
            with side.transaction():
                side.tokens.put_many("spacy-test/en", [(doc_id, b"row")])
        assert seeded.tokens.count() == 0  # the snapshot does not see it
    assert seeded.tokens.count() == 1
    with pytest.raises(StoreError):
        side.documents.count()  # closed on leaving


def test_an_error_while_reading_rows_is_the_stores_too(file_seeded):
    """SQLite may fail on a later row, after `execute` returned (a damaged page deep in the
    file); the snapshot translates that as well."""
    seen = []

    def fails_on_the_third_row(value):
        seen.append(value)
        if len(seen) == 3:
            raise ValueError("a page deep in the file")
        return value

    file_seeded.conn.create_function("third_fails", 1, fails_on_the_third_row)
    with pytest.raises(StoreError, match="user-defined function raised exception"):
        with file_seeded.snapshot() as conn:
            list(conn.execute("SELECT third_fails(num) FROM documents"))
    assert len(seen) == 3
    assert not file_seeded.conn.in_transaction
