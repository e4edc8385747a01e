"""An export file hashed as it is written, for the SHA-256 the manifest names it by.

Records are gathered into chunks of a mebibyte, and each chunk is written and hashed on a
thread of the file's own: `write` and SHA-256 hold no GIL while they run, so on a second
core they overlap the building of the next records instead of taking a fifth of the export's
thread (docs/benchmarks.md, "JSONL export"). A handful of chunks wait at most: memory stays
flat however large the file is.
"""

from __future__ import annotations

import hashlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

CHUNK = 1 << 20  # bytes gathered before they go to the writing thread
IN_FLIGHT = 4  # chunks waiting for it at most


class HashedFile:
    def __init__(self, path: Path):
        self.path = path
        self._digest = hashlib.sha256()
        self._handle = open(path, "wb")  # noqa: SIM115 (closed by `close`)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="export-file")
        self._gathered: list[bytes] = []
        self._size = 0
        self._pending: deque[Future[None]] = deque()

    def write(self, data: bytes) -> None:
        self._gathered.append(data)
        self._size += len(data)
        if self._size >= CHUNK:
            self._hand_over()

    def close(self) -> str:
        """Write what is gathered, wait for the writing thread, close the file; return its
        SHA-256 (hex). The first error of a chunk's write is raised here if not before."""
        try:
            self._hand_over()
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._writer.shutdown(cancel_futures=True)
            self._pending.clear()
            self._handle.close()
        return self._digest.hexdigest()

    def _hand_over(self) -> None:
        if self._gathered:
            self._pending.append(self._writer.submit(self._out, b"".join(self._gathered)))
            self._gathered, self._size = [], 0
        while len(self._pending) > IN_FLIGHT:
            self._pending.popleft().result()

    def _out(self, chunk: bytes) -> None:
        self._handle.write(chunk)
        self._digest.update(chunk)


class SplitFiles:
    """A writer's files, one per split (`<split><suffix>`), each opened on its first write."""

    def __init__(self, folder: Path, suffix: str):
        self.folder = folder
        self.suffix = suffix
        self._files: dict[str, HashedFile] = {}

    def write(self, split: str, data: bytes) -> None:
        handle = self._files.get(split)
        if handle is None:
            handle = self._files[split] = HashedFile(self.folder / f"{split}{self.suffix}")
        handle.write(data)

    def close(self) -> dict[Path, str]:
        """Close every file; return their SHA-256 by path."""
        return close_all(list(self._files.values()))


def close_all(files: list[HashedFile]) -> dict[Path, str]:
    """Close every file (even after one fails); return their SHA-256 by path."""
    digests: dict[Path, str] = {}
    failed: BaseException | None = None
    for file in files:
        try:
            digests[file.path] = file.close()
        except BaseException as exc:
            failed = failed or exc
    if failed is not None:
        raise failed
    return digests


def write_hashed(path: Path, data: bytes) -> str:
    """Write a file made whole in memory at once; return its SHA-256 (hex)."""
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()
