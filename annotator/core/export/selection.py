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
project is. The reading writes nothing; an export's reading hands the tokens its worker
processes make to the project's token cache on a second connection (see
`annotator.core.tokens`), so a first export is one pass.
"""

from __future__ import annotations

import contextlib
import itertools
from collections import deque
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
KEEP_WAIT_MS = 200  # how long keeping tokens waits for another's lock before it stops


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
                     *, with_tokens: bool = True, tokenize: PageMap | None = None
                     ) -> Iterator[Annotation]:
    """Every selected annotation, documents in import order, with its document's tokens
    unless `with_tokens` is false (a pass that only reads the texts). An annotator's sets
    are read in one snapshot of the project, held until the iterator is exhausted or closed:
    a caller that may stop early closes it (`contextlib.closing`), so the connection is not
    left inside a read transaction. Tokens the cache lacks are made as they are needed: with
    `tokenize` (an export's worker processes, mapping a function over pages of texts) they
    are kept in the project's cache, without it they are not."""
    if selection.annotator == MODEL:
        return _from_model(store, progress, with_tokens)
    return _from_sets(store, selection, progress, with_tokens, tokenize)


def size(store: Store, selection: Selection) -> tuple[int, int]:
    """(documents a reading of the selection goes through, selected documents whose tokens
    it would make and keep): what an export counts its progress in and sizes its workers by."""
    if selection.annotator == MODEL:
        return store.documents.count(included_only=True), 0
    n, uncached = store.selections.count(_who(selection), selection.statuses,
                                         uncached_by=token_cache.tokenizer_key())
    return n, 0 if store.read_only else uncached


def _who(selection: Selection) -> str | None:
    return None if selection.annotator == LATEST else selection.annotator


def _from_sets(store: Store, selection: Selection, progress: Progress, with_tokens: bool,
               tokenize: PageMap | None) -> Iterator[Annotation]:
    """The chosen sets, read in one snapshot: documents (with their entities and cached
    tokens) and claims, two queries in document order walked in step, a page of documents
    at a time. Each page's tokens are unpacked on a helper thread while the page before is
    taken (`map_ahead`)."""
    who, statuses, reads = _who(selection), selection.statuses, store.selections
    with store.snapshot():
        total, _ = reads.count(who, statuses)
        claims = _ClaimsBySet(reads.claims(who, statuses))
        pages = _pages(reads.documents(who, statuses, tokens=with_tokens), TOKEN_PAGE)
        read: Iterator[tuple[tuple[list[Chosen], Any], list[Any]]]
        if not with_tokens:
            read = (((page, None), [None] * len(page)) for page in pages)
        elif tokenize is None or store.read_only:
            read = map_ahead(_tokens_of, ((page, None) for page in pages))
        else:
            read = _made_and_kept(store, pages, tokenize)
        with contextlib.closing(read):
            done = 0
            for (page, _), tokens in read:
                for chosen, doc_tokens in zip(page, tokens):
                    yield _from_set(chosen, claims.take(chosen.set_id), doc_tokens)
                done += len(page)
                progress(done, total)
    progress(total, total)


def _pages(items: Iterable[Chosen], size: int) -> Iterator[list[Chosen]]:
    items = iter(items)
    while page := list(itertools.islice(items, size)):
        yield page


def _made_and_kept(store: Store, pages: Iterable[list[Chosen]], tokenize: PageMap
                   ) -> Iterator[tuple[tuple[list[Chosen], list[bytes]], list[DocTokens]]]:
    """Pages with their tokens, the ones the cache lacks made by `tokenize` several pages
    ahead (a first export's worker processes tokenize while this thread writes records) and
    kept in the cache on a second connection, outside the reading's snapshot, a transaction
    every `PAGE` documents. The cache only speeds work up: when another's lock holds it off
    for `KEEP_WAIT_MS`, the rest of the pass keeps nothing rather than wait again."""
    key = token_cache.tokenizer_key()
    sent: deque[list[Chosen]] = deque()

    def texts() -> Iterator[list[str]]:
        for page in pages:
            sent.append(page)
            yield [chosen.doc.text for chosen in page if not _cached(chosen, key)]

    made = ((sent.popleft(), blobs) for blobs in tokenize(token_cache.cache_rows_of, texts()))
    with store.beside(lock_wait_ms=KEEP_WAIT_MS) as cache, \
            contextlib.closing(map_ahead(_tokens_of, made)) as read:
        fresh: list[tuple[str, bytes]] = []
        keeping = True
        for (page, blobs), tokens in read:
            if keeping:
                fresh += zip((c.doc.id for c in page if not _cached(c, key)), blobs)
            if len(fresh) >= PAGE:
                keeping, fresh = token_cache.keep(cache, fresh), []
            yield (page, blobs), tokens
        if keeping:
            token_cache.keep(cache, fresh)


def _cached(chosen: Chosen, key: str) -> bool:
    return chosen.token_blob is not None and chosen.tokenizer == key


def _tokens_of(made: tuple[list[Chosen], list[bytes] | None]) -> list[DocTokens]:
    """A page's tokens: cached rows and rows just `made` for the others (in their order)
    unpacked together; without rows made, the others tokenized now."""
    page, blobs = made
    key, fresh = token_cache.tokenizer_key(), iter(blobs or ())
    return token_cache.from_cache_page(
        [(key, next(fresh), chosen.doc.text) if blobs is not None and not _cached(chosen, key)
         else (chosen.tokenizer, chosen.token_blob, chosen.doc.text) for chosen in page])


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
