"""Our JSONL export and Prodigy `db-out` records: `spans`, `claims`, `cats`, `answer`.

Prodigy keeps every decision as its own record, several per text, and the rules that turn
them into one annotation set per annotator (docs/architecture.md, "Imports and exports"):

- `ignore` contributes nothing (the set is only marked skipped, if nothing else decides);
- a span's own `answer` overrides its record's;
- decisions that conflict on one span resolve to the latest (`_timestamp`, else file order)
  and are reported with their line numbers (`apply`);
- binary decisions (`ner.teach`, `textcat.teach`: `_view_id` `ner` or `classification`,
  or a record carrying the model's `score`) leave the set in progress; a manual view's
  `accept` finishes it;
- a record without `answer` is a model's output: its spans arrive as suggestions, unless
  the user imports it as done;
- document-level decisions — `label` with `answer` (textcat), `options` with `accept`
  (choice views), `cats` — become document labels, mapped through the schema.

`_status`, written by our export for unfinished sets, restores the exact status.
`_annotator_id` names whose work it is; without it the work is the importing annotator's.
`_input_hash` (kept in the document's meta) and `_task_hash` (kept on the set) are written
back by the export (`jsonl`).
Token indices are not read: they are derived data and are recomputed on export. Relations
are read as part of `claims`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.core.importers.annotations import (EXACT, FINISHED, PARTIAL, SKIPPED,
                                                  AnnotationIn, ClaimIn, Labels, SpanIn, Where,
                                                  no_overlaps, offsets)
from annotator.core.importers.records import storable
from annotator.core.model import CUE_LABEL, SET_STATUSES, SOURCE_LABEL

ANSWERS = ("accept", "reject", "ignore")
# The state a record's answer gives its spans. An `ignore` record reaches the spans only
# with our export's `_status` (an unfinished set), whose spans are the set's entities.
STATES = {"accept": "accepted", "reject": "rejected", "ignore": "accepted", None: "suggested"}
BINARY_VIEWS = ("ner", "classification", "binary")


def is_prodigy(obj: dict[str, Any]) -> bool:
    """An answered record, or one with annotations (an empty `spans` list alone is not)."""
    return "answer" in obj or "_annotator_id" in obj or \
        any(obj.get(key) for key in ("spans", "claims", "cats"))


def parse(obj: dict[str, Any], text: str, where: Where, labels: Labels,
          remap: Any = int) -> AnnotationIn:
    answer = obj.get("answer")
    if answer is not None and (not isinstance(answer, str) or answer not in ANSWERS):
        raise where.fail("answer", f"expected accept, reject or ignore, got {answer!r}")
    annotator = obj.get("_annotator_id")
    if annotator is not None and (not isinstance(annotator, str) or not annotator.strip()):
        raise where.fail("_annotator_id", f"expected a name, got {annotator!r}")
    storable(annotator, where, "_annotator_id")
    timestamp = obj.get("_timestamp")
    if timestamp is not None and (not isinstance(timestamp, (int, float))
                                  or isinstance(timestamp, bool)):
        raise where.fail("_timestamp", f"expected a number, got {timestamp!r}")
    binary = _binary(obj)
    status, rank = _status(obj, answer, binary, where)
    ann = AnnotationIn("import:jsonl", annotator, status, status_rank=rank, timestamp=timestamp,
                       pre_annotated=answer is None)
    if answer == "ignore" and "_status" not in obj:
        if any(obj.get(key) for key in ("spans", "claims", "cats")):
            ann.notes.append("answered ignore: the record's annotations not imported")
        return ann
    ann.spans = no_overlaps(_spans(obj, text, where, labels, remap, STATES[answer]), where,
                            "spans", ann.notes.append)
    ann.claims = [_claim(raw, text, where, f"claims[{i}]", labels, remap)
                  for i, raw in enumerate(_list(obj, "claims", where))]
    ann.cats = _document_labels(obj, answer, where, labels, ann.notes.append) or None
    return ann


def _binary(obj: dict[str, Any]) -> bool:
    view = obj.get("_view_id")
    if isinstance(view, str):
        return view in BINARY_VIEWS
    return "score" in obj or "priority" in obj


def _status(obj: dict[str, Any], answer: str | None, binary: bool,
            where: Where) -> tuple[str | None, int]:
    if "_status" in obj:
        stated = obj["_status"]
        if not isinstance(stated, str) or stated not in SET_STATUSES:
            raise where.fail("_status", f"expected one of {', '.join(SET_STATUSES)}, "
                                        f"got {stated!r}")
        return stated, EXACT
    if answer is None:
        return None, 0
    if answer == "ignore":
        return "skipped", SKIPPED
    if answer == "accept" and not binary:
        return "done", FINISHED
    return "in_progress", PARTIAL


def _spans(obj: dict[str, Any], text: str, where: Where, labels: Labels, remap: Any,
           state: str) -> list[SpanIn]:
    spans = []
    for i, raw in enumerate(_list(obj, "spans", where)):
        start, end = offsets(raw, text, where, f"spans[{i}]", remap=remap)
        label = labels.entity(raw.get("label"), where, f"spans[{i}].label")
        own = raw.get("answer")
        if own is not None and (not isinstance(own, str) or own not in ANSWERS):
            raise where.fail(f"spans[{i}].answer", f"expected accept, reject or ignore, got "
                                                   f"{own!r}")
        if own == "ignore":
            continue
        score = raw.get("score")
        if score is not None and (not isinstance(score, (int, float)) or isinstance(score, bool)):
            raise where.fail(f"spans[{i}].score", f"expected a number, got {score!r}")
        spans.append(SpanIn(start, end, label, state=STATES[own] if own else state,
                            score=score))
    return spans


def _document_labels(obj: dict[str, Any], answer: str | None, where: Where, labels: Labels,
                     note: Callable[[str], None]) -> dict[str, Any]:
    """The record's document labels: `cats`, a textcat `label`, a choice view's `accept`.
    A rejected document label says what the document is not, which the set cannot hold:
    it is noted, not imported."""
    cats = labels.cats(obj["cats"], where, "cats") if obj.get("cats") is not None else {}
    chosen: list[tuple[tuple[str, str], str]] = []
    if isinstance(obj.get("label"), str):
        chosen.append((labels.document(obj["label"], where, "label"), "label"))
    elif "label" in obj and obj["label"] is not None and not isinstance(obj["label"], list):
        raise where.fail("label", f"expected a document label string, got {obj['label']!r}")
    if "options" in obj:
        chosen += _choices(obj, where, labels)
    if answer == "reject":
        if chosen:
            note("rejected document labels (the text is not LABEL) not imported: a set "
                 "holds the labels chosen")
        return {}
    for pair, path in chosen:
        labels.choose(cats, pair, where, path)
    return cats


def _choices(obj: dict[str, Any], where: Where,
             labels: Labels) -> list[tuple[tuple[str, str], str]]:
    options, accepted = obj.get("options"), obj.get("accept") or []
    if not isinstance(options, list):
        raise where.fail("options", f"expected an array, got {type(options).__name__}")
    if not isinstance(accepted, list):
        raise where.fail("accept", f"expected an array of option ids, got {accepted!r}")
    out = []
    for i, option in enumerate(options):
        if not isinstance(option, dict) or "id" not in option:
            raise where.fail(f"options[{i}]", f"expected an object with an id, got {option!r}")
        if not _is_id(option["id"]):
            raise where.fail(f"options[{i}].id", f"expected a number or a string, got "
                                                 f"{option['id']!r}")
        if option["id"] in [a for a in accepted if _is_id(a)]:
            name = option["id"] if isinstance(option["id"], str) else option.get("text")
            out.append((labels.document(name, where, f"options[{i}]"), f"options[{i}]"))
    return out


def _is_id(value: Any) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


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
                     _label(raw.get("content"), (type_,), f"the claim type {type_!r}", where,
                            f"{path}.content"), "claim")
    parts = {}
    for role, allowed, expected in (
            ("source", (SOURCE_LABEL, *labels.schema.labels), f"{SOURCE_LABEL} or an entity label"),
            ("cue", (CUE_LABEL,), CUE_LABEL)):
        part = raw.get(role)
        parts[role] = None if part is None else SpanIn(
            *offsets(part, text, where, f"{path}.{role}", remap=remap),
            _label(part, allowed, expected, where, f"{path}.{role}"), role)
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise where.fail(f"{path}.attributes", "expected an object")
    return ClaimIn(type_, content, parts["source"], parts["cue"], attributes)


def _label(part: Any, allowed: tuple[str, ...], expected: str, where: Where, path: str) -> str:
    """A claim part's label: absent means the part's own (the first `allowed`); a label the
    part may not carry is refused, not stored."""
    label = part.get("label") if isinstance(part, dict) else None
    if label is None:
        return allowed[0]
    if not isinstance(label, str) or label not in allowed:
        raise where.fail(f"{path}.label", f"expected {expected}, got {label!r}")
    return label
