"""An import's input read and planned on its own core, while the store writes.

Reading and planning are Python from end to end (parsing, checking every span, the run's
decisions) and the store's statements are mostly SQLite or a server at work: a large input
is read and planned in a process of its own that hands each batch over a pipe, a batch or
two ahead of the store, so the two overlap on two cores instead of taking turns at one GIL
(docs/architecture.md, "Imports and exports"). A small input is planned on a thread of the
importing process: starting a process would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from annotator.core.importers.annotations import Labels
from annotator.core.importers.plan import AnnotationBatch, AnnotationPlanner, MemoryRow, SetKey
from annotator.core.importers.reading import record_batches
from annotator.core.importers.records import Problem
from annotator.core.schema import Schema

PROCESS_FROM = 8 * 2**20  # bytes of input: below, a process costs more than it saves
_JOIN_SECONDS = 5


@dataclass
class Setup:
    """What planning needs to know of the run and the project, read before it starts."""

    files: list[Path]
    sizes: list[int]
    schema: Schema
    importing_annotator: str
    known: dict[str, Schema]  # schemas by hash a record may name as made under
    label_map: dict[str, str] | None = None
    add_labels: bool = False
    as_done: bool = False
    text_key: str | None = None


@dataclass
class DocumentEntry:
    """A record's document: its row, or (`row` None) the origin of the record of the run
    that brought the same text first."""

    id: str
    origin: str
    annotated: bool
    row: dict[str, Any] | None
    first_seen: str | None


@dataclass
class PlannedBatch:
    documents: list[DocumentEntry]
    annotations: AnnotationBatch
    problems: list[Problem]
    warnings: list[str]
    read: int  # bytes of the input read when the batch closed


@dataclass
class Finished:
    labels_added: dict[str, str]  # entity labels the run adds: first seen where
    memory: list[MemoryRow]


class Planner:
    """Reads and plans the run's input, batch by batch (`batches`), then counts the corpus
    memory of what the store kept (`finish`)."""

    def __init__(self, setup: Setup):
        self.setup = setup
        self.labels = Labels(setup.schema, setup.label_map, add_labels=setup.add_labels,
                             known=setup.known.get)
        self.annotations = AnnotationPlanner(setup.schema, setup.importing_annotator,
                                             as_done=setup.as_done)

    def batches(self) -> Iterator[PlannedBatch]:
        seen: dict[str, str] = {}  # document id: the origin of the run's first record of it
        setup = self.setup
        for batch in record_batches(setup.files, setup.sizes, self.labels, setup.text_key):
            documents = []
            for record in batch.records:
                first = seen.get(record.id)
                if first is None:
                    seen[record.id] = record.origin
                documents.append(DocumentEntry(record.id, record.origin,
                                               bool(record.annotations),
                                               record.row() if first is None else None, first))
            yield PlannedBatch(documents, self.annotations.plan_batch(batch.records),
                               batch.problems, batch.warnings, batch.read)

    def finish(self, refused: set[SetKey]) -> Finished:
        return Finished(self.labels.added, self.annotations.memory(refused))

    def close(self) -> None:
        """Nothing to stop: planning ran on the caller's thread."""


class PlannerProcess:
    """A `Planner` in a process of its own, behind a pipe."""

    def __init__(self, setup: Setup):
        context = multiprocessing.get_context(_start_method())
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, setup), daemon=True,
                                        name="import-planning")
        self._process.start()
        theirs.close()
        self._finished = False

    def batches(self) -> Iterator[PlannedBatch]:
        while (batch := self._receive()) is not None:
            yield batch

    def finish(self, refused: set[SetKey]) -> Finished:
        self._pipe.send(refused)
        finished = self._receive()
        self._finished = True
        return finished

    def close(self) -> None:
        """Stop the process. Once it has finished it ends by itself; a run stopped midway
        (cancelled, or failed) stops it at once, as it holds nothing to save (a forked one
        would wait on a pipe whose other end it inherited)."""
        self._pipe.close()
        if not self._finished:
            self._process.terminate()
        self._process.join(_JOIN_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    def _receive(self) -> Any:
        try:
            failed, value = self._pipe.recv()
        except EOFError:
            self._process.join(_JOIN_SECONDS)
            raise RuntimeError("the import's planning process stopped (exit code "
                               f"{self._process.exitcode})") from None
        if failed:
            raise value
        return value


def planner_for(setup: Setup) -> Planner | PlannerProcess:
    """A process for a large input, this thread for a small one (`PROCESS_FROM`)."""
    return PlannerProcess(setup) if sum(setup.sizes) >= PROCESS_FROM else Planner(setup)


def _start_method() -> str:
    """Fork when this process runs no other thread (the command line): the planner starts
    at once, with every module it needs already imported. Otherwise (the app) spawn: a fork
    would copy other threads' locks mid-flight. Threads are counted by the system, so those
    Python never started (Qt's) count too."""
    try:
        alone = len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: not Linux
        alone = False
    return "fork" if alone else "spawn"


def _serve(pipe: Connection, setup: Setup) -> None:
    """The planning process: batches, an end, then the memory of the sets kept. Ctrl+C is
    the run's to handle: it stops taking batches, and this process stops at its next send."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        planner = Planner(setup)
        for batch in planner.batches():
            pipe.send((False, batch))
        pipe.send((False, None))
        pipe.send((False, planner.finish(pipe.recv())))
    except (BrokenPipeError, EOFError):  # the run stopped taking batches: cancelled or failed
        return
    except Exception as exc:  # raised again where the run takes its next batch
        try:
            pipe.send((True, exc))
        except Exception:  # an error that cannot be pickled: said in words
            pipe.send((True, RuntimeError(f"planning the import failed: {exc!r}")))
