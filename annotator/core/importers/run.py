"""An import run: every file parsed and checked, then all of it stored in one transaction.

A run imports everything or nothing: any problem rolls it back, unless `skip_invalid` is
set, in which case the valid part is stored and the rest listed. Exact duplicates (same text
after newline normalisation), within the run or already in the project, are skipped and
reported — unless they carry annotations, which then attach to the document already there
(a Prodigy file holds several records per text). Annotations (our JSONL export, Prodigy,
doccano, Label Studio) are stored after their documents, in the same transaction.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.changes import DOCUMENTS, SCHEMA, WORK
from annotator.core.importers.apply import AnnotationWriter
from annotator.core.importers.manifest import schemas_of_manifest
from annotator.core.importers.planning import DocumentEntry, Setup, planner_for
from annotator.core.importers.reading import FOLDER_SUFFIXES, SUFFIXES
from annotator.core.importers.records import Problem
from annotator.core.importers.search_ahead import searched_ahead
from annotator.core.progress import Progress, no_progress
from annotator.core.read_ahead import read_ahead
from annotator.core.schema import Schema, stored_schema, with_entity_labels
from annotator.core.project import current_schema
from annotator.core.session import Session
from annotator.core.store import Store


@dataclass
class Duplicate:
    origin: str
    doc_id: str
    first_seen: str  # where the same text came from: an earlier input, or the project


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0
    annotation_sets: int = 0
    spans: int = 0
    claims: int = 0
    suggestions: int = 0  # of `spans`: a model's output, to review
    labels_added: list[str] = field(default_factory=list)  # entity labels added to the schema
    conflicts: int = 0  # spans decided differently on two records (listed in `warnings`)
    credited: int = 0  # of `annotation_sets`: named no annotator, so the importing one's


class ImportFailed(Exception):
    """Nothing was stored; `report.problems` says why."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__("\n".join(str(p) for p in report.problems))


