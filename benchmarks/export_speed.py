"""JSONL export speed and memory: `annotator export` of 10,000 annotated articles vs a bare
`SELECT` + `orjson.dumps` of the same rows, and peak memory at 10,000 vs 50,000 articles.

The project is built through store calls (one done set per article, ~15 accepted entity
spans at capitalised words, the shape an annotated news corpus has). Tokens are derived data
cached in the project (`annotator.core.tokens.cached_tables`; the window caches a document's
tokens as it opens), so the export is timed twice: cold (the first export of a fresh copy of
a project whose documents were never opened, which tokenizes every article and fills the
cache) and warm (the cache is there). The bare side reads with two ordered `SELECT`s the rows
the export writes from — documents (text, meta), done sets, accepted entity spans (by the
index the export reads them by) and the cached
`tokens` JSON — and dumps one `{text, meta, doc_id, spans, tokens}` object per article, the
cached JSON embedded as it is (`orjson.Fragment`): no validation, no token indices, no
hashes, no manifest. The old baseline without the `tokens` list is kept for comparison. Each
round runs every side once, interleaved, so a slow spell of the machine weighs on all of
them; the table gives each side's best round, and the ratio of the two sides in each round
is reported too. Peak memory is measured in a fresh process per size (ru_maxrss).
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson

from annotator.core.export import ExportOptions, export_dataset
from annotator.core.export.selection import Selection, iter_annotations
from annotator.core.identity import doc_id_for
from annotator.core.project import current_schema, open_project
from annotator.core.tokens import token_table
from benchmarks._report import table, write_section
from benchmarks.corpus import articles

SPANS_PER_ARTICLE = 15
LABELS = ("PERSON", "ORG", "GPE", "NORP", "DATE")
_CAPITALISED = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+\b")
BARE_SETS = ("SELECT a.id, d.id, d.text, d.meta{tokens} FROM annotation_sets a "
             "JOIN documents d ON d.id = a.doc_id{join} WHERE a.status = 'done' ORDER BY a.id")
BARE_SPANS = ('SELECT s.set_id, s.start, s."end", s.label FROM spans s '
              "JOIN annotation_sets a ON a.id = s.set_id "
              "WHERE a.status = 'done' AND s.layer = 'entity' AND s.state = 'accepted' "
              "ORDER BY s.set_id, s.start")  # the accepted entities, by the index the export uses
TOKENS_JOIN = " JOIN document_tokens t ON t.doc_id = d.id"
T = TypeVar("T")


def build(path: Path, count: int) -> int:
    """A project of `count` annotated articles; returns the number of spans."""
    spans = 0
    with open_project(path) as store:
        schema_hash = current_schema(store).hash
        batch: list[dict] = []
        for i, article in enumerate(articles(count)):
            batch.append({"id": doc_id_for(article["text"]), "text": article["text"],
                          "title": article["meta"]["title"], "meta": article["meta"]})
            if len(batch) == 1000 or i == count - 1:
                with store.transaction():
                    store.documents.insert_many(batch)
                    for row in batch:
                        spans += _annotate(store, row, schema_hash)
                batch = []
    return spans


def _annotate(store, row: dict, schema_hash: str) -> int:
    aset = store.sets.ensure(row["id"], "bench", schema_hash)
    found = list(_CAPITALISED.finditer(row["text"]))[:SPANS_PER_ARTICLE]
    for n, match in enumerate(found):
        store.spans.add(aset.id, match.start(), match.end(), layer="entity",
                        label=LABELS[n % len(LABELS)], origin="human", state="accepted")
    store.sets.update(aset.id, status="done")
    return len(found)


def bare(path: Path, out: Path, *, with_tokens: bool = True) -> float:
    """Two ordered SELECTs (sets with their documents and cached tokens, spans by set)
    merged in step, one orjson line per set: the least work that writes the same rows.
    Without `with_tokens`, the record leaves the tokens out (the old baseline)."""
    sql = BARE_SETS.format(tokens=", t.json" if with_tokens else ", NULL",
                           join=TOKENS_JOIN if with_tokens else "")
    store = open_project(path)
    started = time.perf_counter()
    spans = store.conn.execute(BARE_SPANS)
    pending = next(spans, None)
    with open(out, "wb") as handle:
        for set_id, doc_id, text, meta, tokens in store.conn.execute(sql):
            record = {"text": text, "meta": orjson.loads(meta), "doc_id": doc_id, "spans": []}
            if with_tokens:
                record["tokens"] = orjson.Fragment(tokens)
            while pending is not None and pending[0] == set_id:
                _, start, end, label = pending
                record["spans"].append({"start": start, "end": end, "label": label,
                                        "text": text[start:end]})
                pending = next(spans, None)
            handle.write(orjson.dumps(record) + b"\n")
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def bare_reading(path: Path) -> float:
    """The bare side's two SELECTs alone, every row fetched and nothing made of it."""
    store = open_project(path)
    started = time.perf_counter()
    for sql in (BARE_SETS.format(tokens=", t.json", join=TOKENS_JOIN), BARE_SPANS):
        for _ in store.conn.execute(sql):
            pass
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def ours(path: Path, out: Path) -> float:
    return _exported(path, out)[0]


