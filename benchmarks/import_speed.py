"""Import speed: `annotator import` of 10,000 ~600-word articles, plain and with annotations,
in-process and as a user runs the command, vs bare sqlite3 inserts of the plain articles.

The plain side is compared with a bare `executemany` of rows already parsed and hashed, in
one transaction: into a project file with our schema (full-text index triggers included: the
like-for-like baseline) and into a plain table with no index (the floor). The annotated
corpus is the same articles, each with 15 entities as one annotator's finished work
(Prodigy-style lines: `spans`, `answer: accept`, `_annotator_id`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from annotator.core.identity import doc_id_for
from annotator.core.importers import import_paths
from annotator.core.project import open_project
from annotator.core.store.connection import connect
from annotator.core.store.migrations import migrate
from benchmarks._report import table, verdict, write_section
from benchmarks.corpus import articles, entities
from benchmarks.export_speed import LABEL_STUDIO, ROOT, timed

HISTORY = (
    "Before (2026-12-04, same machine): 9.81 s, one INSERT per span, two triggers per span "
    "each reading the document's row, four statements per set; then 6.03 s with a batch of 500 "
    "records planned in Python and stored in a few statements, the bounds check reading an "
    "index (migration 12) and the run's corpus memory counted in one statement at its end. "
    "2026-12-05: the spans go in as one JSON array per statement that SQLite unpacks "
    "(`json_each`) instead of `executemany` binding twelve values a row from Python (150,000 "
    "spans alone: 1.75-1.83 CPU s before, 1.23-1.30 after), and start-up no longer imports "
    "sqlite-utils and the numpy it loads (~0.1 s). The command, before and after side by side, "
    "3 rounds interleaved under a load of 7: 7.07-7.24 CPU s before, 5.94-6.19 after (wall "
    "18.7-23.4 s against 14.9-18.8 s). Measured and dropped: a 64 MiB page cache for the run "
    "(5.16 against 5.20 CPU s, the WAL the same 98.5 MiB: nothing spilled), dropping the spans' "
    "indexes and triggers during the run (1.25 against 1.49 CPU s for the spans, before "
    "rebuilding them), FTS5 automerge off (0.90 against 1.10 CPU s for the documents, but it "
    "only leaves the merging to later writes), a larger FTS5 hash (within the noise), quicker "
    "offset checks in the readers (no difference), a forked process parsing the records (the "
    "parent spent 0.7 s unpickling 150,000 spans). 2026-12-05 evening: the files are parsed a "
    "few batches ahead on a thread of their own while the store writes (SQLite's steps release "
    "the GIL); the command, old and new code in turn, 4 rounds at load 0.4-1.0: 4.70-4.80 s "
    "before, 4.20-4.41 s after (the reading thread 0.95 CPU s, the storing thread 3.2: the rest "
    "of the wall time is the two threads' Python taking turns: only SQLite's steps run beside "
    "the parsing; a 0.5 ms switch interval did not change that). Measured and not taken: FTS5 `detail=column` "
    "(0.42-0.50 against 0.57-0.58 CPU s to index the 10,000 texts, 8 against 20 MB of index; "
    "a word FTS5 splits, `snake_case`, could no longer be searched as a phrase). "
    "Where the time went then, in-process, CPU seconds measured alone: parsing and checking the "
    "records ~1.1 (beside the storing), planning the sets and spans ~0.7, the documents with "
    "their full-text index ~1.0 (0.8 of it the index), the spans ~1.2, the corpus memory ~0.3, "
    "the commit writing a 98 MiB WAL and checkpointing it ~0.4, start-up 0.3. 2026-12-06, on a "
    "quiet machine (load 0.0-0.9), the command 3.87-3.94 s before: the records are read and "
    "planned in a process of their own (forked by the command, which runs one thread; spawned "
    "from the app), which hands each batch on as plain tuples and counts the corpus memory from "
    "the texts it holds (the recount in SQL read each span's document: 0.27 s), 2.99-3.07 s; "
    "the spans by multi-row INSERTs of 90 rows (with the GIL to itself, the storing thread "
    "binds values quicker than SQLite unpacks JSON), in-process 2.80-2.83 -> 2.71-2.74 s; the "
    "documents by INSERTs of 500 rows instead of 100 (FTS5 writes a segment at every "
    "statement's savepoint: 20 segments to merge instead of 100), 2.84-2.89 s; FTS5 merging "
    "16 segments at a time instead of 4 (migration 16), 2.58-2.69 s: on the same project with "
    "30 small imports after it, ten searches (prefixes, two words, a word in every text) take "
    "14.1 ms either way. Later the same day the host ran ~10% slower (the bare inserts below "
    "too; the same code took 2.98-3.01 s as a command): the spans' bound checked once per "
    "bulk insert by one statement (the furthest end of each set against its text), its "
    "trigger a row dropped and made again inside the transaction, as a server checks once a "
    "statement: the spans 1.09-1.11 -> 1.03-1.04 s in-process, the command 2.92-3.01 -> "
    "2.84-2.89 s. Where the time goes now: the storing thread ~1.9 CPU s of SQL (documents "
    "with their index ~0.7, spans ~0.8, the commit 0.2 wall, half of it the fsync) and ~0.2 "
    "of Python; it waits 0.17 s for the first batch (the fork, reading the file, 500 "
    "records); the planning process spends ~1.7 CPU s beside it; start-up 0.18 s. Measured "
    "and not taken: a smaller first batch, or batches doubling from 25 (the wait moves to the "
    "next batch); the bound's trigger dropped once for the whole import (0.05 s more, but the "
    "import, not the store, would own it); a larger page cache or memory for temporary "
    "files (no difference).")
INSERT = ("INSERT INTO documents (id, text, n_chars, title, source, date, meta, imported_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, 'now')")


def _rows(records: list[dict]) -> list[tuple]:
    return [(doc_id_for(r["text"]), r["text"], len(r["text"]), r["meta"]["title"],
             r["meta"]["source"], r["meta"]["date"], orjson.dumps(r["meta"]).decode())
            for r in records]


def _annotated(record: dict) -> dict:
    spans = [{"start": s, "end": e, "label": label} for s, e, label in entities(record["text"])]
    return {**record, "spans": spans, "answer": "accept", "_annotator_id": "bench"}


def _bare(path: Path, rows: list[tuple], *, with_schema: bool) -> float:
    conn = connect(path)
    if with_schema:
        migrate(conn)
    else:
        conn.execute("CREATE TABLE documents (num INTEGER PRIMARY KEY, id TEXT UNIQUE, text TEXT,"
                     " n_chars INTEGER, title TEXT, source TEXT, date TEXT, meta TEXT, "
                     "imported_at TEXT)")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(INSERT, rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _ours(path: Path, source: Path) -> float:
    store = open_project(path)
    started = time.perf_counter()
    report = import_paths(store, [source], annotator="bench")
    elapsed = time.perf_counter() - started
    if report.duplicates or report.problems:
        raise RuntimeError("the benchmark corpus must import cleanly")
    store.close()
    return elapsed


def _command(path: Path, source: Path) -> float:
    """`annotator import` as a user runs it: a new Python process, start-up included."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", "--db", str(path), "--annotator",
                    "bench", "import", "--quiet", str(source)], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main(count: int = 10_000, rounds: int = 3) -> None:
    records = list(articles(count))
    words = sum(len(r["text"].split()) for r in records) / count
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain, annotated = tmp / "corpus.jsonl", tmp / "annotated.jsonl"
        plain.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        annotated.write_bytes(b"".join(orjson.dumps(_annotated(r)) + b"\n" for r in records))
        mib = plain.stat().st_size / 2**20
        rows = _rows(records)
        n_spans = sum(len(entities(r["text"])) for r in records)
        sides: list[tuple[str, Callable[[Path], float]]] = [
            (f"`annotator import` command, with annotations ({n_spans:,} entity spans)",
             lambda p: _command(p, annotated)),
            ("  the same, `import_paths` in a process already running",
             lambda p: _ours(p, annotated)),
            ("`annotator import` command, articles only", lambda p: _command(p, plain)),
            ("  the same, `import_paths` in a process already running (parse, hash, check, "
             "insert)", lambda p: _ours(p, plain)),
            ("bare sqlite3, same schema (FTS triggers), articles only",
             lambda p: _bare(p, rows, with_schema=True)),
            ("bare sqlite3, plain table, articles only",
             lambda p: _bare(p, rows, with_schema=False))]
        results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in sides}
        for run in range(rounds):  # interleaved, so machine load weighs on every side
            for step, (name, measure) in enumerate(sides):
                results[name].append(timed(measure, tmp / f"{run}-{step}.db"))
    best = {name: min(times) for name, times in results.items()}  # (wall, CPU) of the best
    annotated, ours, baseline = (best[sides[i][0]][0] for i in (0, 3, 4))
    rows_out = [[name, f"{best[name][0]:.2f}", f"{best[name][1]:.2f}",
                 f"{statistics.median(w for w, _ in t):.2f}", f"{count / best[name][0]:,.0f}"]
                for name, t in results.items()]
    rows_out.insert(2, ["Label Studio 1.x, import of the annotated corpus (issue 9)",
                        f"{LABEL_STUDIO['import']:.2f}", "", "",
                        f"{count / LABEL_STUDIO['import']:,.0f}"])
    body = (f"{count:,} articles of ~{words:.0f} words ({mib:.0f} MiB of JSONL), {rounds} "
            f"rounds, every side once per round, interleaved; load average {load:.1f} at the "
            "start (other jobs share this machine: the best round is the fair figure, and CPU "
            "seconds, the command's included, stretch much less than wall time):\n\n"
            + table(["what", "seconds (best)", "CPU seconds (that round)", "median",
                     "articles/s"], rows_out)
            + f"\n\nWith annotations, as a user runs it: {annotated:.2f} s, target ≤ 3 s "
              f"{verdict(annotated <= 3)}. {HISTORY} Articles only, relative to the bare "
              f"insert into the same schema: **{baseline / ours:.0%}** (target ≥ 50%, "
              f"{verdict(baseline / ours >= 0.5)}).\n")
    write_section("import_speed", "Import", body)
    print(body)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
