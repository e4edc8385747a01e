"""`annotator merge OTHER...`: bring the work of other projects (annotators' files, offline
copies) into this one (docs/architecture.md, "Copying and merging projects").

Documents match by id, the hash of their text; a document this project lacks comes with its
text and meta. Every annotation set comes with its spans, claims, document labels, status,
times, version, schema hash and suggestion marks; the event log rows come too, an event this
project already has (same time, person, session, document and action) once. A set this
project also has keeps the one updated last, and the other is reported by document and
annotator. Everything is checked before anything is written — the file's version and pages,
that each text matches its id, that every label the sets use exists in this project's schema
— and all sources are merged as one admin's action, all or nothing. A source whose content
was merged before (`merges`, by fingerprint) adds nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.changes import DOCUMENTS, WORK
from annotator.core.clock import now_iso
from annotator.core.identity import doc_id_for
from annotator.core.progress import Progress, no_progress
from annotator.core.project import current_schema
from annotator.core.schema import Schema
from annotator.core.session import Session
from annotator.core.store import Location, Store, StoreError

DOC = ("id", "text", "n_chars", "title", "source", "date", "url", "meta", "curation",
       "exclude_reason", "cluster_id", "duplicate_id", "imported_at")
SET = ("id", "doc_id", "annotator", "status", "note", "cats", "schema_hash", "reviewed_by",
       "created_at", "updated_at", "version", "task_hash")
SPAN = ("id", "set_id", "start", "end", "layer", "label", "origin", "score", "state",
        "attributes", "created_at", "updated_at")
CLAIM = ("id", "set_id", "content_span_id", "source_span_id", "cue_span_id", "type",
         "attributes", "created_at", "updated_at")
EVENT = ("ts", "annotator", "session_id", "doc_id", "action", "payload")
SCHEMA = ("hash", "name", "version", "body", "added_at")
MARK = ("set_id", "model", "schema_hash", "n_spans", "created_at")
_READ = (("documents", DOC), ("annotation_sets", SET), ("spans", SPAN), ("claims", CLAIM),
         ("events", EVENT), ("schemas", SCHEMA), ("suggestions_materialised", MARK))
_CLAIM_SPANS = (2, 3, 4)  # the span ids a claim row holds


class MergeRefused(Exception):
    """Nothing was merged; the message says which file and why, in one sentence."""


@dataclass
class Conflict:
    """A set both projects changed: the one updated last was kept, this is the other."""

    doc_id: str
    title: str
    annotator: str
    kept: str  # "this project" or the source that won
    set_aside: str  # where the other came from
    set_aside_updated_at: str


@dataclass
class SourceReport:
    source: str
    already_merged: str | None = None  # when an identical merge was made, if it was
    documents: int = 0
    sets_added: int = 0
    sets_replaced: int = 0
    sets_unchanged: int = 0
    spans: int = 0
    claims: int = 0
    events: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"documents": self.documents, "sets_added": self.sets_added,
                "sets_replaced": self.sets_replaced, "sets_unchanged": self.sets_unchanged,
                "spans": self.spans, "claims": self.claims, "events": self.events,
                "conflicts": len(self.conflicts)}


@dataclass
class _Source:
    """Everything one source brings, read in one snapshot, by table."""

    location: Location
    tables: dict[str, list[tuple]]
    fingerprint: str


class _Ticks:
    """Progress over rows: read from the sources, then written."""

    def __init__(self, progress: Progress, total: int):
        self.progress, self.total, self.done = progress, total, 0
        progress(0, total)

    def add(self, n: int) -> None:
        self.done += n
        self.progress(self.done, self.total)


def merge_projects(store: Store, sources: Iterable[str | Location], *, annotator: str,
                   role: str = rights.ADMIN, progress: Progress = no_progress
                   ) -> list[SourceReport]:
    """Merge every source into `store` as one action of `annotator` (an admin); raise
    `MergeRefused` with nothing written when any source cannot be merged."""
    rights.check_admin(annotator, role, "merge projects")
    session = Session(annotator, role=role)
    locations = [Location.parse(s) for s in sources]
    schema = current_schema(store)
    ticks = _Ticks(progress, 0)
    read = [_read(store, location, ticks) for location in locations]
    reports = [SourceReport(s.location.display) for s in read]
    todo = []
    for source, report in zip(read, reports):
        _check_labels(source, schema)
        earlier = store.transfer.merged(source.fingerprint)
        if earlier is not None:
            report.already_merged = earlier[1]
        elif source.fingerprint in {s.fingerprint for s, _ in todo}:
            report.already_merged = now_iso()  # named twice, or a copy of another source
        else:
            todo.append((source, report))
    if not todo:
        return reports
    ticks.total += sum(len(rows) for s, _ in todo for rows in s.tables.values())
    touched = {row[0] for s, _ in todo for row in s.tables["documents"]}
    with action(store, session, "merge", docs=touched, scopes={WORK, DOCUMENTS}) as act:
        for source, report in todo:
            _write(store, source, report, annotator, ticks)
        act.payload["sources"] = {r.source: r.summary() for _, r in todo}
    return reports


def _read(store: Store, location: Location, ticks: _Ticks) -> _Source:
    """One source, read whole and checked: refused with one sentence when it cannot be
    opened, is damaged, is this project, or holds a document whose text is not its id's."""
    where = location.display
    if location.key == store.location.key:
        raise MergeRefused(f"{where} is this project itself: name other projects to merge")
    try:
        # A damaged page is refused as it is read (StoreDamaged): every row is read here,
        # so a whole-file integrity check would only double the reading.
        with Store(location, read_only=True) as other, other.snapshot():
            ticks.total += sum(other.transfer.count(t) for t, _ in _READ)
            digest = hashlib.sha256()
            tables = {}
            for table, columns in _READ:
                tables[table] = []
                for batch in other.transfer.rows(table, columns):
                    tables[table] += batch
                    digest.update(orjson.dumps(batch))
                    ticks.add(len(batch))
    except StoreError as exc:
        raise MergeRefused(f"{exc}; nothing was merged") from exc
    for doc_id, text, *_ in tables["documents"]:
        if doc_id_for(text) != doc_id:
            raise MergeRefused(f"{where}: the text of document {doc_id} does not match its "
                               "id (it was changed after import); nothing was merged")
    return _Source(location, tables, digest.hexdigest())


