"""A large export's tokenizing in worker processes, one per core.

A first export tokenizes every document never opened in the app, and makes and compresses
its `tokens` JSON for the cache: that costs more than all the rest of a record. It is a pure
function of the text, and little goes each way (a text out, a compressed cache row back), so
pages of texts go to a pool of processes while this one writes the records of the pages
before and keeps their rows (`selection.py`). Results come back
in order, with a few pages in flight per process: memory stays flat. Workers are spawned,
never forked (an export may run inside the app, whose threads a fork would copy mid-flight),
and only for `PARALLEL_FROM` documents or more: starting them (and spaCy in them) costs
about a second.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from annotator.core.read_ahead import in_order

PARALLEL_FROM = 1000  # documents
IN_FLIGHT = 3  # pages per worker
A = TypeVar("A")
R = TypeVar("R")


class TokenWorkers:
    """Runs page work in worker processes, or in this one when `processes` is 1."""

    def __init__(self, processes: int):
        self._pool = (ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(
            "spawn")) if processes > 1 else None)
        self._in_flight = IN_FLIGHT * processes

    def map(self, work: Callable[[A], R], pages: Iterable[A]) -> Iterator[R]:
        """`work(page)` of every page, in order; pages are taken only as workers free up."""
        if self._pool is None:
            yield from map(work, pages)
            return
        for _, result in in_order(self._pool, work, pages, self._in_flight - 1):
            yield result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


@contextlib.contextmanager
def token_workers(documents: int) -> Iterator[TokenWorkers]:
    """Workers for an export of `documents`: a process per core when it is large (the
    workers start only when work is first sent, so a warm export starts none)."""
    workers = TokenWorkers((os.cpu_count() or 1) if documents >= PARALLEL_FROM else 1)
    try:
        yield workers
    finally:
        workers.close()
