"""A large export's tokenizing in worker processes: the same files and the same cache as an
export that does it all in one process."""

import orjson

from annotator.core.export import ExportOptions, export_dataset, parallel, selection
from annotator.core.tokens import cache_rows_of, tokenizer_key
from test_export_jsonl import annotate


def _files(folder):
    return {name: (folder / name).read_bytes() for name in ("all.jsonl",)}


def test_workers_tokenize_and_cache_as_one_process_does(seeded, tmp_path, monkeypatch):
    annotate(seeded)
    options = ExportOptions(with_rejected=True, include_unfinished=True)
    export_dataset(seeded, options, tmp_path / "one-cold")
    export_dataset(seeded, options, tmp_path / "one-warm")
    cached = seeded.tokens.count(tokenizer_key())
    ids = [doc.id for doc in seeded.documents.iter_all()]
    every_other = seeded.tokens.get_many(ids[::2], tokenizer_key())
    with seeded.transaction():
        seeded.tokens.clear()

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(selection, "TOKEN_PAGE", 2)  # several pages in flight
    monkeypatch.setattr(selection, "PAGE", 2)  # kept in several transactions
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    calls = []
    export_dataset(seeded, options, tmp_path / "workers-cold",
                   progress=lambda done, total: calls.append((done, total)))
    assert seeded.tokens.count(tokenizer_key()) == cached > 0
    export_dataset(seeded, options, tmp_path / "workers-warm")
    with seeded.transaction():  # pages of cached documents and documents to tokenize
        seeded.tokens.clear()
        seeded.tokens.put_many(tokenizer_key(), every_other.items())
    export_dataset(seeded, options, tmp_path / "workers-partly-cached")
    assert seeded.tokens.count(tokenizer_key()) == cached

    one = _files(tmp_path / "one-cold")
    assert one == _files(tmp_path / "one-warm") == _files(tmp_path / "workers-cold") \
        == _files(tmp_path / "workers-warm") == _files(tmp_path / "workers-partly-cached")
    records = [orjson.loads(line) for line in one["all.jsonl"].splitlines()]
    assert {r["answer"] for r in records} >= {"accept", "reject"}
    assert calls[-1][0] == calls[-1][1] and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_worker_pages_come_back_in_order():
    workers = parallel.TokenWorkers(2)
    try:
        pages = [[f"text {i} and “more” 🙂"] * (i % 3 + 1) for i in range(20)]
        assert list(workers.map(cache_rows_of, pages)) == list(map(cache_rows_of, pages))
    finally:
        workers.close()
