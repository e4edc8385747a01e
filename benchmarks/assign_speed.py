"""Handing out work: `annotator assign` over 10,000 ~600-word articles as a user runs it (the
first time, again with nothing new, after 1,000 more arrive), and what following the
assignment costs the list and next-to-do of the window.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from annotator.core.importers import import_paths
from annotator.core.project import open_project
from annotator.core.workflow import OPEN_STATUSES
from benchmarks._report import table, timed, write_section
from benchmarks.corpus import articles
from benchmarks.export_speed import ROOT

TEAM = "alice,bob,carol"


def _command(path: Path) -> float:
    """`annotator assign` as a user runs it: a new Python process, start-up included."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", "--db", str(path), "--annotator",
                    "bench", "assign", "--annotators", TEAM, "--overlap", "20"], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _import(path: Path, records: list[dict], name: str) -> None:
    source = path.parent / f"{name}.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    with open_project(path) as store:
        import_paths(store, [source], annotator="bench")


def _reads(path: Path, assigned: bool) -> tuple[float, float]:
    """Median ms of the list's ids and of next-to-do after the last document (it wraps
    around) for alice, following the assignment or not."""
    with open_project(path) as store:
        ids = timed(lambda: store.documents.ids_in_order(annotator="alice",
                                                         assigned=assigned), 7)
        last = store.documents.ids_in_order()[-1]
        nxt = timed(lambda: store.documents.next_with_status(
            "alice", OPEN_STATUSES, last, assigned=assigned), 7)
    return statistics.median(ids), statistics.median(nxt)


def main(count: int = 10_000, more: int = 1_000) -> None:
    corpus = list(articles(count + more))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "project.db"
        _import(path, corpus[:count], "first")
        first = _command(path)
        again = _command(path)
        _import(path, corpus[count:], "more")
        after = _command(path)
        plain, following = _reads(path, False), _reads(path, True)
    rows = [[f"`annotator assign` of {count:,} documents to 3 people, 20% overlap",
             f"{first:.2f}"],
            ["  the same again, nothing new", f"{again:.2f}"],
            [f"  after {more:,} more documents arrived", f"{after:.2f}"]]
    reads = [["every document", f"{plain[0]:.1f}", f"{plain[1]:.2f}"],
             ["alice's documents only", f"{following[0]:.1f}", f"{following[1]:.2f}"]]
    body = ("Whole commands, start-up included (seconds):\n\n"
            + table(["what", "seconds"], rows)
            + f"\n\nThe window's reads on the {count + more:,}-document project (median ms):"
              "\n\n" + table(["following", "list's ids", "next to do"], reads) + "\n")
    write_section("assign_speed", "Handing out work", body)
    print(body)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
