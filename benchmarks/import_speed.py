"""Import speed: `annotator import` of 10,000 ~600-word articles vs bare sqlite3 inserts.

Both sides store the same rows in the same run. The bare side gets rows already parsed and
hashed and runs one `executemany` in one transaction: into a project file with our schema
(full-text index triggers included: the like-for-like baseline, which the target is measured
against) and into a plain table with no index (the floor).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import orjson

from annotator.core.identity import doc_id_for
from annotator.core.importers import import_paths
from annotator.core.project import open_project
from annotator.core.store.connection import connect
from annotator.core.store.migrations import migrate
from benchmarks._report import table, write_section
from benchmarks.corpus import articles

INSERT = ("INSERT INTO documents (id, text, n_chars, title, source, date, meta, imported_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, 'now')")


def _rows(records: list[dict]) -> list[tuple]:
    return [(doc_id_for(r["text"]), r["text"], len(r["text"]), r["meta"]["title"],
             r["meta"]["source"], r["meta"]["date"], orjson.dumps(r["meta"]).decode())
            for r in records]


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


def main(count: int = 10_000) -> None:
    records = list(articles(count))
    words = sum(len(r["text"].split()) for r in records) / count
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "corpus.jsonl"
        source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        mib = source.stat().st_size / 2**20
        rows = _rows(records)
        results = {}
        for run in range(3):  # best of three for every side, interleaved
            for step, (name, measure) in enumerate((
                    ("annotator import (parse, hash, check, insert)",
                     lambda p: _ours(p, source)),
                    ("bare sqlite3, same schema (FTS triggers)",
                     lambda p: _bare(p, rows, with_schema=True)),
                    ("bare sqlite3, plain table", lambda p: _bare(p, rows, with_schema=False)))):
                seconds = measure(tmp / f"{run}-{step}.db")
                results[name] = min(results.get(name, seconds), seconds)
    ours = results["annotator import (parse, hash, check, insert)"]
    baseline = results["bare sqlite3, same schema (FTS triggers)"]
    body = (f"{count:,} articles of ~{words:.0f} words ({mib:.0f} MiB "
            "of JSONL), best of 3 runs each, same run:\n\n"
            + table(["what", "seconds", "articles/s"],
                    [[name, f"{s:.2f}", f"{count / s:,.0f}"] for name, s in results.items()])
            + f"\n\nImport speed relative to the bare insert into the same schema: "
              f"**{baseline / ours:.0%}** (target ≥ 50%). Relative to a plain table without "
              f"the full-text index: {results['bare sqlite3, plain table'] / ours:.0%}.\n")
    write_section("import_speed", "Import", body)
    print(body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
