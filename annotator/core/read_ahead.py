"""Work done on a thread of its own, a few items ahead of whoever takes the results.

An import takes its next planned batch (unpickled from its planning process, or planned
there for a small input) while its store writes: SQLite's steps and a server's round trips
release the GIL, so the two overlap instead of taking turns (`read_ahead`). An export reads
its rows on its own thread and unpacks the next page's cached tokens on another
(`map_ahead`): one zstd call a page, which holds no GIL while it runs
(docs/architecture.md, "Imports and exports"). No helper thread touches the consumer's
connection: the one that computes a server's search vectors ahead of an import
(`importers/search_ahead.py`) has a connection of its own.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
WAIT_SECONDS = 0.1  # how often a producer blocked on a full queue looks whether to stop
_END = object()


def read_ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Yield `items` in order, made up to `depth` ahead on another thread. The producer's
    error is raised here, where its item would have come; closing the iterator (or an
    error in the consumer) stops the producer at its next item and waits for it."""
    ready: queue.Queue[tuple[object, Exception | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[object, Exception | None]) -> bool:
        while not stop.is_set():
            try:
                ready.put(entry, timeout=WAIT_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
        except Exception as exc:  # raised again on the consumer's thread
            put((_END, exc))
            return
        put((_END, None))

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()


def map_ahead(work: Callable[[T], R], items: Iterable[T], depth: int = 1
              ) -> Iterator[tuple[T, R]]:
    """Yield `(item, work(item))` in order: the items are taken on this thread, `work` runs
    on one helper thread up to `depth` items ahead of the one yielded (`in_order`)."""
    with ThreadPoolExecutor(1, thread_name_prefix="map-ahead") as helper:
        yield from in_order(helper, work, items, depth)


def in_order(pool: Executor, work: Callable[[T], R], items: Iterable[T], depth: int
             ) -> Iterator[tuple[T, R]]:
    """Yield `(item, work(item))` in order, `work` run by `pool` (threads or processes) up
    to `depth` items ahead of the one yielded; items are taken only as the pool frees up.
    An error in `work` is raised here, with its item's turn; closing the iterator cancels
    the work not started."""
    pending: deque[tuple[T, Future[R]]] = deque()
    try:
        for item in items:
            pending.append((item, pool.submit(work, item)))
            if len(pending) > depth:
                done, result = pending.popleft()
                yield done, result.result()
        while pending:
            done, result = pending.popleft()
            yield done, result.result()
    finally:
        for _, result in pending:
            result.cancel()
