"""Import and export on a PostgreSQL server: `annotator import` of the 10,000-article
annotated corpus and `annotator export` of it, as a user runs the commands against a team's
project on this machine (a throwaway cluster on 127.0.0.1, `benchmarks.pgserver`).

The import is compared with a bare psycopg ``COPY`` of the same rows (documents, one set per
article, its spans) into a project of the same schema, in one transaction: what the server
itself costs (the full-text vector and index, the span triggers), with no parsing, checks or
planning. Each round imports into a fresh project copied from one made by `team init`.
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
from psycopg import sql

from annotator.core.identity import doc_id_for
from annotator.core.store import Location
from annotator.core.store.postgres.team import init
from benchmarks._report import table, verdict, write_section
from benchmarks.corpus import articles, entities
from benchmarks.export_speed import ROOT, _cpu, _env
from benchmarks.import_speed import _annotated
from benchmarks.pgserver import SUPERUSER, Server, throwaway_cluster

NOW = "2026-01-01T00:00:00.000+00:00"
HISTORY = (
    "Before (2026-12-04, same machine under a load of 6): the import command took 24-25 s "
    "with every span checked and counted into the corpus memory by row triggers (a function "
    "call per span, each unpacking the document's compressed text), and the bare COPY 69.6 s "
    "(its spans counted by that trigger). Migration 12 makes both statement triggers over the "
    "inserted rows, and an import counts its memory once at its end, unpacking each text once "
    "(1.9 s -> 0.7 s). Those figures were taken on the tests' cluster (fsync, commit flushes "
    "and full-page writes off); from 2026-12-05 the cluster is set as Debian leaves it. "
    "Durability costs the import nothing measurable: the import command on a durable and "
    "on a non-durable cluster, two rounds each at load 0.3-0.6, best 13.54 s against "
    "13.50 s (13.7 and 13.9 CPU seconds).\n\n"
    "2026-12-05, what changed, CPU seconds (client + server) of the old and new code in one "
    "session, interleaved, best of 2-3 rounds, load average 3.5-12.7 (the wall times of "
    "that session say only how busy the machine was): warm export 3.79 -> 3.38 s, rows "
    "read in binary (the cached tokens no longer travel as hex); import 15.55 -> 15.08 s, "
    "texts stored with LZ4 instead of pglz (migration 13; a COPY of the documents alone "
    "6.7 -> 6.1 s of server CPU) and the sets made, updated and deferred in one statement "
    "a batch instead of one a set (~30,000 statements fewer).\n\n"
    "Where the import's server time goes (statement log and backend CPU, the new code): "
    "the documents' COPY ~6 s of CPU, of which the full-text vector (a generated column, "
    "PostgreSQL's parser over 46 MB of text) is 4.5-5.0 s: the same COPY without the "
    "column takes 0.9-1.0 s; its GIN index ~0.5 s; the spans' COPY ~2 s (a foreign-key "
    "check and four index entries a span); the corpus memory ~0.7 s; the span ids and the "
    "sets ~0.5 s. Measured and dropped: the 'simple' configuration instead of ours "
    "(unaccent + simple) is no quicker (5.8 s against 4.2 s over the 10,000 texts, one run "
    "each under load: the parser, not the dictionaries, is the cost; 'english' stems: "
    "7.0 s); filling the vector by one UPDATE after the COPY costs "
    "more (0.9 + 5.6 s, every row written twice); building the GIN index after the COPY "
    "saves nothing (5.1 + 0.7 s against 5.7 s); a larger GIN pending list did not help; "
    "COPY in binary saves 0.15 s of the documents' 1 s without the vector (client 0.14 -> "
    "0.06 s, server 0.85 -> 0.80 s), not worth the column types it needs. "
    "So the 6 s target cannot be met while the import builds the search vector in its "
    "transaction: that alone is ~5 s of the server's CPU here. What would meet it changes "
    "what search does: filling the vectors after the import commits (documents are "
    "unsearchable meanwhile), or lexemes without positions (`array_to_tsvector` over the "
    "lower-cased words split at spaces: 2.0 s against 8.5 s for the parser in one run, but "
    "ranking loses word counts and the title's weight, and punctuation needs handling). A warm export reads the same rows as on a file; the server adds ~1.2 s of "
    "query and transfer to the ~3 s of building, hashing and writing 520 MB of JSONL."
    '\n\n2026-12-05 afternoon, the three ways of issue 10 measured (a durable throwaway clu'
    'ster, the 10,000 texts, load average 1.6-3.2; nothing changed in the code): the impo'
    'rt command took 17.4 s, 3.9 s of client CPU and 13.3 s of server CPU, one after the '
    'other (the importer parses a batch, then the server stores it: the two never overlap'
    "); by the statement log the documents' COPY is 9.6 s and the spans' 3.5 s. The docum"
    "ents' COPY alone: with the generated vector 7.2-9.0 s of server CPU, without it 0.6-"
    '0.7 s. (a) A second connection computing the vectors of half of each batch into an u'
    'nlogged table, taken by a BEFORE INSERT trigger (which computes the rest itself): 10'
    '.3-11.3 s wall against 9.0-13.2 s for the generated column, at a load of 2.4-3.2: no'
    ' gain on a machine whose second core is busy, and more CPU (the texts sent twice). ('
    "b) Vectors computed client-side and sent as tsvector text: the server's share falls "
    'to 6.0-6.2 s (against 7.5-8.6 s; parsing 59-91 MB of tsvector text and the GIN index'
    ' are most of it), but Python spends 6.5 s (lexemes grouped with positions, 59 MB) or'
    ' 10 s (one entry a word, merged by the server, 91 MB) of CPU on it: more CPU in all '
    "than the server's parser, and a win only from a worker process running beside a serv"
    'er that is idle meanwhile. (c) was not tried. None of them brings 17 s to 6 s: with '
    "the vector gone entirely the command would still be ~10 s, as the client's parsing a"
    "nd the server's storing run in turn; what remains is to overlap them (the importer h"
    'anding a batch to the store while it parses the next), then (a) or (b) for the vecto'
    'r.'
    ' 2026-12-05 evening: the importer now parses ahead on a thread of its own (see '
    '"Import"); on the server, old and new code in turn, 2 rounds each at load 0.5-0.8: 21.3 '
    'and 20.0 s against 19.9 and 20.5 s, client 4.6-5.0 against 4.7-4.9 CPU s, server '
    "15.7-16.6 against 16.0-17.1: no change, as the wall time is the client's and the "
    "server's CPU added up. Parsing was the smaller part of the client's work: planning, and "
    "the rows formatted for `COPY`, still run while the server waits, and the server's own 16"
    ' s (7-9 of them the search vector) is more than the target by itself.\n\n'
    '2026-12-06, on a quiet machine (load 0.0-0.7): the same import took 10.0-10.1 s, in-pr'
    "ocess 9.9-10.1 s with the server's CPU 8.5-8.6 s, the storing thread's 1.1-1.2 s and t"
    "he reading thread's ~1 s: the 15-21 s before were the busy machine. The server is now "
    'the wall time, and ~4.5 s of its 8.6 is the search vector, so the 6 s target stands or'
    " falls with the vector in the import's transaction. The warm export, with the helper t"
    'hreads of "JSONL export", old and new code in turn as commands, 3 rounds: 2.74-2.80 s '
    'before, 2.56-2.63 s after. Later on 2026-12-06, quiet machine: the import planned in a '
    'process of its own and its corpus memory counted by the planner (see "Import"): the '
    "command 10.0 -> 8.8 s, the server's CPU 8.6 -> 7.8 s (the recount of the memory, ~0.7 s "
    "of it, is gone), the client's storing thread 0.6 CPU s; the bare COPY of the same rows "
    "takes 7.85 s. The search vector, ~4.5 s of the server's CPU, still decides the 6 s "
    "target. (Until this run the warm export's later rounds exported projects with no cached "
    "tokens: only the first round's figure was warm.) Measured and not taken, as throwaway "
    "code: the search vectors computed by a second connection into an unlogged table, a batch "
    "ahead, and taken by a BEFORE INSERT trigger instead of the generated column (the vectors "
    "the same for all 10,000 documents): 6.83-6.85 s, and 7.0-7.3 s with the second "
    "connection computing 75-85% of each batch and the import's the rest. The two backends, "
    "the planning process and the client together need ~10 CPU s, which two cores cannot fit "
    "in 6 s.\n\n"
    "2026-12-06, later (load 0.6-0.9): that design taken, with the CPU it lacked cut first. "
    "The server's CPU by the statement log, one in-process run each: span ids from a sequence "
    "named once a statement instead of once an id, 0.38 -> 0.08 s; the statement triggers "
    "over a bulk write's spans working set by set (migration 17), the spans' COPY 1.62 -> "
    "1.28 s; then the vectors computed a batch ahead on a second connection (migration 18), "
    "its texts sent as binary arrays (as text arrays they cost 0.5 s of parsing on the "
    "server and 0.3 s of escaping in the client), the vectors kept uncompressed in the "
    "unlogged table and in LZ4 in the documents: the documents' COPY 5.4 -> 1.6 s, the "
    "second connection 4.1 s beside it; in process 8.1 -> 5.6 s. The command, three runs "
    "of this benchmark as the host's speed changed (~10%): best 5.74, 5.86 and 5.53 s "
    "(medians 5.76, 5.92, 5.57), against 8.79 s; its ~10 CPU s keep both cores ~90% busy "
    "(the second connection computes vectors all through the run). The bare COPY "
    "of the same rows computes every vector in the import's transaction, as the command did "
    "before.")


def _command(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", *args], cwd=ROOT, env=_env(),
                   check=True, capture_output=True)
    return time.perf_counter() - started


def _cpu_of(server: Server, run, *args) -> tuple[float, float]:
    """(wall seconds as `run` reports them, CPU seconds of client and server meanwhile)."""
    before = _cpu() + server.cpu_seconds()
    wall = run(*args)
    time.sleep(0.5)  # the backend has gone with its connection: let the server reap it
    return wall, _cpu() + server.cpu_seconds() - before


def _fresh(server: Server, name: str, template: str) -> str:
    with server.connect() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)))
    return server.url(name)


def _bare_copy(server: Server, database: str, records: list[dict]) -> float:
    """The same rows by COPY, in one transaction: documents, a done set each, its spans."""
    documents, sets, spans = [], [], []
    for number, record in enumerate(records, 1):
        text, meta = record["text"], record["meta"]
        doc_id = doc_id_for(text)
        documents.append((doc_id, text, len(text), meta["title"], meta["source"], meta["date"],
                          orjson.dumps(meta).decode(), NOW))
        sets.append((number, doc_id, "bench", "done", NOW, NOW))
        spans += [(number, start, end, "entity", label, "import:prodigy", "accepted", "{}",
                   NOW, NOW) for start, end, label in entities(text)]
    tables = (("documents", ("id", "text", "n_chars", "title", "source", "date", "meta",
                             "imported_at"), documents),
              ("annotation_sets", ("id", "doc_id", "annotator", "status", "created_at",
                                   "updated_at"), sets),
              ("spans", ("set_id", "start", "end", "layer", "label", "origin", "state",
                         "attributes", "created_at", "updated_at"), spans))
    with server.connect(database) as conn:
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cursor:
            for name, columns, rows in tables:
                names = sql.SQL(", ").join(map(sql.Identifier, columns))
                with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                        sql.Identifier(name), names)) as copy:
                    for row in rows:
                        copy.write_row(row)
        return time.perf_counter() - started


def main(count: int = 10_000, rounds: int = 3) -> None:
    records = list(articles(count))
    n_spans = sum(len(entities(r["text"])) for r in records)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, throwaway_cluster(durable=True) as server:
        tmp = Path(tmp)
        passfile = tmp / "pgpass"
        passfile.write_text(f"127.0.0.1:{server.port}:*:{SUPERUSER}:{server.password}\n")
        passfile.chmod(0o600)
        os.environ["PGPASSFILE"] = str(passfile)
        with server.connect() as admin:
            admin.execute("CREATE DATABASE bench_template")
        init(Location.parse(server.url("bench_template")))
        source = tmp / "annotated.jsonl"
        source.write_bytes(b"".join(orjson.dumps(_annotated(r)) + b"\n" for r in records))
        sides: dict[str, list[tuple[float, float]]] = {
            "import": [], "bare": [], "cold": [], "warm": []}
        for run in range(rounds):  # interleaved, so machine load weighs on every side
            url = _fresh(server, f"import_{run}", "bench_template")
            sides["import"].append(_cpu_of(server, _command, "--db", url, "import", "--quiet",
                                           str(source)))
            _fresh(server, f"bare_{run}", "bench_template")
            sides["bare"].append(_cpu_of(server, _bare_copy, server, f"bare_{run}", records))
            if run == 0:  # the first export fills the token cache that later ones read
                warm_url = url
                sides["cold"].append(_cpu_of(server, _command, "--db", url, "export",
                                             "--annotator", "bench", "--out", str(tmp / "cold")))
            sides["warm"].append(_cpu_of(server, _command, "--db", warm_url, "export",
                                         "--annotator", "bench", "--out", str(tmp / f"warm{run}")))
    best = {name: min(results) for name, results in sides.items()}
    imports, bare, warms = (best[name][0] for name in ("import", "bare", "warm"))
    labels = {
        "import": (f"`annotator import` command, with annotations ({n_spans:,} entity spans)",
                   "≤ 6 s"),
        "bare": ("bare psycopg COPY of the same rows (documents, sets, spans), same schema", ""),
        "cold": ("cold export, `annotator export` command (tokenizes, fills the cache)", ""),
        "warm": ("warm export, `annotator export` command (tokens cached)", "≤ 3 s")}
    rows = [[labels[name][0], f"{best[name][0]:.2f}", f"{best[name][1]:.2f}",
             f"{statistics.median(w for w, _ in results):.2f}", labels[name][1],
             f"{count / best[name][0]:,.0f}"] for name, results in sides.items()]
    body = (f"{count:,} articles (the corpus of \"Import\": ~600 words, 15 accepted entities "
            f"each, one annotator's finished work) in a team project on a PostgreSQL "
            f"{_server_version()} server on this machine (127.0.0.1, settings as Debian "
            f"leaves them: every commit flushed); {rounds} rounds, interleaved; load average "
            f"{load:.1f} at the start (other jobs share this machine: the best round is the "
            "fair figure):\n\n"
            + table(["what", "seconds (best)", "CPU seconds, client and server (that round)",
                     "median", "target", "articles/s"], rows)
            + f"\n\nImport as a user runs it: {imports:.2f} s, target ≤ 6 s "
              f"{verdict(imports <= 6)}; the bare COPY of the same rows takes "
              f"{bare:.2f} s ({bare / imports:.0%} of the command's time). "
              f"Warm export: {warms:.2f} s, target ≤ 3 s {verdict(warms <= 3)}. "
              f"{HISTORY}\n")
    write_section("import_export_server", "Import and export on PostgreSQL", body)
    print(body)


def _server_version() -> str:
    done = subprocess.run(["pg_config", "--version"], capture_output=True, text=True)
    return done.stdout.split()[1] if done.returncode == 0 else "(version unknown)"


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