def _check_labels(source: _Source, schema: Schema) -> None:
    """Refuse a source whose sets use a label this project's schema lacks, naming them."""
    entities, types = set(schema.labels), set(schema.claim_types)
    groups = {d.name: set(d.options) for d in schema.document_labels}
    missing = set()
    for span in source.tables["spans"]:
        layer, label = span[4], span[5]
        if layer == "entity" and label not in entities:
            missing.add(f"entity {label}")
        elif layer == "claim" and label not in types:
            missing.add(f"claim type {label}")
    missing.update(f"claim type {c[5]}" for c in source.tables["claims"] if c[5] not in types)
    for row in source.tables["annotation_sets"]:
        for name, value in orjson.loads(row[5]).items():
            options = groups.get(name)
            chosen = value if isinstance(value, list) else [value]
            if options is None:
                missing.add(f"document label {name}")
            missing.update(f"document label {name}={v}" for v in chosen
                           if options is not None and v not in options)
    if missing:
        raise MergeRefused(f"{source.location.display} uses labels this project's schema "
                           f"({schema.name} {schema.version}) lacks: {', '.join(sorted(missing))}"
                           "; add them to the schema and merge again; nothing was merged")


def _work(set_row: Sequence[Any], spans: list[tuple], claims: list[tuple]) -> tuple:
    """What a set holds, without row ids and times: two sets with equal work are one."""
    by_id = {s[0]: (s[2], s[3], s[4], s[5]) for s in spans}
    return (set_row[3], set_row[4], _canonical(set_row[5]), set_row[6], set_row[7],
            sorted(((*s[2:9], _canonical(s[9])) for s in spans), key=repr),
            sorted(((*(by_id.get(c[i]) for i in _CLAIM_SPANS), c[5], _canonical(c[6]))
                    for c in claims), key=repr))


def _canonical(text: str) -> bytes:
    """JSON as one text whatever wrote it (a server's jsonb orders keys its own way)."""
    return orjson.dumps(orjson.loads(text), option=orjson.OPT_SORT_KEYS)


