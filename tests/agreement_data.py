"""Projects for the agreement tests: documents with each annotator's finished work, written
through the store as an import or a merge leaves them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.identity import doc_id_for
from annotator.core.project import current_schema

Entity = tuple[int, int, str]
# content (start, end), type, source (start, end) or None, cue (start, end) or None
Claim = tuple[tuple[int, int], str, tuple[int, int] | None, tuple[int, int] | None]


def add_document(store, text: str, title: str = "") -> str:
    doc_id = doc_id_for(text)
    with store.transaction():
        store.documents.insert_many([{"id": doc_id, "text": text, "title": title or text[:20],
                                      "meta": {}}])
    return doc_id


def annotate(store, doc_id: str, annotator: str, entities: Sequence[Entity] = (),
             claims: Sequence[Claim] = (), cats: dict[str, Any] | None = None,
             status: str = "done") -> None:
    with store.transaction():
        aset = store.sets.ensure(doc_id, annotator, current_schema(store).hash)
        for start, end, label in entities:
            store.spans.add(aset.id, start, end, layer="entity", label=label, origin="human",
                            state="accepted")
        for (start, end), kind, source, cue in claims:
            content = store.spans.add(aset.id, start, end, layer="claim", label=kind,
                                      origin="human", state="accepted")
            parts = {}
            for role, span, label in (("source", source, "SOURCE"), ("cue", cue, "CUE")):
                if span is not None:
                    parts[f"{role}_span_id"] = store.spans.add(
                        aset.id, *span, layer=role, label=label, origin="human",
                        state="accepted").id
            store.claims.add(aset.id, content.id, type=kind, **parts)
        store.sets.update(aset.id, status=status, cats=cats or {})