def _exported(path: Path, out: Path) -> tuple[float, float]:
    """Seconds of an export, and the CPU seconds of the thread that ran it (the files are
    written and hashed by another thread)."""
    store = open_project(path)
    started, cpu = time.perf_counter(), time.thread_time()
    export_dataset(store, ExportOptions(annotator="bench"), out)
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
    store.close()
    return elapsed, cpu


def cold(pristine: Path, copy: Path, out: Path) -> float:
    """The first export of a fresh copy of the project (no cached tokens yet)."""
    shutil.copyfile(pristine, copy)
    try:
        return ours(copy, out)
    finally:
        copy.unlink()


def tokenizer_only(path: Path) -> float:
    """What filling the cache computes: token tables (spaCy's tokenizer, arrays, JSON)."""
    store = open_project(path)
    texts = [d.text for d in store.documents.iter_all()]
    store.close()
    started = time.perf_counter()
    for text in texts:
        token_table(text)
    return time.perf_counter() - started


def peak_memory(path: Path, out: Path) -> tuple[float, float]:
    """Peak RSS (MiB) of a fresh process that only runs the export, and the export's seconds
    (one run: they show that the time per article does not grow with the corpus)."""
    code = ("import resource, sys; from pathlib import Path; "
            "from benchmarks.export_speed import ours; s = ours(Path(sys.argv[1]), "
            "Path(sys.argv[2])); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, s)")
    result = subprocess.run([sys.executable, "-c", code, str(path), str(out)],
                            capture_output=True, text=True, check=True)
    rss, seconds = result.stdout.strip().splitlines()[-1].split()
    return int(rss) / 1024, float(seconds)


def _mib(path: Path) -> float:
    return path.stat().st_size / 2**20


def _removed(path: Path) -> float:
    """Delete a side's output as soon as it is measured (MiB it had): this VM hands freed
    memory back to its host within moments, and writing into memory it must fetch back is
    several times slower, so every side frees its pages at the same point of its turn."""
    size = _mib(path)
    path.unlink()
    return size


def reading_only(path: Path) -> float:
    """The export's reading alone: every selected annotation with its cached tokens, with the
    pre-existing heap frozen for the garbage collector as `export_dataset` does."""
    store = open_project(path)
    gc.freeze()
    try:
        started = time.perf_counter()
        for _ in iter_annotations(store, Selection("bench")):
            pass
        elapsed = time.perf_counter() - started
    finally:
        gc.unfreeze()
        store.close()
    return elapsed


def hashing_only(path: Path) -> float:
    """SHA-256 of an export file, as the manifest states it (the reading not timed)."""
    digest, elapsed = hashlib.sha256(), 0.0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            started = time.perf_counter()
            digest.update(block)
            elapsed += time.perf_counter() - started
    return elapsed


