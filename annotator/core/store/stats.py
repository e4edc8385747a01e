"""Counts over a project: what `annotator stats` prints and the GUI's status bar reads."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from annotator.core.store.annotation_sets import GOLD
from annotator.core.store.suggestions import Suggestions

# Per annotator, over included documents: assigned, done (wherever), remaining (assigned and
# still todo or in progress: what next-to-do walks).
_WORK = """
SELECT p.annotator,
    (SELECT count(*) FROM assignments a JOIN documents d ON d.id = a.doc_id
     WHERE a.annotator = p.annotator AND d.curation = 'included'),
    (SELECT count(*) FROM annotation_sets s JOIN documents d ON d.id = s.doc_id
     WHERE s.annotator = p.annotator AND s.status = 'done' AND d.curation = 'included'),
    (SELECT count(*) FROM assignments a JOIN documents d ON d.id = a.doc_id
     LEFT JOIN annotation_sets s ON s.doc_id = a.doc_id AND s.annotator = a.annotator
     WHERE a.annotator = p.annotator AND d.curation = 'included'
       AND coalesce(s.status, 'todo') IN ('todo', 'in_progress'))
FROM (SELECT annotator FROM assignments UNION
      SELECT annotator FROM annotation_sets WHERE annotator <> ?) p
ORDER BY p.annotator"""
# Per annotator and session: its first and last event, and documents done minus undone.
_SESSIONS = """
SELECT annotator, min(ts), max(ts),
    sum(CASE action WHEN 'status.done' THEN 1 WHEN 'status.done.undo' THEN -1 ELSE 0 END)
FROM events WHERE session_id IS NOT NULL GROUP BY annotator, session_id"""


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
            "annotators": self.annotators(),
        }

    def annotators(self) -> dict[str, dict[str, Any]]:
        """Each person's assigned, done and remaining documents, and their pace: documents
        finished per hour of their sessions in the event log (a session lasting from its
        first event to its last), None before any time was logged."""
        out = {name: {"assigned": assigned, "done": done, "remaining": remaining, "pace": None}
               for name, assigned, done, remaining in self._conn.execute(_WORK, (GOLD,))}
        worked: dict[str, list[float]] = {}
        for name, first, last, done in self._conn.execute(_SESSIONS):
            span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
            totals = worked.setdefault(name, [0.0, 0.0])
            totals[0] += done
            totals[1] += span.total_seconds() / 3600
        for name, (done, hours) in worked.items():
            if name in out and hours > 0:
                out[name]["pace"] = round(max(done, 0) / hours, 2)
        return out
