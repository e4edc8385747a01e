"""An iterator's items made on a thread of their own, a few ahead of whoever takes them.

An import parses its input in Python while its store writes: SQLite's steps and a server's
round trips release the GIL, so parsing the next batch and storing this one overlap on two
cores instead of taking turns (docs/architecture.md, "Imports and exports"). The items must not
touch the store: the consumer's thread owns its connection.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
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
