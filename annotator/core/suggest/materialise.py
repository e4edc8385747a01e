"""Suggestions into an annotator's set: the cached payload, corpus memory applied, once.

`ensure_suggestions` is what the app calls (in a worker thread, with its own `Store`) when
an annotator opens a document. The model and corpus memory run outside any transaction, so
neither holds the write lock; the cache write and the materialisation are then one transaction.

Each set receives a model's suggestions at most once (recorded in
`suggestions_materialised`): what the annotator deleted or rejected never comes back on the
next opening. Entity suggestions overlapping any entity span already in the set (whatever its
state) are skipped, claims whose content span already exists are skipped, and a source or
cue shared by several claims is one span.

Stored spans: entities in layer ``entity`` with the schema label; for each claim a ``claim``
span labelled with the claim type, and ``source`` / ``cue`` spans labelled ``SOURCE`` /
``CUE``; all with state ``suggested`` and the model key as origin (patterns: ``pattern``).
"""

from __future__ import annotations

from typing import Any

from annotator.core.model import CUE_LABEL, SOURCE_LABEL
from annotator.core.project import current_schema
from annotator.core.suggest.engine import Suggester, with_memory
from annotator.core.suggest.memory import Coverage, memory_for
from annotator.core.suggest.pipeline import (
    DEFAULT_MODEL,
    MODEL_SETTING,
    key_for,
    load_pipeline,
    model_key,
)


def project_model(store) -> str:
    return store.settings.get(MODEL_SETTING) or DEFAULT_MODEL


def use_model(store, model: str, *, annotator: str) -> bool:
    """Make `model` the project's pipeline (one action, logged); False if it already was."""
    if model == store.settings.get(MODEL_SETTING):
        return False
    with store.transaction():
        store.settings.set(MODEL_SETTING, model)
        store.events.append(annotator, "settings.model", payload={"model": model})
    return True


def cached_payload(store, doc_id: str) -> dict[str, Any] | None:
    """The cached model payload for the project's current model and schema, if any."""
    return store.suggestions.get(doc_id, key_for(project_model(store)),
                                 current_schema(store).hash)


def ensure_suggestions(store, doc_id: str, annotator: str, *, nlp=None) -> int:
    """Compute and cache if missing, then put into the annotator's set once; returns the
    number of new suggested spans (0 when the set already had this model's suggestions)."""
    schema = current_schema(store)
    key = model_key(nlp) if nlp is not None else key_for(project_model(store))
    found = store.sets.find(doc_id, annotator)
    if found is not None and store.suggestions.was_materialised(found.id, key):
        return 0
    text = store.documents.text(doc_id)
    payload = store.suggestions.get(doc_id, key, schema.hash)
    computed = payload is None
    if computed:
        nlp = nlp or load_pipeline(project_model(store))
        (payload,) = Suggester(nlp, schema, scores=True).pipe([text])
    # Corpus memory is read and applied before the write lock is taken: at 150k decided
    # spans it takes ~0.5 s, which inside the transaction would stall the annotator's edits.
    with_decisions = with_memory(text, payload, memory_for(store, schema, annotator))
    with store.transaction():
        if computed:
            store.suggestions.put_many(key, schema.hash, [(doc_id, payload)])
        set_id = store.sets.ensure(doc_id, annotator, schema.hash).id
        if store.suggestions.was_materialised(set_id, key):
            return 0
        added = _materialise(store, set_id, with_decisions, key)
        store.suggestions.mark_materialised(set_id, key, schema.hash, added)
        store.events.append(annotator, "suggest.materialise", doc_id=doc_id,
                            payload={"model": key, "spans": added})
    return added


def _materialise(store, set_id: int, payload: dict[str, Any], key: str) -> int:
    existing = store.spans.for_set(set_id)
    taken = Coverage()
    for span in existing:
        if span.layer == "entity":
            taken.claim(span.start, span.end)
    added = 0
    for span in payload["spans"]:
        if taken.claim(span["start"], span["end"]):
            store.spans.add(set_id, span["start"], span["end"], layer="entity",
                            label=span["label"], origin=span["origin"], state="suggested",
                            score=span["score"])
            added += 1
    by_offsets = {(s.layer, s.start, s.end): s.id for s in existing if s.layer != "entity"}

    def span_id(layer: str, where: dict[str, int] | None, label: str) -> int | None:
        nonlocal added
        if where is None:
            return None
        at = (layer, where["start"], where["end"])
        if at not in by_offsets:
            by_offsets[at] = store.spans.add(set_id, at[1], at[2], layer=layer, label=label,
                                             origin=key, state="suggested").id
            added += 1
        return by_offsets[at]

    for claim in payload["claims"]:
        content = claim["content"]
        if ("claim", content["start"], content["end"]) in by_offsets:
            continue
        content_id = span_id("claim", content, claim["type"])
        store.claims.add(set_id, content_id, type=claim["type"],
                         source_span_id=span_id("source", claim["source"], SOURCE_LABEL),
                         cue_span_id=span_id("cue", claim["cue"], CUE_LABEL))
    return added
