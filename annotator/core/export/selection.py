"""What an export reads: one `Annotation` per document and chosen annotation set.

The selector names whose work leaves the project: an annotator's name, `gold` (the
adjudicated sets), `latest` (per document: a finished set before an unfinished one — those
only with unfinished work allowed —, gold before other annotators, then the most recently
changed) or
`model` (the project's current model suggestions, cached by `annotator.core.suggest`, read
as if the model were one more annotator). Documents marked excluded never leave, and only
finished (`done`) sets do unless unfinished work is asked for. Reading goes page by page, so
memory stays flat however large the project is; each page brings its documents' tokens from
the project's token cache (filled there the first time, see `annotator.core.tokens`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from annotator.core.model import (CUE_LABEL, SET_STATUSES, SOURCE_LABEL, AnnotationSet, Claim,
                                  Document)
from annotator.core.progress import Progress, no_progress
from annotator.core.store import GOLD, Store
from annotator.core.tokens import TokenTable, cached_tables

LATEST = "latest"
MODEL = "model"
PAGE = 256


class Part(NamedTuple):
    """A stretch of text as exported: offsets into the document and its label (a named
    tuple: an export makes one per span, and a tuple is made several times faster)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class ClaimParts:
    type: str
    content: Part
    source: Part | None
    cue: Part | None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Annotation:
    """One set's work on a document; `entities` and `rejected` in text order (by start)."""

    doc: Document
    annotator: str
    status: str
    cats: dict[str, Any]
    updated_at: str | None
    entities: tuple[Part, ...]
    claims: tuple[ClaimParts, ...]
    rejected: tuple[Part, ...] = ()
    tokens: TokenTable | None = None  # read when the caller asks for tokens


@dataclass(frozen=True)
class Selection:
    annotator: str = LATEST
    include_unfinished: bool = False

    @property
    def statuses(self) -> Sequence[str]:
        return SET_STATUSES if self.include_unfinished else ("done",)


def iter_annotations(store: Store, selection: Selection, progress: Progress = no_progress,
                     *, with_tokens: bool = True) -> Iterator[Annotation]:
    """Every selected annotation, documents in import order, with its document's tokens
    unless `with_tokens` is false (a pass that only reads the texts)."""
    total = store.documents.count(included_only=True)
    page: list[Document] = []
    done = 0
    for doc in store.documents.iter_all(PAGE, included_only=True):
        page.append(doc)
        if len(page) == PAGE:
            yield from _page(store, selection, page, with_tokens)
            done += len(page)
            progress(done, total)
            page = []
    yield from _page(store, selection, page, with_tokens)
    progress(total, total)


def _page(store: Store, selection: Selection, docs: list[Document],
          with_tokens: bool) -> Iterator[Annotation]:
    if not docs:
        return iter(())
    tables = partial(cached_tables, store) if with_tokens else _no_tables
    return (_from_model(store, docs, tables) if selection.annotator == MODEL
            else _from_sets(store, selection, docs, tables))


# Token tables of the documents that have something to export, asked for once per page
# before the annotations are made (on a cold cache, only those documents are tokenized).
Tables = Callable[[list[Document]], dict[str, TokenTable]]


def _no_tables(docs: list[Document]) -> dict[str, TokenTable]:
    return {}


def _from_sets(store: Store, selection: Selection, docs: list[Document], tables: Tables
               ) -> Iterator[Annotation]:
    name = None if selection.annotator == LATEST else selection.annotator
    sets = store.sets.for_documents([d.id for d in docs], annotator=name,
                                    statuses=selection.statuses)
    chosen: dict[str, AnnotationSet] = {}
    for aset in sets:
        if aset.doc_id not in chosen or _rank(aset) > _rank(chosen[aset.doc_id]):
            chosen[aset.doc_id] = aset
    ids = [s.id for s in chosen.values()]
    spans = store.spans.decided_for_sets(ids)
    claims = store.claims.for_sets(ids)
    tokens = tables([doc for doc in docs if doc.id in chosen])
    for doc in docs:
        aset = chosen.get(doc.id)
        if aset is not None:
            yield _from_set(doc, aset, spans[aset.id], claims[aset.id], tokens.get(doc.id))


def _rank(aset: AnnotationSet) -> tuple[bool, bool, str]:
    """How `latest` prefers one set of a document over another."""
    return aset.status == "done", aset.annotator == GOLD, aset.updated_at


def _from_set(doc: Document, aset: AnnotationSet, spans: list[tuple],
              claims: list[Claim], tokens: TokenTable | None) -> Annotation:
    """Accepted spans are the annotation; rejected entity spans are kept for reject records;
    suggestions nobody decided on are not part of anyone's work and stay behind. `spans`
    are the set's decided rows (`Spans.decided_for_sets`)."""
    entities, rejected = [], []
    for _, _, start, end, label, is_entity, is_accepted in spans:
        if is_entity:
            (entities if is_accepted else rejected).append(Part(start, end, label))
    parts = []
    if claims:
        by_id = {row[1]: row for row in spans}
        for claim in claims:
            content = _accepted(by_id.get(claim.content_span_id))
            if content is not None:
                parts.append(ClaimParts(claim.type, content,
                                        _accepted(by_id.get(claim.source_span_id)),
                                        _accepted(by_id.get(claim.cue_span_id)),
                                        claim.attributes))
        parts.sort(key=lambda c: (c.content.start, c.content.end))
    rejected.sort()  # rows come by (start, id): rejected forms may share a start
    return Annotation(doc, aset.annotator, aset.status, aset.cats, aset.updated_at,
                      tuple(entities), tuple(parts), tuple(rejected), tokens)


def _accepted(row: tuple | None) -> Part | None:
    if row is None or not row[6]:
        return None
    return Part(row[2], row[3], row[4])


def _from_model(store: Store, docs: list[Document], tables: Tables) -> Iterator[Annotation]:
    # Loaded only when the model is asked for; the key (model:<name>@<version>) is the
    # origin of the model's spans, and here the annotator the records are credited to.
    from annotator.core.suggest import cached_payload
    from annotator.core.suggest.materialise import project_model
    from annotator.core.suggest.pipeline import key_for

    key = key_for(project_model(store))
    payloads = {doc.id: payload for doc in docs
                if (payload := cached_payload(store, doc.id)) is not None}
    tokens = tables([doc for doc in docs if doc.id in payloads])
    for doc in docs:
        payload = payloads.get(doc.id)
        if payload is None:
            continue
        entities = tuple(sorted((Part(s["start"], s["end"], s["label"])
                                 for s in payload.get("spans", [])),
                                key=lambda p: (p.start, p.end)))
        claims = []
        for claim in payload.get("claims", []):
            source, cue = claim.get("source"), claim.get("cue")
            claims.append(ClaimParts(
                claim["type"], Part(claim["content"]["start"], claim["content"]["end"],
                                    claim["type"]),
                Part(source["start"], source["end"], SOURCE_LABEL) if source else None,
                Part(cue["start"], cue["end"], CUE_LABEL) if cue else None))
        claims.sort(key=lambda c: (c.content.start, c.content.end))
        yield Annotation(doc, key, "done", {}, None, entities, tuple(claims),
                         tokens=tokens.get(doc.id))
