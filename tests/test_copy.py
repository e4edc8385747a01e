"""`annotator copy SRC DST`: a whole project from a file to a server and back, every table
compared row by row; ids kept; a refused or cancelled copy leaves the destination as it was."""

from __future__ import annotations

import subprocess
import sys

import pytest
from project_rows import fill, rows

from annotator.core.jobs import Cancelled
from annotator.core.project import open_project
from annotator.core.store import Store, StoreError
from annotator.core.store.transfer import TABLES
from annotator.core.team.copy import copy_project


@pytest.fixture
def source(tmp_path) -> str:
    path = str(tmp_path / "source.db")
    with open_project(path) as store:
        fill(store)
    return path


def test_file_to_server_to_file_keeps_every_row(source, pg_project_url, tmp_path):
    original = rows(source)
    assert all(original[table][1] for table in (*TABLES, "entity_memory")), \
        "the fixture fills every table"

    to_server = copy_project(source, pg_project_url)
    assert rows(pg_project_url) == original
    assert to_server.rows["spans"] == len(original["spans"][1])

    back = tmp_path / "back.db"
    copy_project(pg_project_url, back)
    assert rows(back) == original


def test_server_continues_ids_after_a_copy(source, pg_project_url):
    copy_project(source, pg_project_url)
    with Store(pg_project_url) as server, server.transaction():
        largest = max(row[0] for batch in server.transfer.rows("spans", ["id"]) for row in batch)
        doc = next(server.documents.iter_all())
        target = server.sets.ensure(doc.id, "bob", None)
        added = server.spans.add(target.id, 0, 3, layer="entity", label="ORG",
                                 origin="human", state="accepted")
    assert added.id == largest + 1


def test_refuses_a_destination_that_holds_a_project(source, pg_project_url, tmp_path):
    copy_project(source, pg_project_url)
    before = rows(pg_project_url)
    with pytest.raises(StoreError, match="is not empty"):
        copy_project(source, pg_project_url)
    assert rows(pg_project_url) == before
    with pytest.raises(StoreError, match="already exists"):
        copy_project(pg_project_url, source)


def test_cancelled_copy_leaves_nothing(source, pg_project_url, tmp_path):
    def cancel_midway(done: int, total: int) -> None:
        if done > total // 2:
            raise Cancelled("cancelled")

    with pytest.raises(Cancelled):
        copy_project(source, pg_project_url, cancel_midway)
    with Store(pg_project_url) as server:
        assert [t for t in TABLES if server.transfer.count(t)] == []
    target = tmp_path / "new.db"
    with pytest.raises(Cancelled):
        copy_project(source, target, cancel_midway)
    assert list(tmp_path.glob("*new.db*")) == []


def test_copy_command(source, tmp_path):
    target = tmp_path / "copy.db"
    done = subprocess.run([sys.executable, "-m", "annotator", "copy", source, str(target)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "copied" in done.stdout and str(target) in done.stdout
    assert rows(target) == rows(source)
    again = subprocess.run([sys.executable, "-m", "annotator", "copy", source, str(target)],
                           capture_output=True, text=True, check=False)
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
