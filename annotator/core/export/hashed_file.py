"""An export file hashed as it is written, for the SHA-256 the manifest names it by.

Written and hashed on the export's own thread: handing the bytes to a second thread with a
pool of buffers did not pay on two cores (see docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


class HashedFile:
    def __init__(self, path: Path):
        self.path = path
        self._digest = hashlib.sha256()
        self._handle = open(path, "wb")  # noqa: SIM115 (closed by `close`)

    def write(self, data: bytes) -> None:
        self._handle.write(data)
        self._digest.update(data)

    def close(self) -> str:
        """Close the file; return its SHA-256 (hex)."""
        self._handle.close()
        return self._digest.hexdigest()


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
