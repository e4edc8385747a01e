"""Our JSONL export and Prodigy `db-out` records: `spans`, `claims`, `cats`, `answer`.

`answer: accept` is finished work (status done), `ignore` a skipped document, and `reject`
marks the record's spans as rejected (Prodigy's binary NER answers); `_status`, written by
our export for unfinished sets, restores the exact status. `_annotator_id` names whose work
it is; without it the work is the importing annotator's. Token indices are not read: they
are derived data and are recomputed on export. Relations are read as part of `claims`.
"""

from __future__ import annotations

from typing import Any

from annotator.core.importers.annotations import (AnnotationIn, ClaimIn, Labels, SpanIn, Where,
                                                  no_overlaps, offsets)
from annotator.core.model import CUE_LABEL, SET_STATUSES, SOURCE_LABEL

ANSWERS = {"accept": "done", "ignore": "skipped", "reject": None}


def is_prodigy(obj: dict[str, Any]) -> bool:
    """An answered record, or one with annotations (an empty `spans` list alone is not)."""
    return "answer" in obj or "_annotator_id" in obj or \
        any(obj.get(key) for key in ("spans", "claims", "cats"))


def parse(obj: dict[str, Any], text: str, where: Where, labels: Labels,
          remap: Any = int) -> AnnotationIn:
    answer = obj.get("answer", "accept")
    if answer not in ANSWERS:
        raise where.fail("answer", f"expected accept, reject or ignore, got {answer!r}")
    status = ANSWERS[answer]
    if "_status" in obj:
        if obj["_status"] not in SET_STATUSES:
            raise where.fail("_status", f"expected one of {', '.join(SET_STATUSES)}, "
                                        f"got {obj['_status']!r}")
        status = obj["_status"]
    annotator = obj.get("_annotator_id")
    if annotator is not None and (not isinstance(annotator, str) or not annotator.strip()):
        raise where.fail("_annotator_id", f"expected a name, got {annotator!r}")
    state = "rejected" if answer == "reject" else "accepted"
    spans = [SpanIn(*offsets(raw, text, where, f"spans[{i}]", remap=remap),
                    labels.entity(raw.get("label") if isinstance(raw, dict) else None, where,
                                  f"spans[{i}].label"), state=state)
             for i, raw in enumerate(_list(obj, "spans", where))]
    no_overlaps(spans, where, "spans")
    claims = [_claim(raw, text, where, f"claims[{i}]", labels, remap)
              for i, raw in enumerate(_list(obj, "claims", where))]
    cats = obj.get("cats")
    if cats is not None and not isinstance(cats, dict):
        raise where.fail("cats", f"expected an object, got {type(cats).__name__}")
    return AnnotationIn("import:jsonl", annotator, status, spans, claims, cats or None)


def _list(obj: dict[str, Any], key: str, where: Where) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise where.fail(key, f"expected an array, got {type(value).__name__}")
    return value


def _claim(raw: Any, text: str, where: Where, path: str, labels: Labels,
           remap: Any) -> ClaimIn:
    if not isinstance(raw, dict):
        raise where.fail(path, "expected an object")
    type_ = labels.claim_type(raw.get("type"), where, f"{path}.type")
    content = SpanIn(*offsets(raw.get("content"), text, where, f"{path}.content", remap=remap),
                     _label(raw.get("content"), type_), "claim")
    parts = {}
    for role, layer, default in (("source", "source", SOURCE_LABEL), ("cue", "cue", CUE_LABEL)):
        part = raw.get(role)
        parts[role] = None if part is None else SpanIn(
            *offsets(part, text, where, f"{path}.{role}", remap=remap), _label(part, default),
            layer)
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise where.fail(f"{path}.attributes", "expected an object")
    return ClaimIn(type_, content, parts["source"], parts["cue"], attributes)


def _label(part: Any, default: str) -> str:
    label = part.get("label") if isinstance(part, dict) else None
    return label if isinstance(label, str) and label else default
