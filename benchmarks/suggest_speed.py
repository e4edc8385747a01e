"""Suggestion throughput: the `annotator suggest` machinery against bare `nlp.pipe`.

`python -m benchmarks.suggest_speed [--docs N] [--rounds R]` builds N articles of ~600 words
from the seed sentences (deterministic, `benchmarks.corpus`) and imports them into R project
files of N/R articles. It then times, in the same run with the same pipeline object:
- bare ``for doc in nlp.pipe(texts, batch_size=64)`` over texts already in memory;
- `suggest_corpus` (what `annotator suggest` runs): texts read from SQLite, entities mapped,
  claims from the parse, payloads written and committed every 64 documents;
with 1 and with 2 processes. Before that, one document of 50,000 words goes through
`suggest_text` (parsed in paragraph-aligned pieces) for its time and peak memory. The two
are interleaved round by round (alternating which goes
first), so the load of a shared machine weighs on both alike. It writes the
"suggest_speed" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import orjson

from annotator.core.importers import import_paths
from annotator.core.project import current_schema, open_project
from annotator.core.suggest import load_pipeline, model_key, suggest_text
from annotator.core.suggest.batch import suggest_corpus
from annotator.core.suggest.engine import BATCH_SIZE
from annotator.core.suggest.pipeline import CHUNK_CHARS
from benchmarks._report import table, write_section
from benchmarks.corpus import articles


def _projects(folder: Path, n_docs: int, rounds: int) -> list:
    """`rounds` project files sharing the synthetic articles between them."""
    corpus = list(articles(n_docs))
    stores = []
    for i in range(rounds):
        source = folder / f"articles{i}.jsonl"
        source.write_bytes(b"\n".join(orjson.dumps(a) for a in corpus[i::rounds]) + b"\n")
        store = open_project(folder / f"bench{i}.db")
        import_paths(store, [source], annotator="bench")
        stores.append(store)
    return stores


def _bare(nlp, texts: list[str], n_process: int) -> float:
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process):
        pass
    return time.perf_counter() - started


def _machinery(store, nlp, n_process: int) -> float:
    started = time.perf_counter()
    report = suggest_corpus(store, nlp, current_schema(store), only_missing=False,
                            n_process=n_process)
    seconds = time.perf_counter() - started
    assert report.computed == store.documents.count()
    return seconds


def _long_document(nlp, schema, words: int) -> tuple[int, float, float, int]:
    """(words, seconds, peak resident MiB, entity suggestions) for one very long article."""
    paragraphs, n = [], 0
    for article in articles(words // 500 + 1, seed=11):
        for paragraph in article["text"].split("\n\n")[1:]:
            if n < words:
                paragraphs.append(paragraph)
                n += len(paragraph.split())
    text = "\n\n".join(paragraphs)
    started = time.perf_counter()
    payload = suggest_text(nlp, text, schema)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return n, seconds, peak, len(payload["spans"])


def _interleaved(nlp, stores, texts, n_process: int) -> tuple[float, float, float]:
    """(bare seconds, suggest seconds, median of the per-round ratios bare/suggest): a round
    slowed by someone else's job moves the totals but hardly the median."""
    bare = ours = 0.0
    ratios = []
    for i, (store, part) in enumerate(zip(stores, texts)):
        if i % 2:
            mine = _machinery(store, nlp, n_process)
            theirs = _bare(nlp, part, n_process)
        else:
            theirs = _bare(nlp, part, n_process)
            mine = _machinery(store, nlp, n_process)
        bare, ours = bare + theirs, ours + mine
        ratios.append(theirs / mine)
    return bare, ours, statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds (default 6)")
    parser.add_argument("--long-words", type=int, default=50_000,
                        help="words of the one long document (default 50000)")
    args = parser.parse_args()
    nlp = load_pipeline()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        stores = _projects(Path(folder), args.docs, args.rounds)
        texts = [[d.text for d in store.documents.iter_all()] for store in stores]
        n_texts = sum(len(part) for part in texts)
        words = sum(len(t.split()) for part in texts for t in part)
        tokens = sum(len(d) for part in texts for d in nlp.tokenizer.pipe(part))
        long_words, long_seconds, long_peak, long_spans = _long_document(
            nlp, current_schema(stores[0]), args.long_words)
        _bare(nlp, texts[0][:32], 1)  # warm up
        rows, figures = [], {}
        for n_process in (1, 2):
            bare, ours, median = _interleaved(nlp, stores, texts, n_process)
            figures[n_process] = bare, ours
            rows.append([n_process, f"{n_texts / bare:.1f}", f"{tokens / bare:,.0f}",
                         f"{n_texts / ours:.1f}", f"{tokens / ours:,.0f}",
                         f"{bare / ours:.0%}", f"**{median:.0%}**"])
            print(f"{n_process} process(es): bare {bare:.1f} s, annotator suggest {ours:.1f} s "
                  f"({bare / ours:.0%}, median of rounds {median:.0%})", flush=True)
        cached = sum(store.suggestions.count() for store in stores)
        for store in stores:
            store.close()
    load_after = os.getloadavg()[0]
    body = "\n\n".join([
        f"{n_texts} synthetic articles built from the seed sentences ({words / n_texts:.0f} "
        f"words, {tokens / n_texts:.0f} tokens each on average), pipeline `{model_key(nlp)}`, "
        f"`batch_size={BATCH_SIZE}`, the same pipeline object for both, same run, "
        f"interleaved in {args.rounds} rounds (the last column is the median of the per-round "
        "ratios, which one round slowed by another job on the machine hardly moves). *Bare* is `nlp.pipe` over texts already in "
        "memory; *suggest* is `suggest_corpus` (what `annotator suggest` runs): texts read "
        "from the project file, entities mapped to the schema, claims from the parse, "
        "payloads cached and committed every 64 documents. Entity scores (beam search) are "
        "off, as in the command's default (target: suggest ≥ 90% of bare).",
        table(["processes", "bare docs/s", "bare tokens/s", "suggest docs/s",
               "suggest tokens/s", "suggest / bare (totals)",
               "suggest / bare (median round)"], rows),
        f"`--processes 2` makes `annotator suggest` {figures[1][1] / figures[2][1]:.2f}x as "
        f"fast as one process (bare `nlp.pipe`: {figures[1][0] / figures[2][0]:.2f}x). "
        f"{cached} payloads were cached. Load average (1 min) {load_before:.1f} at the start, "
        f"{load_after:.1f} at the end: other work on the machine slows both columns alike.",
        f"One document of {long_words:,} words: `suggest_text` in {long_seconds:.1f} s "
        f"({long_spans:,} entity suggestions), peak resident memory of the process "
        f"{long_peak:,.0f} MiB (parsed in paragraph-aligned pieces of at most "
        f"{CHUNK_CHARS:,} characters).",
    ])
    write_section("suggest_speed", "Suggestion speed", body)
    print(body)


if __name__ == "__main__":
    main()
