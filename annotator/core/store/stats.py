"""Counts over a project: what `annotator stats` prints, the GUI's status bar and the
dashboard (`core.curate.dashboard`) read."""

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
# Included documents by the furthest status any annotator has taken them to (ranked here;
# a document without a set is todo, counted by the caller as the rest). The sets are read
# and the few excluded documents left out, not every document joined: the cost follows the
# work, not the corpus (docs/benchmarks.md, "Dashboard").
STATUS_RANK = ("todo", "skipped", "flagged", "in_progress", "done")
_STATUS = """
SELECT best, count(*) FROM (
    SELECT s.doc_id,
           max(CASE s.status WHEN 'done' THEN 4 WHEN 'in_progress' THEN 3
                             WHEN 'flagged' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END) AS best
    FROM annotation_sets s GROUP BY s.doc_id) ranked
WHERE ranked.doc_id NOT IN (SELECT id FROM documents WHERE curation = 'excluded')
GROUP BY best"""
# Claims kept (their content accepted) by type. CROSS JOIN keeps SQLite reading the claims
# and looking each content span up, not scanning every span (a no-op for PostgreSQL).
_CLAIM_TYPES = """
SELECT c.type, count(*) FROM claims c CROSS JOIN spans s
WHERE s.id = c.content_span_id AND s.state = 'accepted' GROUP BY c.type ORDER BY c.type"""


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
        for name, first, last, done in self.sessions():
            totals = worked.setdefault(name, [0.0, 0.0])
            totals[0] += done
            totals[1] += (last - first).total_seconds() / 3600
        for name, (done, hours) in worked.items():
            if name in out and hours > 0:
                out[name]["pace"] = round(max(done, 0) / hours, 2)
        return out

    def sessions(self) -> list[tuple[str, datetime, datetime, int]]:
        """Each annotator's sessions in the event log: (annotator, first event, last event,
        documents done minus undone)."""
        return [(name, datetime.fromisoformat(first), datetime.fromisoformat(last), done)
                for name, first, last, done in self._conn.execute(_SESSIONS)]

    def documents_by_status(self) -> dict[str, int]:
        """Included documents by the furthest status any annotator has taken them to: done,
        in progress, flagged, skipped, else todo."""
        included = self._conn.execute(
            "SELECT count(*) FROM documents WHERE curation = 'included'").fetchone()[0]
        out = dict.fromkeys(STATUS_RANK, 0)
        for rank, n in self._conn.execute(_STATUS):
            out[STATUS_RANK[rank]] += n
        out["todo"] += included - sum(out.values())
        return out

    def documents_by_curation(self) -> tuple[dict[str, int], dict[str, int]]:
        """Documents included and excluded, and the excluded by reason ("" when none)."""
        curation = {"included": 0, "excluded": 0}
        curation.update(self._conn.execute(
            "SELECT curation, count(*) FROM documents GROUP BY curation").fetchall())
        reasons = dict(self._conn.execute(
            "SELECT coalesce(exclude_reason, ''), count(*) FROM documents "
            "WHERE curation = 'excluded' GROUP BY 1 ORDER BY 1").fetchall())
        return curation, reasons

    def accepted_entities(self) -> dict[str, int]:
        """Accepted entity spans by label, over every annotation set: summed from the corpus
        memory, which the spans' triggers keep counted (migration 0008), instead of reading
        every accepted span (a few hundred rows, not hundreds of thousands)."""
        return dict(self._conn.execute(
            "SELECT label, sum(accepted) FROM entity_memory GROUP BY label "
            "HAVING sum(accepted) > 0 ORDER BY label").fetchall())

    def claim_types(self) -> dict[str, int]:
        """Claims whose content is accepted, by type, over every annotation set."""
        return dict(self._conn.execute(_CLAIM_TYPES).fetchall())
