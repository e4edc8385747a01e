"""Finished work of several annotators on a seed, with a disagreement of every kind, for the
review tests."""

from __future__ import annotations

from annotator.core.project import current_schema
from annotator.core.store.review import ClaimRow

CONTENT = "senior Israeli and Syrian officials met in Paris with American sponsorship"


def at(text: str, words: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words), label


def rng(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def finish(store, doc_id: str, annotator: str, entities=(), claims=(), cats=None,
           status: str = "done") -> int:
    """The annotator's set on the document, holding exactly these, marked `status`."""
    with store.transaction():
        aset = store.sets.ensure(doc_id, annotator, current_schema(store).hash)
        for start, end, label in entities:
            store.spans.add(aset.id, start, end, layer="entity", label=label, origin="human",
                            state="accepted")
        for claim in claims:
            content = store.spans.add(aset.id, claim.start, claim.end, layer="claim",
                                      label=claim.type, origin="human", state="accepted")
            parts = {}
            for role, where, label in (("source", claim.source, "SOURCE"),
                                       ("cue", claim.cue, "CUE")):
                if where:
                    parts[f"{role}_span_id"] = store.spans.add(
                        aset.id, *where, layer=role, label=label, origin="human",
                        state="accepted").id
            store.claims.add(aset.id, content.id, type=claim.type, **parts)
        store.sets.update(aset.id, status=status, cats=cats or {})
    return aset.id


def two_annotators(store, doc_id: str) -> dict:
    """alice and bob on the first seed: agreed Paris and Tuesday and genre; a label, a
    boundary, an only-one, a claim-part and a document-label conflict."""
    text = store.documents.text(doc_id)
    claim = ClaimRow(*rng(text, CONTENT), "indirect", rng(text, "the statement"),
                     rng(text, "According to"))
    shared = [at(text, "Paris", "GPE"), at(text, "Tuesday", "DATE")]
    alice = [*shared, at(text, "Kurdistan24", "ORG"), at(text, "the US Department of State", "ORG"),
             at(text, "Syria", "GPE")]
    bob = [*shared, at(text, "Kurdistan24", "GPE"), at(text, "US Department of State", "ORG")]
    finish(store, doc_id, "alice", alice, [claim],
           {"relevance": "relevant", "genre": "news_report"})
    finish(store, doc_id, "bob", bob, [claim._replace(type="direct_quote")],
           {"relevance": "partly_relevant", "genre": "news_report"})
    return {"text": text, "claim": claim, "alice": alice, "bob": bob}
