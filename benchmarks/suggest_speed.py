"""Suggestion throughput: the `annotator suggest` machinery against bare `nlp.pipe`.

`python -m benchmarks.suggest_speed [--docs N]` builds N articles of ~600 words from the seed
sentences (deterministic, `benchmarks.corpus`), imports them into a temporary project, then
times in the same run with the same pipeline object:
- bare ``for doc in nlp.pipe(texts, batch_size=64)`` (texts already in memory);
- `suggest_corpus` (what `annotator suggest` runs): texts read from SQLite, entities mapped,
  claims from the parse, payloads written and committed every 64 documents;
- both again with 2 processes.
It writes the "suggest_speed" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import orjson

from annotator.core.importers import import_paths
from annotator.core.project import current_schema, open_project
from annotator.core.suggest import load_pipeline, model_key
from annotator.core.suggest.batch import suggest_corpus
from annotator.core.suggest.engine import BATCH_SIZE
from benchmarks._report import table, write_section
from benchmarks.corpus import articles


def _project(folder: Path, n_docs: int):
    """A project holding the synthetic articles, imported as a JSONL file."""
    source = folder / "articles.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(a) for a in articles(n_docs)) + b"\n")
    store = open_project(folder / "bench.db")
    import_paths(store, [source], annotator="bench")
    return store


def _bare(nlp, texts: list[str], n_process: int) -> float:
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process):
        pass
    return time.perf_counter() - started


def _machinery(store, nlp, schema, n_process: int) -> float:
    started = time.perf_counter()
    report = suggest_corpus(store, nlp, schema, only_missing=False, n_process=n_process)
    seconds = time.perf_counter() - started
    assert report.computed == store.documents.count()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="articles (default 1000)")
    args = parser.parse_args()
    nlp = load_pipeline()
    with tempfile.TemporaryDirectory() as folder:
        store = _project(Path(folder), args.docs)
        schema = current_schema(store)
        texts = [d.text for d in store.documents.iter_all()]
        words = sum(len(t.split()) for t in texts)
        tokens = sum(len(d) for d in nlp.tokenizer.pipe(texts))
        _bare(nlp, texts[:32], 1)  # warm up
        rows, figures = [], {}
        for n_process in (1, 2):
            bare = _bare(nlp, texts, n_process)
            ours = _machinery(store, nlp, schema, n_process)
            figures[n_process] = (bare, ours)
            rows.append([n_process, f"{len(texts) / bare:.1f}", f"{tokens / bare:,.0f}",
                         f"{len(texts) / ours:.1f}", f"{tokens / ours:,.0f}",
                         f"{bare / ours:.0%}"])
            print(f"{n_process} process(es): bare {bare:.1f} s, annotator suggest {ours:.1f} s "
                  f"({bare / ours:.0%})", flush=True)
        cached = store.suggestions.count()
        store.close()
    gain = figures[1][1] / figures[2][1]
    body = "\n\n".join([
        f"{len(texts)} synthetic articles built from the seed sentences ({words / len(texts):.0f} "
        f"words, {tokens / len(texts):.0f} tokens each on average), pipeline `{model_key(nlp)}`, "
        f"`batch_size={BATCH_SIZE}`, the same pipeline object for both columns, same run. "
        "*Bare* is `nlp.pipe` over texts already in memory; *annotator suggest* is "
        "`suggest_corpus` (what the command runs): texts read from the project file, "
        "entities mapped to the schema, claims from the parse, payloads cached and committed "
        "every 64 documents. Entity scores (beam search) are off, as in the command's default.",
        table(["processes", "bare docs/s", "bare tokens/s", "suggest docs/s",
               "suggest tokens/s", "suggest / bare"], rows),
        f"Two processes make `annotator suggest` {gain:.2f}x as fast as one on this 2-core "
        f"machine. {cached} payloads were cached.",
    ])
    write_section("suggest_speed", "Suggestion speed", body)
    print(body)


if __name__ == "__main__":
    main()
