"""Suggestions for an annotator: the cached model payload with their corpus memory applied,
shown as a preview while they only look, put into their set once they work on it.

Viewing writes nothing (docs/architecture.md, "People and rights"): `suggestions_for`
computes (and caches, derived data) the model payload and applies memory, outside any
transaction; `plan` turns it into the rows it would add, which a front end shows as a preview.
When the annotator starts working (`workflow.start_work`, or `ensure_suggestions`, the
explicit start), `put_suggestions` adds those rows inside that action.

Each set receives a model's suggestions at most once (recorded in `suggestions_materialised`):
what the annotator deleted or rejected never comes back. Entity suggestions overlapping any
entity span already in the set (whatever its state) are skipped, claims whose content span
already exists are skipped, and a source or cue shared by several claims is one span.

Stored spans: entities in layer ``entity`` with the schema label; for each claim a ``claim``
span labelled with the claim type, and ``source`` / ``cue`` spans labelled ``SOURCE`` /
``CUE``; all with state ``suggested`` and the model key as origin (patterns: ``pattern``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.invariants import Coverage
from annotator.core.model import CUE_LABEL, SOURCE_LABEL, Claim, Span
from annotator.core.project import current_schema
from annotator.core.session import Session
from annotator.core.suggest.engine import Suggester, with_memory
from annotator.core.suggest.memory import memory_for
from annotator.core.suggest.pipeline import (
    DEFAULT_MODEL,
    MODEL_SETTING,
    key_for,
    load_pipeline,
    model_key,
)


def project_model(store) -> str:
    return store.settings.get(MODEL_SETTING) or DEFAULT_MODEL


def use_model(store, model: str, *, annotator: str, role: str = rights.ADMIN) -> bool:
    """Make `model` the project's pipeline (one action, an admin's); False if it already was."""
    if model == store.settings.get(MODEL_SETTING):
        return False
    session = Session(annotator, role=role)
    rights.check_admin(session.annotator, session.role, "change the project's model")
    with action(store, session, "settings.model", payload={"model": model}):
        store.settings.set(MODEL_SETTING, model)
    return True


def cached_payload(store, doc_id: str) -> dict[str, Any] | None:
    """The cached model payload for the project's current model and schema, if any."""
    return store.suggestions.get(doc_id, key_for(project_model(store)),
                                 current_schema(store).hash)


@dataclass(frozen=True, slots=True)
class Suggestions:
    """One annotator's suggestions for one document: the model key and the payload with
    their memory applied."""

    doc_id: str
    key: str
    schema_hash: str
    payload: dict[str, Any]


def suggestions_for(store, doc_id: str, annotator: str, *, nlp=None) -> Suggestions:
    """The model payload (computed and cached when missing) with the annotator's memory.

    Runs outside any transaction: the model and memory take time that must never hold the
    write lock the annotator's edits need."""
    schema = current_schema(store)
    key = model_key(nlp) if nlp is not None else key_for(project_model(store))
    text = store.documents.text(doc_id)
    payload = store.suggestions.get(doc_id, key, schema.hash)
    if payload is None:
        nlp = nlp or load_pipeline(project_model(store))
        (payload,) = Suggester(nlp, schema, scores=True).pipe([text])
        with store.transaction():  # the cache is derived data: no event, no change to show
            store.suggestions.put_many(key, schema.hash, [(doc_id, payload)])
    return Suggestions(doc_id, key, schema.hash,
                       with_memory(text, payload, memory_for(store, schema, annotator)))


@dataclass(slots=True)
class Plan:
    """Rows a payload adds to a set: new spans get ids -1, -2, ...; claims point at those or
    at spans already in the set."""

    spans: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)

    def preview(self, set_id: int = 0) -> tuple[list[Span], list[Claim]]:
        """The planned rows as records with negative ids, for a front end to show."""
        spans = [Span(-(i + 1), set_id, s["start"], s["end"], s["layer"], s["label"],
                      s["origin"], "suggested", s.get("score")) for i, s in enumerate(self.spans)]
        claims = [Claim(-(i + 1), set_id, c["content"], c["source"], c["cue"], c["type"])
                  for i, c in enumerate(self.claims)]
        return spans, claims