def _timed(run: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`run` after the dirty pages of earlier runs are on disk, so no side pays for the
    writeback of another's file."""
    os.sync()
    return run(*args, **kwargs)


def main(count: int = 10_000, large: int = 50_000, rounds: int = 15, cold_rounds: int = 2
         ) -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db, pristine = tmp / "small.db", tmp / "pristine.db"
        n_spans = build(db, count)
        shutil.copyfile(db, pristine)
        ours(db, tmp / "fill")  # fills the cache of `db`; the page cache is warm for all sides
        sizes = {"project": _mib(pristine), "cached": _mib(db),
                 "export": _mib(tmp / "fill" / "all.jsonl")}
        sha = hashing_only(tmp / "fill" / "all.jsonl")
        shutil.rmtree(tmp / "fill")
        runs: dict[str, list[float]] = {name: [] for name in (
            "plain", "bare", "warm", "thread", "cold", "reading", "bare_reading")}
        for run in range(rounds):  # interleaved, so machine load weighs on every side
            outs = {name: tmp / f"{name}{run}" for name in ("plain", "bare", "warm", "cold")}
            runs["plain"].append(_timed(bare, db, outs["plain"], with_tokens=False))
            sizes["plain"] = _removed(outs["plain"])
            for side in ("bare", "warm") if run % 2 else ("warm", "bare"):  # either goes first
                if side == "bare":
                    runs["bare"].append(_timed(bare, db, outs["bare"]))
                    sizes["bare"] = _removed(outs["bare"])
                else:
                    warm, thread = _timed(_exported, db, outs["warm"])
                    runs["warm"].append(warm)
                    runs["thread"].append(thread)
                    _removed(outs["warm"] / "all.jsonl")
            runs["reading"].append(_timed(reading_only, db))
            runs["bare_reading"].append(_timed(bare_reading, db))
            if run < cold_rounds:
                runs["cold"].append(_timed(cold, pristine, tmp / "cold.db", outs["cold"]))
                shutil.rmtree(outs["cold"])
        best = {name: min(times) for name, times in runs.items()}
        best["sha"] = sha
        ratios = sorted(b / w for b, w in zip(runs["bare"], runs["warm"]))
        fill = tokenizer_only(db)
        memory = {("cold", count): peak_memory(pristine, tmp / "mem-c-small"),
                  ("warm", count): peak_memory(db, tmp / "mem-w-small")}
        big = tmp / "large.db"
        build(big, large)
        memory["cold", large] = peak_memory(big, tmp / "mem-c-large")
        memory["warm", large] = peak_memory(big, tmp / "mem-w-large")
    body = _report(count, n_spans, load, (rounds, cold_rounds), best, ratios, fill, memory,
                   sizes)
    write_section("export_speed", "JSONL export", body)
    print(body)


def _report(count: int, n_spans: int, load: float, rounds: tuple[int, int],
            best: dict[str, float], ratios: list[float],
            fill: float, memory: dict[tuple[str, int], tuple[float, float]],
            sizes: dict[str, float]) -> str:
    def row(what: str, seconds: float) -> list[str]:
        return [what, f"{seconds:.2f}", f"{count / seconds:,.0f}"]

    ratio = best["bare"] / best["warm"]
    median = ratios[len(ratios) // 2]
    rows = [row("bare SELECT + orjson.dumps `{text, meta, doc_id, spans, tokens}` "
                "(cached tokens JSON embedded) — **the baseline**", best["bare"]),
            row("annotator export --format jsonl, warm (tokens cached)", best["warm"]),
            row("  CPU of the export's own thread (reading, checking, building, dumping)",
                best["thread"]),
            row("  of which reading: annotations and cached tokens (`iter_annotations`)",
                best["reading"]),
            row("  SHA-256 of the file for the manifest (on the writer thread, with the "
                "write)", best["sha"]),
            row("annotator export --format jsonl, cold (first export: tokenizes, fills the "
                "cache)", best["cold"]),
            row("  of which token tables alone (spaCy tokenizer, arrays, §5 JSON)", fill),
            row("bare side's two SELECTs alone (rows fetched, nothing made of them)",
                best["bare_reading"]),
            row("bare SELECT + orjson.dumps `{text, meta, doc_id, spans}` (no tokens; the "
                "old baseline)", best["plain"])]
    mib = {k: f"{v:,.0f}" for k, v in sizes.items()}
    verdict = "met" if ratio >= 0.5 else "**not met**"
    return (
        f"{count:,} articles (~600 words, {n_spans:,} accepted entity spans, one done set "
        f"each); {rounds[0]} rounds in the same run, each running every side once, "
        f"interleaved, the export and the bare dump taking turns to go first ({rounds[1]} "
        f"rounds for the cold export); load average {load:.1f} at the start. Every side "
        "writes its file to the same disk, after `sync` so none pays for the writeback of "
        "another's file, and deletes it at once.\n\n"
        "**What the bare side dumps**: two ordered `SELECT`s — done sets joined with their "
        "documents (`text`, `meta`) and the documents' cached tokens (`document_tokens.json`, "
        "the §5 `tokens` list as stored), and accepted entity spans by set (through the "
        "covering index the export reads them by) — merged in step, one "
        "`orjson.dumps({text, meta, doc_id, spans: [{start, end, label, text}], tokens: "
        f"Fragment(json)}})` line per set ({mib['bare']} MiB). Our export writes full "
        f"JSONL records ({mib['export']} MiB): it also reads claims and rejected "
        "spans, checks every span, computes token indices, hashes, claims and relations, and "
        "writes the manifest (with a SHA-256 of the file).\n\n"
        + table(["what", "seconds (best round)", "articles/s"], rows)
        + f"\n\nWarm export speed relative to the bare SELECT + dumps of the same rows: "
          f"**{ratio:.0%}** (best round of each side; target ≥ 50%, {verdict}). Round by "
          f"round, in the same round: {', '.join(f'{r:.0%}' for r in ratios)} (median "
          f"{median:.0%}; {sum(r < 0.5 for r in ratios)} of {len(ratios)} rounds below "
          "50%). This machine's speed wanders from one round to the next: it is a VM that "
          "hands freed memory back to its host at once, and writing a file of "
          f"{mib['export']} MiB (both sides do) takes 0.1 s into memory still at hand and "
          "over a second into memory fetched back, page by page. The best rounds are the "
          "fair comparison, and the spread says how far a single run can stray.\n\n"
          "How the export keeps up: it reads in one read snapshot with two ordered queries "
          "walked in step, as the bare side does (`annotator.core.store.selections`): the "
          "chosen sets with their documents, their cached tokens and their accepted and "
          "rejected entities — each list aggregated by SQLite as JSON from a covering partial "
          "index, one row per document instead of one per span — and the claims with their "
          "parts; the cached token JSON goes into each record unparsed (`orjson.Fragment`); "
          "and a "
          "second thread writes the file and hashes it for the manifest "
          "(`annotator.core.export.hashed_file`), so the export's own thread, "
          f"{best['thread']:.2f} s of CPU, does not also pay the {best['sha']:.2f} s of "
          "SHA-256 and the write. With the second core busy with other work that hand-over "
          "gains nothing. A first export is another matter: at "
          f"{best['bare'] / best['cold']:.0%} of the bare dump, it is mostly tokenizing and "
          "serialising ~700 tokens per article and storing them, paid once per document and "
          "tokenizer version — and for work done in the app, already paid as each document "
          "opened (the window's worker caches its tokens). Against the old baseline without "
          f"a `tokens` list ({mib['plain']} MiB written) the warm export runs at "
          f"{best['plain'] / best['warm']:.0%}: §5 records are "
          f"{sizes['export'] / sizes['plain']:.0f}x those bytes.\n\n"
          f"The cost is disk: the project file grows from {mib['project']} MiB to "
          f"{mib['cached']} MiB with the token cache, mostly the serialised tokens (the same "
          "bytes the export writes); `store.tokens.clear()` drops it (then VACUUM).\n\n"
        + table(["articles", "peak RSS, cold export (MiB)", "peak RSS, warm export (MiB)",
                 "warm export, articles/s (one run)"],
                [[f"{n:,}", f"{memory['cold', n][0]:.0f}", f"{memory['warm', n][0]:.0f}",
                  f"{n / memory['warm', n][1]:,.0f}"]
                 for n in sorted({n for _, n in memory})])
        + "\n\nMemory stays flat: records are streamed one by one from cursors, the writer "
          "thread holds at most a few chunks of 8 MB, and a cold export tokenizes and caches "
          "a page of 256 documents at a time. The time per article (one run each, so noisy) "
          "does not grow with the corpus.\n")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:5]))
