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

from annotator.core.importers.planning import PlannedBatch
from annotator.core.read_ahead import map_ahead
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
    with store.beside() as second:
        def compute(batch: PlannedBatch) -> None:
            rows = [entry.row for entry in batch.documents if entry.row is not None]
            ids.extend(row["id"] for row in rows)
            with second.transaction():
                second.documents.compute_search_ahead(rows)

        ahead = map_ahead(compute, batches)
        try:
            yield (batch for batch, _ in ahead)
        finally:
            ahead.close()  # the batch computing, if any, ends before its connection is used
            # Rows left by a connection lost meanwhile hold right vectors, and the next run
            # sweeps them after a day: the run's own outcome is what must reach the user.
            with contextlib.suppress(StoreError), second.transaction():
                second.documents.forget_search_ahead(ids)