def plan(payload: dict[str, Any], key: str, existing: list[Span] = ()) -> Plan:
    """What putting `payload` into a set holding `existing` would add."""
    planned = Plan()
    taken = Coverage()
    for span in existing:
        if span.layer == "entity":
            taken.claim(span.start, span.end)

    def new(layer: str, start: int, end: int, label: str, origin: str,
            score: float | None = None) -> int:
        planned.spans.append({"layer": layer, "start": start, "end": end, "label": label,
                              "origin": origin, "score": score})
        return -len(planned.spans)

    for span in payload["spans"]:
        if taken.claim(span["start"], span["end"]):
            new("entity", span["start"], span["end"], span["label"], span["origin"],
                span["score"])
    by_offsets = {(s.layer, s.start, s.end): s.id for s in existing if s.layer != "entity"}

    def part(layer: str, where: dict[str, int] | None, label: str) -> int | None:
        if where is None:
            return None
        at = (layer, where["start"], where["end"])
        if at not in by_offsets:
            by_offsets[at] = new(layer, at[1], at[2], label, key)
        return by_offsets[at]

    for claim in payload["claims"]:
        content = claim["content"]
        if ("claim", content["start"], content["end"]) in by_offsets:
            continue
        planned.claims.append({"type": claim["type"],
                               "content": part("claim", content, claim["type"]),
                               "source": part("source", claim["source"], SOURCE_LABEL),
                               "cue": part("cue", claim["cue"], CUE_LABEL)})
    return planned


def received(store, set_id: int, key: str) -> bool:
    """Whether the set has had this model's suggestions. Before models were named by the
    hash of their files (`model_id`), a set recorded `model:<name>@<version>` alone: such a
    set has had them too, so what its annotator deleted does not come back after an upgrade."""
    legacy = key.partition("#")[0]
    return store.suggestions.was_materialised(set_id, key) or (
        legacy != key and store.suggestions.was_materialised(set_id, legacy))


def put_suggestions(store, set_id: int, suggestions: Suggestions) -> int:
    """Add the suggestions to a set once, inside the caller's action; returns the number
    of spans added (0 when the set already received this model's suggestions)."""
    if received(store, set_id, suggestions.key):
        return 0
    planned = plan(suggestions.payload, suggestions.key, store.spans.for_set(set_id))
    ids: dict[int, int] = {}
    for number, span in enumerate(planned.spans, start=1):
        ids[-number] = store.spans.add(set_id, span["start"], span["end"], layer=span["layer"],
                                       label=span["label"], origin=span["origin"],
                                       state="suggested", score=span["score"]).id

    def real(span_id: int | None) -> int | None:
        return ids.get(span_id, span_id) if span_id is not None else None

    for claim in planned.claims:
        store.claims.add(set_id, real(claim["content"]), type=claim["type"],
                         source_span_id=real(claim["source"]), cue_span_id=real(claim["cue"]))
    store.suggestions.mark_materialised(set_id, suggestions.key, suggestions.schema_hash,
                                        len(planned.spans))
    return len(planned.spans)


def ensure_suggestions(store, doc_id: str, annotator: str, *, nlp=None) -> int:
    """The explicit start with suggestions: the annotator's set (created if needed) receives
    the model's suggestions once. Returns the number of new suggested spans."""
    found = store.sets.find(doc_id, annotator)
    key = model_key(nlp) if nlp is not None else key_for(project_model(store))
    if found is not None and received(store, found.id, key):
        return 0
    suggestions = suggestions_for(store, doc_id, annotator, nlp=nlp)
    session = Session(annotator)
    with action(store, session, "suggest.materialise", docs=[doc_id],
                payload={"model": suggestions.key}) as act:
        set_id = store.sets.ensure(doc_id, annotator, suggestions.schema_hash).id
        added = put_suggestions(store, set_id, suggestions)
        act.payload["spans"] = added
        act.change.counts["suggested"] = added
    return added
