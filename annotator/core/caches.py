"""Dropping the project's caches: the tokens of every document (made again by the next export
or when a document opens) and the model's cached suggestions (made again by `annotator
suggest` or when a document opens, which takes the model's time). They are derived data, so
clearing them writes no event; the rows go in one transaction, then the file is compacted.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.store import Store
from annotator.core.store.caches import TABLES, Caches

KINDS = tuple(TABLES)  # tokens, suggestions


@dataclass(frozen=True)
class Cleared:
    rows: dict[str, int]  # by cache
    bytes_freed: int  # of the project's pages in use
    compacted: bool  # the file shrank; False when another window held the project open


def clear_caches(store: Store, kinds: tuple[str, ...]) -> Cleared:
    caches = Caches(store.conn)
    before = caches.size()
    with store.transaction():
        rows = {kind: caches.clear(kind) for kind in kinds}
    compacted = caches.compact()
    return Cleared(rows, before - caches.size(), compacted)
