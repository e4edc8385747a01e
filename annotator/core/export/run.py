"""One export run: select, check, write into a temporary folder, then rename it into place.

Nothing is ever half-written: the files go to a hidden sibling folder, and only when every
record has passed validation and the manifest is written is that folder renamed to the
output path. A failure removes it; a run that was killed cannot, so the next export into
the same place removes the hidden folders of runs whose process is gone (the folder's name
holds its process id). An existing non-empty output folder is refused, so an earlier export
is never overwritten. The finished folder gets the permissions the user's umask gives a new
folder, not the private ones of a temporary folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.core.clock import now_iso
from annotator.core.curate.exclusion import by_reason
from annotator.core.export.manifest import (Tally, build_manifest, schemas_entry,
                                            write_manifest)
from annotator.core.export.parallel import token_workers
from annotator.core.export.record import RecordBuilder
from annotator.core.export.selection import (MODEL, PageMap, Selection, iter_annotations,
                                             size)
from annotator.core.export.splits import (NEAR_DUPLICATE, STORY_JACCARD, STORY_MIN_SHARED,
                                          SplitSpec, assign, parse_split)
from annotator.core.export.validate import ExportError
from annotator.core.export.writers import writer_for
from annotator.core.progress import Progress, no_progress
from annotator.core.project import current_schema
from annotator.core.schema import Schema, stored_schema
from annotator.core.store import GOLD, Store

FORMATS = ("jsonl", "spacy", "conll")
ALL = "all"  # the file name stem when there is no split


@dataclass(frozen=True)
class ExportOptions:
    format: str = "jsonl"
    annotator: str = "latest"
    include_unfinished: bool = False
    with_rejected: bool = False
    split: str | None = None
    seed: int = 0


@dataclass
class ExportResult:
    folder: Path
    manifest: dict[str, Any]


class ExportExists(ExportError):
    """The output folder already holds something."""


def default_folder(options: ExportOptions, base: Path = Path("exports")) -> Path:
    """`exports/<UTC time>-<format>-<annotator>`, with a counter if that name is taken."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    who = "".join(c if c.isalnum() or c in "-_" else "_" for c in options.annotator)
    folder = base / f"{stamp}-{options.format}-{who}"
    n = 2
    while folder.exists():
        folder = base / f"{stamp}-{options.format}-{who}-{n}"
        n += 1
    return folder


