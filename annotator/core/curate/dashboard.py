"""The figures of Project → Dashboard and of `annotator stats --json` (its "dashboard" key):
one function, so the app and the command never disagree.

Counts come from the store in one read snapshot (a few GROUP BYs, no per-document work, so
a project of 100,000 articles answers in well under a second: docs/benchmarks.md). Progress
over time is read from the event log's sessions: each session's documents done (minus
undone) count on the day it began, and a day's pace is those documents per hour of that
day's sessions; someone who never finished a document has no line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from annotator.core.store import Store


def figures(store: Store) -> dict[str, Any]:
    """Documents by status and curation, excluded by reason, accepted entity labels, claim
    types, and per annotator a row per working day: done that day, done so far, pace."""
    with store.snapshot():
        curation, reasons = store.stats.documents_by_curation()
        out = {
            "by_status": store.stats.documents_by_status(),
            "by_curation": curation,
            "excluded_by_reason": reasons,
            "entity_labels": store.stats.accepted_entities(),
            "claim_types": store.stats.claim_types(),
        }
        sessions = store.stats.sessions()
    out["progress"] = progress(sessions)
    return out


def progress(sessions) -> dict[str, list[dict[str, Any]]]:
    """Per annotator who has finished a document, by day: {"day", "done", "total", "pace"}
    (pace None when the day's sessions lasted no time). Sessions that finished nothing (the
    project's set-up, an import) still count their hours for people who finish work."""
    days: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
    for name, first, last, done in sessions:
        day = days[name][first.date().isoformat()]
        day[0] += done
        day[1] += (last - first).total_seconds() / 3600
    out = {}
    for name in sorted(n for n, by_day in days.items() if any(d[0] for d in by_day.values())):
        total, rows = 0, []
        for day, (done, hours) in sorted(days[name].items()):
            total += done
            rows.append({"day": day, "done": done, "total": total,
                         "pace": round(max(done, 0) / hours, 2) if hours > 0 else None})
        out[name] = rows
    return out
