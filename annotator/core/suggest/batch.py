"""Suggestions for the whole project, cached per (document, model key, schema hash).

Documents stream through `nlp.pipe` (batches of 64, optionally several processes) and their
payloads are committed every `commit_every` documents, so an interrupted run (Ctrl+C) keeps
every finished document: the pending ones are committed on the way out, and the next run
with ``only_missing`` starts where this one stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.core.progress import Progress, no_progress
from annotator.core.suggest.engine import BATCH_SIZE, Suggester
from annotator.core.suggest.pipeline import model_key


@dataclass(frozen=True)
class BatchReport:
    model: str
    computed: int
    cached: int  # documents skipped because their payload was already cached


def suggest_corpus(store, nlp, schema, *, only_missing: bool = True, n_process: int = 1,
                   batch_size: int = BATCH_SIZE, commit_every: int = BATCH_SIZE,
                   scores: bool = False, progress: Progress = no_progress) -> BatchReport:
    key = model_key(nlp)
    everything = store.documents.ids_in_order()
    ids = store.suggestions.missing(key, schema.hash) if only_missing else everything
    total = len(ids)
    progress(0, total)
    suggester = Suggester(nlp, schema, scores=scores)
    texts = (store.documents.text(doc_id) for doc_id in ids)
    pending: list[tuple[str, dict[str, Any]]] = []
    done = 0

    def commit() -> None:
        with store.transaction():
            store.suggestions.put_many(key, schema.hash, pending)
        pending.clear()

    try:
        for doc_id, payload in zip(ids, suggester.pipe(texts, batch_size=batch_size,
                                                       n_process=n_process)):
            pending.append((doc_id, payload))
            done += 1
            if len(pending) >= commit_every:
                commit()
                progress(done, total)
    finally:
        if pending:
            commit()
    progress(done, total)
    return BatchReport(key, done, len(everything) - total)
