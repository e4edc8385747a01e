"""JSONL export speed and memory: `annotator export` of 10,000 annotated articles vs a bare
`SELECT` + `orjson.dumps` of the same rows, and peak memory at 10,000 vs 50,000 articles.

The project is built through store calls (one done set per article, ~15 accepted entity
spans at capitalised words, the shape an annotated news corpus has). The bare side reads the
same documents, sets and spans with two ordered `SELECT`s and dumps one `{text, meta, spans}`
object per article: no tokens, no validation. Our side writes full DESIGN.md §5 records, and
their `tokens` need spaCy's tokenizer, which is measured alone too, so the table shows where
the time goes. Peak memory is measured in a fresh process per size (ru_maxrss).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from annotator.core.export import ExportOptions, export_dataset
from annotator.core.export.token_rows import token_rows
from annotator.core.identity import doc_id_for
from annotator.core.project import current_schema, open_project
from benchmarks._report import table, write_section
from benchmarks.corpus import articles

SPANS_PER_ARTICLE = 15
LABELS = ("PERSON", "ORG", "GPE", "NORP", "DATE")
_CAPITALISED = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+\b")
BARE_SETS = ("SELECT a.id, d.id, d.text, d.meta FROM annotation_sets a "
             "JOIN documents d ON d.id = a.doc_id WHERE a.status = 'done' ORDER BY a.id")
BARE_SPANS = ('SELECT s.set_id, s.start, s."end", s.label FROM spans s '
              "JOIN annotation_sets a ON a.id = s.set_id "
              "WHERE a.status = 'done' AND s.state = 'accepted' ORDER BY s.set_id, s.start")


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


def bare(path: Path, out: Path, *, with_tokens: bool = False) -> float:
    """Two ordered SELECTs (sets with their documents, spans by set) merged in step, one
    orjson line per set: the least work that writes the same rows; `with_tokens` adds the
    §5 `tokens` list, the least work that writes records of our size."""
    store = open_project(path)
    started = time.perf_counter()
    spans = store.conn.execute(BARE_SPANS)
    pending = next(spans, None)
    with open(out, "wb") as handle:
        for set_id, doc_id, text, meta in store.conn.execute(BARE_SETS):
            record = {"text": text, "meta": orjson.loads(meta), "doc_id": doc_id, "spans": []}
            if with_tokens:
                record["tokens"] = [{"text": text[a:b], "start": a, "end": b, "id": i, "ws": ws}
                                    for i, (a, b, ws) in enumerate(token_rows(text))]
            while pending is not None and pending[0] == set_id:
                _, start, end, label = pending
                record["spans"].append({"start": start, "end": end, "label": label,
                                        "text": text[start:end]})
                pending = next(spans, None)
            handle.write(orjson.dumps(record) + b"\n")
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def ours(path: Path, out: Path) -> float:
    store = open_project(path)
    started = time.perf_counter()
    export_dataset(store, ExportOptions(annotator="bench"), out)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def tokenizer_only(path: Path) -> float:
    """The export's tokenization alone (spaCy's tokenizer, token rows as arrays)."""
    store = open_project(path)
    texts = [d.text for d in store.documents.iter_all()]
    store.close()
    started = time.perf_counter()
    for text in texts:
        token_rows(text)
    return time.perf_counter() - started


def peak_memory(path: Path, out: Path) -> float:
    """Peak RSS (MiB) of a fresh process that only runs the export."""
    code = ("import resource, sys; from pathlib import Path; "
            "from benchmarks.export_speed import ours; ours(Path(sys.argv[1]), Path(sys.argv[2]));"
            " print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", code, str(path), str(out)],
                            capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1]) / 1024


def main(count: int = 10_000, large: int = 50_000) -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "small.db"
        n_spans = build(db, count)
        ours(db, tmp / "warm")  # page cache and tokenizer warm for both sides
        runs = {"bare": [], "bare_tokens": [], "ours": []}
        for run in range(2):
            runs["bare"].append(bare(db, tmp / f"bare{run}.jsonl"))
            runs["bare_tokens"].append(bare(db, tmp / f"baret{run}.jsonl", with_tokens=True))
            runs["ours"].append(ours(db, tmp / f"ours{run}"))
        best = {k: min(v) for k, v in runs.items()}
        tokens = tokenizer_only(db)
        memory_small = peak_memory(db, tmp / "mem-small")
        big = tmp / "large.db"
        build(big, large)
        memory_large = peak_memory(big, tmp / "mem-large")
        size = (tmp / "ours0" / "all.jsonl").stat().st_size / 2**20
        bare_size = (tmp / "bare0.jsonl").stat().st_size / 2**20
    rows = [["bare SELECT + orjson.dumps ({text, meta, spans})", f"{best['bare']:.2f}",
             f"{count / best['bare']:,.0f}"],
            ["bare SELECT + tokenizer + orjson.dumps ({text, meta, spans, tokens})",
             f"{best['bare_tokens']:.2f}", f"{count / best['bare_tokens']:,.0f}"],
            ["annotator export --format jsonl (full §5 records)", f"{best['ours']:.2f}",
             f"{count / best['ours']:,.0f}"],
            ["  of which spaCy tokenizer alone (tokens for §5)", f"{tokens:.2f}",
             f"{count / tokens:,.0f}"],
            ["  the rest (read, validate, build, dump, manifest)",
             f"{best['ours'] - tokens:.2f}", f"{count / (best['ours'] - tokens):,.0f}"]]
    ratio, like = best["bare"] / best["ours"], best["bare_tokens"] / best["ours"]
    body = (
        f"{count:,} articles (~600 words, {n_spans:,} accepted entity spans, one done set each), "
        f"best of 2 interleaved runs, same run; load average {load:.1f} at the start. Our "
        f"records are full DESIGN.md §5 records ({size:.0f} MiB); the bare side writes "
        f"`{{text, meta, spans}}` ({bare_size:.0f} MiB).\n\n"
        + table(["what", "seconds", "articles/s"], rows)
        + f"\n\nExport speed relative to the bare SELECT + dumps: **{ratio:.0%}** (target ≥ 50%, "
          f"**not met**). Relative to the bare loop that also writes the §5 `tokens` list: "
          f"**{like:.0%}**. The `tokens` list (~700 objects per article, {size / bare_size:.0f}x "
          "the bytes) needs spaCy's tokenizer, which alone takes many times the whole bare "
          "dump, so no exporter of full §5 records can reach 50% of a dump without tokens. "
          "Closing the gap would need the tokens cached in the project as serialized JSON "
          "(derived data, e.g. `orjson.Fragment`s written when a document is first tokenized)."
          "\n\n"
        + table(["articles", "peak RSS of the export process (MiB)"],
                [[f"{count:,}", f"{memory_small:.0f}"], [f"{large:,}", f"{memory_large:.0f}"]])
        + "\n\nMemory stays flat: records are streamed to the file one by one.\n")
    write_section("export_speed", "JSONL export", body)
    print(body)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