def discover(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Files to read: given files, and the .txt/.jsonl files below given folders. A folder
    that cannot be listed and a link that leads nowhere are problems, never skipped quietly."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _walk(path, report)
            ignored = [p for p in found if p.suffix.lower() not in FOLDER_SUFFIXES]
            files += [p for p in found if p.suffix.lower() in FOLDER_SUFFIXES]
            if ignored:
                report.warnings.append(f"{path}: {len(ignored)} file(s) without a .txt or "
                                       f".jsonl ending ignored (e.g. {ignored[0].name})")
        elif not path.exists():
            report.problems.append(Problem(str(path), "no such file or folder"))
        elif path.suffix.lower() not in SUFFIXES:
            report.problems.append(Problem(str(path), "unsupported file type (expected .txt, "
                                                      ".text, .jsonl, or .json from Label "
                                                      "Studio)"))
        else:
            files.append(path)
    return files


def _walk(folder: Path, report: ImportReport) -> list[Path]:
    def unreadable(exc: OSError) -> None:
        report.problems.append(Problem(str(exc.filename or folder),
                                       f"cannot read folder ({exc.strerror})"))

    found = []
    for root, _dirs, names in os.walk(folder, onerror=unreadable):
        for name in names:
            path = Path(root) / name
            if path.is_file():
                found.append(path)
            elif path.is_symlink() and not path.exists():
                report.problems.append(Problem(str(path), "a link to nothing (its target "
                                                          f"{os.readlink(path)} is missing)"))
    return sorted(found)


def import_paths(store: Store, paths: Iterable[str | Path], *, annotator: str,
                 skip_invalid: bool = False, as_done: bool = False,
                 label_map: dict[str, str] | None = None, text_key: str | None = None,
                 add_labels: bool = False, progress: Progress = no_progress) -> ImportReport:
    """Import documents from files and folders; raise `ImportFailed` and store nothing on
    any problem unless `skip_invalid`. `as_done` takes records without an answer (a model's
    output) as finished work instead of suggestions; `label_map` renames incoming labels
    before they are mapped through the schema (`--map DRUG=ORG`); `text_key` names the
    Label Studio data field that holds the text, when it is not `text`. `add_labels` adds
    unknown entity labels to the project's schema, in the same all-or-nothing action: sets
    made by the run are made under the extended schema."""
    report = ImportReport()
    files = discover(paths, report)
    report.files = len(files)
    sizes = [f.stat().st_size if f.exists() else 0 for f in files]
    total = max(1, sum(sizes))
    schema = current_schema(store)
    known = _known_schemas(store, files, report)
    writer = AnnotationWriter(store, schema, known.get)
    session = Session(annotator)
    rights.check_admin(session.annotator, session.role, "import documents")
    setup = Setup(files, sizes, schema, annotator, known, label_map=label_map,
                  add_labels=add_labels, as_done=as_done, text_key=text_key)
    documents = _DocumentWriter(store, report)
    scopes = (DOCUMENTS, WORK, SCHEMA) if add_labels else (DOCUMENTS, WORK)
    with action(store, session, "import", scopes=scopes) as act, \
            contextlib.closing(planner_for(setup)) as planner, \
            contextlib.closing(read_ahead(planner.batches())) as batches, \
            searched_ahead(store, batches) as ready:
        for batch in ready:
            report.problems += batch.problems
            report.warnings += batch.warnings
            documents.write(batch.documents)
            report.problems += writer.write_batch(batch.annotations)
            progress(batch.read, total)
        report.warnings += writer.warnings
        report.warnings += [f"{n} {note}" for note, n in writer.notes.items()]
        if report.problems and not skip_invalid:
            raise ImportFailed(report)
        finished = planner.finish(writer.refused)
        writer.finish(finished.memory)
        if finished.labels_added:
            _extend_schema(store, schema, finished.labels_added, writer, report)
        report.annotation_sets = writer.counts["sets"]
        report.spans = writer.counts["spans"]
        report.claims = writer.counts["claims"]
        report.suggestions = writer.counts["suggested"]
        report.conflicts = writer.counts["conflicts"]
        report.credited = writer.counts["credited"]
        act.payload.update({
            "files": report.files, "imported": report.imported,
            "duplicates": len(report.duplicates), "invalid": len(report.problems),
            "annotation_sets": report.annotation_sets, "spans": report.spans,
            "claims": report.claims, "suggestions": report.suggestions,
            "labels_added": report.labels_added,
            "conflicts": report.conflicts})
        act.change.counts["imported"] = report.imported
    return report


def _known_schemas(store: Store, files: list[Path], report: ImportReport
                   ) -> dict[str, Schema]:
    """Schemas by hash a record may name as the one it was made under: the project's own,
    and those of the `manifest.json` an export wrote beside its files. The project's are
    read now: the records are read where the store is not at hand (`planning.py`)."""
    known: dict[str, Schema] = {}
    folders = {f.parent for f in files if f.suffix.lower() == ".jsonl"}
    for manifest in sorted(folder / "manifest.json" for folder in folders):
        if manifest.is_file():
            known.update(schemas_of_manifest(manifest, report.warnings.append))
    known.update((schema_hash, stored_schema(body))  # checked when it was stored
                 for schema_hash, body in store.settings.schema_bodies().items())
    return known


def _extend_schema(store: Store, schema: Schema, added: dict[str, str],
                   writer: AnnotationWriter, report: ImportReport) -> None:
    """Make the schema with the labels the run brought the project's, and the run's sets
    made under it."""
    extended = with_entity_labels(schema, list(added), "added by an import (--add-labels)")
    store.settings.add_schema(extended.hash, extended.name, extended.version,
                              extended.model_dump(mode="json"))
    writer.made_under(extended.hash)
    report.labels_added = list(added)
    report.warnings += [f"label {label} added to the schema (first seen at {where})"
                        for label, where in added.items()]


class _DocumentWriter:
    """Stores the run's new documents; reports the duplicates, of an earlier record of the
    run or of the project, that bring no annotations."""

    def __init__(self, store: Store, report: ImportReport):
        self.store = store
        self.report = report
        self.in_project: set[str] = set()  # ids of the run found in the project

    def write(self, entries: list[DocumentEntry]) -> None:
        found = self.store.documents.existing_ids(e.id for e in entries if e.row is not None)
        self.in_project |= found
        fresh = []
        for entry in entries:
            if entry.row is not None and entry.id not in found:
                fresh.append(entry.row)
            elif not entry.annotated:
                first = "the project" if entry.id in self.in_project else entry.first_seen
                self.report.duplicates.append(Duplicate(entry.origin, entry.id, first or ""))
        self.report.imported += self.store.documents.insert_many(fresh) if fresh else 0