def export_dataset(store: Store, options: ExportOptions, out: str | Path, *,
                   command: str = "", progress: Progress = no_progress) -> ExportResult:
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportExists(f"{out} already exists and is not empty; an earlier export is never "
                           "overwritten (choose another --out or remove it)")
    if options.format not in FORMATS:
        raise ExportError(f"unknown format {options.format!r}; expected one of {FORMATS}")
    spec = parse_split(options.split) if options.split else None
    selection = Selection(options.annotator, options.include_unfinished)
    per_pass, to_tokenize = size(store, selection)
    before_writing = per_pass if spec else 0
    total = before_writing + per_pass
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(out.parent)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=PARTIAL,
                                 dir=out.parent))
    try:
        with token_workers(to_tokenize) as workers:
            # One snapshot for both passes: a document finished in between must not reach
            # the writing pass without a split.
            with store.snapshot():
                splits, grouping = ({}, {}) if spec is None else _group(
                    store, selection, spec, options.seed, _step(progress, 0, total))
                manifest = _write(store, options, selection, splits, temp, command,
                                  _step(progress, before_writing, total),
                                  workers.map if to_tokenize else None)
        manifest["grouping"].update(grouping)
        write_manifest(temp, manifest)
        temp.chmod(0o777 & ~_umask())
        if out.exists():
            out.rmdir()  # checked empty above
        temp.rename(out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return ExportResult(out, manifest)


PARTIAL = ".partial"


def _remove_abandoned(parent: Path) -> None:
    """Hidden folders of exports whose process no longer runs (killed mid-write)."""
    for folder in parent.glob(f".*{PARTIAL}"):
        parts = folder.name.removesuffix(PARTIAL).split(".")
        pid = int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None
        if pid is not None and pid != os.getpid() and not _running(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _step(progress: Progress, before: int, total: int) -> Progress:
    """A step's own (done, of) reports as the whole export's: `before` documents done by
    the steps before it, `total` in all (grouping for a split, then writing, which tokenizes
    what is not cached). Every step reports, so a cancel reaches each."""
    return lambda done, _of: progress(before + done, total)


def _group(store: Store, selection: Selection, spec: SplitSpec, seed: int, progress: Progress
           ) -> tuple[dict[str, str], dict[str, Any]]:
    """A split's first pass: groups need every selected document. Returns each document's
    split and what the manifest says of the grouping."""
    # Imported here: numpy costs every other command's start.
    from annotator.core.export.grouping import Grouper

    grouper = Grouper()
    with contextlib.closing(iter_annotations(store, selection, progress,
                                             with_tokens=False)) as annotations:
        for ann in annotations:
            grouper.add(ann.doc.id, ann.doc.text)
    groups = grouper.groups()
    splits = assign(groups, spec, seed)
    filled = set(splits.values())
    empty = [name for name, share in zip(spec.names, spec.shares)
             if share > 0 and name not in filled]
    return splits, {"groups": len(groups), "joins": grouper.joins, "empty_splits": empty}


def _write(store: Store, options: ExportOptions, selection: Selection, splits: dict[str, str],
           folder: Path, command: str, progress: Progress, tokenize: PageMap | None
           ) -> dict[str, Any]:
    schema = current_schema(store)
    writer = writer_for(options.format, folder, schema)
    builder = RecordBuilder(schema, with_rejected=options.with_rejected,
                            json_tokens=writer.json_tokens, schemas=_schemas(store))
    tally = Tally()
    fingerprint = hashlib.sha256()
    try:
        with contextlib.closing(iter_annotations(store, selection, progress,
                                                 tokenize=tokenize)) as annotations:
            for ann in annotations:
                split = splits[ann.doc.id] if splits else ALL
                fingerprint.update(ann.doc.id.encode())
                tally.add_document(split)
                for built in builder.build(ann):
                    tally.add(split, built.record, writer.write(split, built.record),
                              built.split_tokens)
    finally:
        files = writer.close()
    included = store.documents.count(included_only=True)
    if options.annotator == MODEL:  # the model's "work" is its cached suggestions
        uncached = included - sum(c["documents"] for c in tally.splits.values())
        if uncached:
            tally.left_out["documents without the model's cached suggestions (annotator "
                           "suggest computes them)"] = uncached
    if not tally.annotators:
        raise ExportError(_nothing_message(options))
    about = {"review": _review(store)} if GOLD in tally.annotators else {}
    return build_manifest(
        tally, folder, files, format=options.format, version=__version__, created_at=now_iso(),
        command=command, options=asdict(options),
        schema={"name": schema.name, "version": schema.version, "hash": schema.hash,
                "labels": schema.labels},
        schemas=schemas_entry(builder.used, tally),
        project={"file": store.location.name,
                 "bytes": store.location.path.stat().st_size if store.location.is_file
                 else None,
                 "documents": store.documents.count(), "included": included,
                 "excluded": by_reason(store.documents.exclusion_reasons()),
                 "fingerprint": fingerprint.hexdigest()},
        grouping=_grouping(options), **about)


def _review(store: Store) -> dict[str, Any]:
    """The review report (`annotator review report --json`): how each annotator's work
    compares with the gold the export is made of."""
    # Imported here: the review modules cost every other command's start.
    from annotator.core.review.report import review_report

    return review_report(store).as_json()


def _schemas(store: Store) -> dict[str, Schema]:
    """The schemas the project has used, by hash: each set names the one it was made under.
    They were checked when they were stored; a check added since does not refuse them."""
    return {h: stored_schema(body) for h, body in store.settings.schema_bodies().items()}


def _nothing_message(options: ExportOptions) -> str:
    which = "sets" if options.include_unfinished else "finished (done) sets"
    hint = "" if options.include_unfinished else "; --include-unfinished widens the selection"
    return f"nothing to export: no {which} for annotator {options.annotator!r}{hint}"


def _grouping(options: ExportOptions) -> dict[str, Any]:
    if not options.split:
        return {"description": "No split: every record is in one file."}
    return {
        "near_duplicate_jaccard": NEAR_DUPLICATE, "story_min_shared_names": STORY_MIN_SHARED,
        "story_jaccard": STORY_JACCARD, "seed": options.seed, "split": options.split,
        "description": (
            f"Split {options.split} by documents with seed {options.seed}. Near-duplicates "
            f"(MinHash Jaccard ≥ {NEAR_DUPLICATE} over word 5-shingles) and reports of the "
            f"same story (≥ {STORY_MIN_SHARED} shared capitalised names, name-set Jaccard ≥ "
            f"{STORY_JACCARD}) are grouped, and a group never spans two splits.")}
