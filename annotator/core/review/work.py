"""Whose work a review looks at: per document, the finished sets of its annotators and its
gold set, read in a few queries for any number of documents (docs/architecture.md, "Review").

A *finished* set is one marked done by a person (not `gold`, not the model). Its content is
what an export takes from it: accepted entities, claims with an accepted content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.rights import GOLD
from annotator.core.store import Store
from annotator.core.store.review import ClaimRow, SetRow

Entity = tuple[int, int, str]  # start, end, label


@dataclass(frozen=True, slots=True)
class Work:
    """One person's finished work on a document, as the merged picture compares it."""

    annotator: str
    entities: tuple[Entity, ...] = ()
    claims: tuple[ClaimRow, ...] = ()
    cats: dict[str, Any] = field(default_factory=dict)
    schema_hash: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentWork:
    """A document's sets: `works` of its finished annotators, `sets` of every person (any
    status, for "changed since review"), `gold` and what gold holds now."""

    doc_id: str
    num: int
    title: str
    curation: str
    works: tuple[Work, ...]
    sets: tuple[SetRow, ...]
    gold: SetRow | None
    gold_work: Work | None


def load(store: Store, doc_ids: Sequence[str] | None = None, *,
         contents: bool = True, known: Sequence[DocumentWork] = ()) -> list[DocumentWork]:
    """The documents holding any set (of `doc_ids` when given), in import order; without
    `contents` only the sets are read (a count of who finished what). `known`: documents
    as read before a change that wrote only gold (a review decision): a person's work
    whose set row is the same as then is kept, not read again."""
    rows = store.review.sets(doc_ids)
    by_doc: dict[str, list[SetRow]] = {}
    for row in rows:
        by_doc.setdefault(row.doc_id, []).append(row)
    kept = _unchanged(rows, known)
    wanted = [r.set_id for r in rows if (r.annotator == GOLD or r.status == "done")
              and r.set_id not in kept]
    entities = store.review.entities(wanted) if contents else {}
    claims = store.review.claims(wanted) if contents else {}

    def work(row: SetRow) -> Work:
        if row.set_id in kept:
            return kept[row.set_id]
        return Work(row.annotator, tuple(entities.get(row.set_id, ())),
                    tuple(claims.get(row.set_id, ())), row.cats, row.schema_hash)

    found = []
    for doc_id, sets in by_doc.items():
        gold = next((s for s in sets if s.annotator == GOLD), None)
        people = tuple(s for s in sets if s.annotator != GOLD)
        first = sets[0]
        found.append(DocumentWork(
            doc_id, first.num, first.title, first.curation,
            tuple(work(s) for s in people if s.status == "done"), people, gold,
            work(gold) if gold is not None else None))
    return found


def _unchanged(rows: Sequence[SetRow], known: Sequence[DocumentWork]) -> dict[int, Work]:
    """The known works of people, by set id, whose set rows are read the same again."""
    before = {s.set_id: (s, w) for d in known for w in d.works for s in d.sets
              if s.annotator == w.annotator}
    return {r.set_id: before[r.set_id][1] for r in rows
            if r.set_id in before and before[r.set_id][0] == r}


def load_one(store: Store, doc_id: str, *, known: DocumentWork | None = None) -> DocumentWork:
    """One document's sets and contents (a document no one has worked on holds none);
    `known` as for `load`."""
    found = load(store, [doc_id], known=() if known is None else (known,))
    if found:
        return found[0]
    document = store.documents.get(doc_id)
    if document is None:
        raise KeyError(f"document {doc_id}")
    return DocumentWork(doc_id, document.num, document.title, document.curation, (), (),
                        None, None)
