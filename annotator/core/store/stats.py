"""Counts over a project: what `annotator stats` prints and the GUI's status bar reads."""

from __future__ import annotations

import sqlite3
from typing import Any

from annotator.core.store.suggestions import Suggestions


class Stats:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def summary(self) -> dict[str, Any]:
        conn = self._conn
        sets: dict[str, dict[str, int]] = {}
        for annotator, status, n in conn.execute(
                "SELECT annotator, status, count(*) FROM annotation_sets "
                "GROUP BY annotator, status ORDER BY annotator, status"):
            sets.setdefault(annotator, {})[status] = n
        spans: dict[str, dict[str, dict[str, int]]] = {}
        for layer, label, state, n in conn.execute(
                "SELECT layer, label, state, count(*) FROM spans "
                "GROUP BY layer, label, state ORDER BY layer, label, state"):
            spans.setdefault(layer, {}).setdefault(label, {})[state] = n
        return {
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "excluded_documents": conn.execute(
                "SELECT count(*) FROM documents WHERE curation = 'excluded'").fetchone()[0],
            "annotation_sets": sets,
            "spans": spans,
            "claims": conn.execute("SELECT count(*) FROM claims").fetchone()[0],
            "events": conn.execute("SELECT count(*) FROM events").fetchone()[0],
            "suggestions": Suggestions(conn).label_counts(),
        }
