"""A server's search vectors computed a batch ahead of the import, on a second connection.

PostgreSQL's text parser is the larger part of what a server does for an import, and the
import's transaction runs on one of the server's cores. The vectors are pure functions of
the texts, so a second connection computes those of the next batch while the import stores
this one, and the import's inserts take them (`Documents.compute_search_ahead`, migration
18): two cores share the work (docs/architecture.md, "Imports and exports"). A file writes
its full-text index in the insert itself: there the batches pass through untouched.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from annotator.core.importers.planning import PlannedBatch
from annotator.core.store import Store, StoreError


@contextlib.contextmanager
def searched_ahead(store: Store, batches: Iterable[PlannedBatch]
                   ) -> Iterator[Iterator[PlannedBatch]]:
    """The batches, each handed on once its new documents' search vectors are computed, the
    next batch's computing meanwhile; the vectors the run left are dropped on leaving."""
    if not store.documents.computes_search_ahead:
        yield iter(batches)
        return
    ids: list[str] = []
    with store.beside() as second, ThreadPoolExecutor(1, "search-ahead") as pool:
        def compute(rows: list[dict]) -> None:
            with second.transaction():
                second.documents.compute_search_ahead(rows)

        def handed_on() -> Iterator[PlannedBatch]:
            waiting: tuple[PlannedBatch, Future] | None = None
            for batch in batches:
                rows = [entry.row for entry in batch.documents if entry.row is not None]
                ids.extend(row["id"] for row in rows)
                computing = (batch, pool.submit(compute, rows))
                if waiting is not None:
                    waiting[1].result()
                    yield waiting[0]
                waiting = computing
            if waiting is not None:
                waiting[1].result()
                yield waiting[0]

        try:
            yield handed_on()
        finally:
            pool.shutdown(cancel_futures=True)
            # Rows left by a connection lost meanwhile hold right vectors, and the next run
            # sweeps them after a day: the run's own outcome is what must reach the user.
            with contextlib.suppress(StoreError), second.transaction():
                second.documents.forget_search_ahead(ids)