def _grouped(rows: list[tuple]) -> dict[int, list[tuple]]:
    by_set: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_set[row[1]].append(row)
    return by_set


def _write(store: Store, source: _Source, report: SourceReport, who: str,
           ticks: _Ticks) -> None:
    transfer, tables = store.transfer, source.tables
    titles = {row[0]: row[3] for row in tables["documents"]}
    present = store.documents.existing_ids(list(titles))
    new_docs = [row for row in tables["documents"] if row[0] not in present]
    transfer.insert("documents", DOC, new_docs)
    report.documents = len(new_docs)
    ticks.add(len(tables["documents"]))
    transfer.insert_missing("schemas", SCHEMA, tables["schemas"])

    spans, claims = _grouped(tables["spans"]), _grouped(tables["claims"])
    mine = {(row[1], row[2]): row for row in
            transfer.sets_of(sorted({row[1] for row in tables["annotation_sets"]}), SET)}
    shared = [row[0] for row in mine.values()]
    my_spans = _grouped(transfer.rows_of_sets("spans", SPAN, shared))
    my_claims = _grouped(transfer.rows_of_sets("claims", CLAIM, shared))
    added, replaced = [], []  # source set rows; (source row, this project's row) pairs
    for row in tables["annotation_sets"]:
        here = mine.get((row[1], row[2]))
        if here is None:
            added.append(row)
            continue
        if _work(row, spans[row[0]], claims[row[0]]) == \
                _work(here, my_spans[here[0]], my_claims[here[0]]):
            report.sets_unchanged += 1
            continue
        if row[9] > here[9]:
            replaced.append((row, here))
            kept, aside, when = report.source, "this project", here[9]
        else:
            kept, aside, when = "this project", report.source, row[9]
        report.conflicts.append(Conflict(row[1], titles.get(row[1], ""), row[2], kept, aside,
                                         when))
    set_ids = dict(zip((row[0] for row in added),
                       transfer.new_ids("annotation_sets", len(added))))
    transfer.insert("annotation_sets", SET, [(set_ids[r[0]], *r[1:]) for r in added])
    transfer.clear_sets([here[0] for _, here in replaced])
    for row, here in replaced:
        set_ids[row[0]] = here[0]
        transfer.replace_set(here[0], {**dict(zip(SET[3:10], row[3:10])), "task_hash": row[11],
                                       "version": max(row[10], here[10]) + 1})
    report.sets_added, report.sets_replaced = len(added), len(replaced)
    ticks.add(len(tables["annotation_sets"]))
    _bring_work(transfer, set_ids, spans, claims, report)
    ticks.add(len(tables["spans"]) + len(tables["claims"]))
    transfer.insert_missing("suggestions_materialised", MARK,
                            [(set_ids[m[0]], *m[1:]) for m in tables["suggestions_materialised"]
                             if m[0] in set_ids])
    known = transfer.event_keys(sorted({e[1] for e in tables["events"]}))
    events = [e for e in tables["events"] if e[:5] not in known]
    transfer.insert("events", EVENT, events)
    report.events = len(events)
    ticks.add(len(tables["events"]) + len(tables["schemas"]) +
              len(tables["suggestions_materialised"]))
    transfer.record_merge(report.source, source.fingerprint, now_iso(), who, report.summary())


def _bring_work(transfer, set_ids: dict[int, int], spans: dict[int, list[tuple]],
                claims: dict[int, list[tuple]], report: SourceReport) -> None:
    """The spans and claims of the sets brought, under new ids in this project."""
    moved = [s for old in set_ids for s in spans[old]]
    span_ids = dict(zip((s[0] for s in moved), transfer.new_ids("spans", len(moved))))
    transfer.insert("spans", SPAN, [(span_ids[s[0]], set_ids[s[1]], *s[2:]) for s in moved])
    moved_claims = [c for old in set_ids for c in claims[old]]
    claim_ids = transfer.new_ids("claims", len(moved_claims))
    transfer.insert("claims", CLAIM, [
        (new, set_ids[c[1]], *(span_ids.get(c[i]) for i in _CLAIM_SPANS), *c[5:])
        for new, c in zip(claim_ids, moved_claims)])
    report.spans, report.claims = len(moved), len(moved_claims)
