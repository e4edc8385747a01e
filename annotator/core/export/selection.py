"""What an export reads: one `Annotation` per document and chosen annotation set.

The selector names whose work leaves the project: an annotator's name, `gold` (the
adjudicated sets), `latest` (per document: a finished set before an unfinished one — those
only with unfinished work allowed —, gold before other annotators, then the most recently
changed) or
`model` (the project's current model suggestions, cached by `annotator.core.suggest`, read
as if the model were one more annotator). Documents marked excluded never leave, and only
finished (`done`) sets do unless unfinished work is asked for. Annotators' sets are read as
a bare dump would read them: in one snapshot, two ordered queries walked in step — the
documents with their entities and cached tokens, and the claims (`Selections`); the model's
suggestions a page of documents at a time. Either way memory stays flat however large the
project is, and nothing is written: `cache_tokens` fills the project's token cache before a
reading (see `annotator.core.tokens`).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import CUE_LABEL, SET_STATUSES, SOURCE_LABEL, Document
from annotator.core.progress import Progress, no_progress
from annotator.core.read_ahead import map_ahead
from annotator.core.store import Store
from annotator.core.store.selections import Chosen, ChosenClaim, Part
from annotator.core import tokens as token_cache
from annotator.core.tokens import DocTokens

PageMap = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]  # like `map`
LATEST = "latest"
MODEL = "model"
PAGE = 256
TOKEN_PAGE = 64  # documents whose cached tokens are unpacked in one call, a page ahead


@dataclass(frozen=True, slots=True)
class ClaimParts:
    type: str
    content: Part
    source: Part | None
    cue: Part | None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Annotation:
    """One set's work on a document; `entities` and `rejected` in text order (by start).
    `schema_hash`: the schema the set was made under (None: the current one); `task_hash`:
    the Prodigy task hash it was imported with, written back by the export."""

    doc: Document
    annotator: str
    status: str
    cats: dict[str, Any]
    updated_at: str | None
    entities: tuple[Part, ...]
    claims: tuple[ClaimParts, ...]
    rejected: tuple[Part, ...] = ()
    tokens: DocTokens | None = None  # read when the caller asks for tokens
    schema_hash: str | None = None
    task_hash: int | None = None


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
    unless `with_tokens` is false (a pass that only reads the texts). An annotator's sets
    are read in one snapshot of the project, held until the iterator is exhausted or closed:
    a caller that may stop early closes it (`contextlib.closing`), so the connection is not
    left inside a read transaction."""
    if selection.annotator == MODEL:
        return _from_model(store, progress, with_tokens)
    return _from_sets(store, selection, progress, with_tokens)


def size(store: Store, selection: Selection) -> tuple[int, int]:
    """(documents a reading of the selection goes through, selected documents whose tokens
    `cache_tokens` would make): what an export counts its progress in."""
    if selection.annotator == MODEL:
        return store.documents.count(included_only=True), 0
    n, uncached = store.selections.count(_who(selection), selection.statuses,
                                         uncached_by=token_cache.tokenizer_key())
    return n, 0 if store.read_only else uncached


def cache_tokens(store: Store, selection: Selection, progress: Progress = no_progress, *,
                 tokenize: PageMap = map) -> None:
    """Tokenize and cache the selected documents whose tokens are not cached yet, a page at
    a time — on the first export of documents never opened in the app, most of its time.
    `tokenize` maps a function over pages of texts (an export's worker processes).
    Done before the reading, which only reads. (The model's suggestions are read with their
    documents' tokens as they are cached, the missing ones made and not kept.)"""
    if selection.annotator == MODEL or store.read_only:
        return
    who, key = _who(selection), token_cache.tokenizer_key()
    _, total = store.selections.count(who, selection.statuses, uncached_by=key)
    read: list[list[str]] = []

    def pages() -> Iterator[list[str]]:
        after = 0
        while page := store.selections.without_tokens(who, selection.statuses, key,
                                                       after=after, limit=PAGE):
            read.append([doc_id for _, doc_id, _ in page])
            yield [text for _, _, text in page]
            after = page[-1][0]

    done = 0
    for blobs in tokenize(token_cache.cache_rows_of, pages()):
        ids = read.pop(0)
        token_cache.keep(store, list(zip(ids, blobs)))
        done += len(ids)
        progress(done, total)


def _who(selection: Selection) -> str | None:
    return None if selection.annotator == LATEST else selection.annotator


