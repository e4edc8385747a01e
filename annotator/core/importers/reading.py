"""Reading an import's files into document records, a batch at a time.

Runs wherever the import is planned (`planning.py`): on the importing thread for a small
input, in a process of its own for a large one. It touches no store: problems and warnings
travel with the batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.importers.annotations import Labels
from annotator.core.importers.jsonl import parse_jsonl
from annotator.core.importers.labelstudio import parse_label_studio
from annotator.core.importers.records import DocumentRecord, InvalidInput, Problem
from annotator.core.importers.text_files import parse_text_file

FOLDER_SUFFIXES = {".txt": "text", ".text": "text", ".jsonl": "jsonl"}
# A .json file is read (as a Label Studio export) only when named: a folder's .json files
# may be anything.
SUFFIXES = {**FOLDER_SUFFIXES, ".json": "labelstudio"}
BATCH = 500  # records


@dataclass
class Found:
    """Problems and warnings met reading."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RecordBatch:
    """Records read, with the problems and warnings met reading them, and how many bytes of
    the input were read when the batch closed (the run's progress once it is stored)."""

    records: list[DocumentRecord]
    problems: list[Problem]
    warnings: list[str]
    read: int


def record_batches(files: list[Path], sizes: list[int], labels: Labels,
                   text_key: str | None) -> Iterator[RecordBatch]:
    """The run's input, `BATCH` records at a time; each batch hands on the problems and
    warnings met since the last."""
    found = Found()
    records: list[DocumentRecord] = []
    fraction = 0.0  # of the file being read

    def advance(read: float) -> None:
        nonlocal fraction
        fraction = read

    def batch(read: int) -> RecordBatch:
        out = RecordBatch(records[:], found.problems[:], found.warnings[:], read)
        records.clear()
        found.problems.clear()
        found.warnings.clear()
        return out

    done = 0
    for path, size in zip(files, sizes):
        fraction = 0.0
        for record in _records(path, found, labels, advance, text_key):
            records.append(record)
            if len(records) >= BATCH:
                yield batch(done + int(size * fraction))
        done += size
    yield batch(done)


def _records(path: Path, found: Found, labels: Labels, advance: Callable[[float], None],
             text_key: str | None = None) -> Iterator[DocumentRecord]:
    """Parsed records of one file; problems and warnings go to `found`, progress by
    fraction read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        found.problems.append(Problem(str(path), f"cannot read ({exc.strerror})"))
        return
    kind = SUFFIXES[path.suffix.lower()]
    if kind == "text":
        try:
            yield parse_text_file(data, str(path), path.name)
        except InvalidInput as exc:
            found.problems.append(exc.problem)
        return
    if kind == "labelstudio":
        items: Iterable[tuple[int, DocumentRecord | Problem]] = (
            (0, item) for item in parse_label_studio(data, str(path), found.warnings.append,
                                                     labels, text_key))
    else:
        items = parse_jsonl(data, str(path), found.warnings.append, labels)
    lines = max(1, data.count(b"\n") + 1)
    empty = True
    for number, item in items:
        empty = False
        if isinstance(item, Problem):
            found.problems.append(item)
        else:
            yield item
        advance(number / lines)
    if empty:  # said, so that an empty export is not taken for an import
        found.problems.append(Problem(str(path), "no records: the file holds nothing to "
                                                 "import"))
