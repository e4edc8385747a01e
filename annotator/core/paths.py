"""Where things live: the default project file and the resources bundled with the app."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "annotator"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_db_path() -> str | Path:
    """`$ANNOTATOR_DB`, else ``project.db`` in the user's data directory. The variable is
    kept as written: a ``postgresql://`` URL made a `Path` loses a slash and becomes a file."""
    override = os.environ.get("ANNOTATOR_DB")
    if override:
        return override
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "project.db"


def _resource_dir(name: str) -> Path:
    """A top-level folder of the checkout (editable install) or its copy inside the wheel."""
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found next to the annotator package")


def default_schema_path() -> Path:
    return _resource_dir("schemas") / "news.json"


def seeds_dir() -> Path:
    return _resource_dir("seeds")