def _from_sets(store: Store, selection: Selection, progress: Progress, with_tokens: bool
               ) -> Iterator[Annotation]:
    """The chosen sets, read in one snapshot: documents (with their entities and cached
    tokens) and claims, two queries in document order walked in step. Tokens the cache does
    not hold are made as they are needed and not kept (`cache_tokens` keeps them)."""
    who, statuses, reads = _who(selection), selection.statuses, store.selections
    with store.snapshot():
        total, _ = reads.count(who, statuses)
        claims = _ClaimsBySet(reads.claims(who, statuses))
        pages = _pages(reads.documents(who, statuses, tokens=with_tokens), TOKEN_PAGE)
        with contextlib.closing(map_ahead(_tokens_of, pages) if with_tokens else
                                ((page, [None] * len(page)) for page in pages)) as read:
            done = 0
            for page, tokens in read:
                for chosen, doc_tokens in zip(page, tokens):
                    yield _from_set(chosen, claims.take(chosen.set_id), doc_tokens)
                done += len(page)
                progress(done, total)
    progress(total, total)


def _pages(items: Iterable[Chosen], size: int) -> Iterator[list[Chosen]]:
    items = iter(items)
    while page := list(itertools.islice(items, size)):
        yield page


def _tokens_of(page: list[Chosen]) -> list[DocTokens]:
    return token_cache.from_cache_page(
        [(chosen.tokenizer, chosen.token_blob, chosen.doc.text) for chosen in page])


class _ClaimsBySet:
    """The claims of the chosen sets, ordered like the documents, taken set by set."""

    def __init__(self, claims: Iterable[ChosenClaim]):
        self._claims = iter(claims)
        self._next = next(self._claims, None)

    def take(self, set_id: int) -> list[ChosenClaim]:
        out = []
        while self._next is not None and self._next.set_id == set_id:
            out.append(self._next)
            self._next = next(self._claims, None)
        return out


def _from_set(chosen: Chosen, claims: list[ChosenClaim], tokens: DocTokens | None
              ) -> Annotation:
    """Accepted spans are the annotation; rejected entity spans are kept for reject records;
    suggestions nobody decided on are not part of anyone's work and stay behind, and so
    does a claim whose content is not accepted."""
    parts = [ClaimParts(c.type, c.content, c.source, c.cue, c.attributes)
             for c in claims if c.content is not None]
    parts.sort(key=lambda c: c.content[:2])
    return Annotation(chosen.doc, chosen.annotator, chosen.status, chosen.cats,
                      chosen.updated_at, tuple(chosen.entities), tuple(parts),
                      tuple(chosen.rejected), tokens, chosen.schema_hash, chosen.task_hash)


def _from_model(store: Store, progress: Progress, with_tokens: bool) -> Iterator[Annotation]:
    """The project model's cached suggestions of every included document that has them, a
    page of documents at a time."""
    # Loaded only when the model is asked for; the key (model:<name>@<version>) is the
    # origin of the model's spans, and here the annotator the records are credited to.
    from annotator.core.suggest.materialise import project_model
    from annotator.core.suggest.pipeline import key_for

    key = key_for(project_model(store))
    total = store.documents.count(included_only=True)
    page: list[Document] = []
    for done, doc in enumerate(store.documents.iter_all(PAGE, included_only=True), 1):
        page.append(doc)
        if len(page) == PAGE:
            yield from _model_page(store, key, page, with_tokens)
            progress(done, total)
            page = []
    yield from _model_page(store, key, page, with_tokens)
    progress(total, total)


def _model_page(store: Store, key: str, docs: list[Document], with_tokens: bool
                ) -> Iterator[Annotation]:
    from annotator.core.suggest import cached_payload

    payloads = {doc.id: payload for doc in docs
                if (payload := cached_payload(store, doc.id)) is not None}
    tokens = (token_cache.read_tables(store, [d for d in docs if d.id in payloads])
              if with_tokens else {})
    for doc in docs:
        payload = payloads.get(doc.id)
        if payload is None:
            continue
        entities = tuple(sorted((s["start"], s["end"], s["label"])
                                for s in payload.get("spans", [])))
        claims = []
        for claim in payload.get("claims", []):
            source, cue = claim.get("source"), claim.get("cue")
            claims.append(ClaimParts(
                claim["type"], (claim["content"]["start"], claim["content"]["end"],
                                claim["type"]),
                (source["start"], source["end"], SOURCE_LABEL) if source else None,
                (cue["start"], cue["end"], CUE_LABEL) if cue else None))
        claims.sort(key=lambda c: c.content[:2])
        yield Annotation(doc, key, "done", {}, None, entities, tuple(claims),
                         tokens=tokens.get(doc.id))
