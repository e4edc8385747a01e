"""doccano JSONL exports: `{"text", "label": [[start, end, "LABEL"], ...]}` (sequence
labelling) and `{"text", "entities": [{"id", "start_offset", "end_offset", "label"}],
"relations": [{"id", "from_id", "to_id", "type"}]}` (the relation project variant). The work
lands as the importing annotator's, finished.

doccano has no claims, so they are read from the shape (`claim_links`): a span labelled with
a claim type is a claim's content, SOURCE / CUE spans its parts, linked by `source` / `cue`
relations; other spans are entities mapped through the schema. Relations of other types are
noted, not imported.
"""

from __future__ import annotations

from typing import Any

from annotator.core.importers.annotations import (AnnotationIn, Labels, Where, checked,
                                                  no_overlaps, offsets)
from annotator.core.importers.claim_links import Link, Marked, resolve


def is_doccano(obj: dict[str, Any]) -> bool:
    """A `label` list, `labels` or `entities` (Prodigy's `label` is a string)."""
    return isinstance(obj.get("label"), list) or \
        isinstance(obj.get("entities"), list) or isinstance(obj.get("labels"), list)


def parse(obj: dict[str, Any], text: str, where: Where, labels: Labels,
          remap: Any = int) -> AnnotationIn:
    links: list[Link] = []
    names = _class_names(obj, where)
    if names is not None:
        key = "labels" if "labels" in obj else "label"
        cats: dict[str, Any] = {}
        for i, name in enumerate(names):
            labels.choose(cats, labels.document(name, where, f"{key}[{i}]"), where,
                          f"{key}[{i}]")
        return AnnotationIn("import:doccano", None, "done", cats=cats or None)
    if isinstance(obj.get("entities"), list):
        marked = [_entity(raw, f"entities[{i}]", text, where, remap)
                  for i, raw in enumerate(obj["entities"])]
        relations = obj.get("relations") or []
        if not isinstance(relations, list):
            raise where.fail("relations", f"expected an array, got {type(relations).__name__}")
        links = [_relation(raw, f"relations[{i}]", where) for i, raw in enumerate(relations)]
    else:
        marked = [_label(raw, f"label[{i}]", text, where, remap)
                  for i, raw in enumerate(obj["label"])]
    notes: list[str] = []
    spans, claims = resolve(marked, links, labels, where, notes.append)
    spans = no_overlaps(spans, where, "entities" if "entities" in obj else "label", notes.append)
    return AnnotationIn("import:doccano", None, "done", spans, claims, notes=notes)


def _class_names(obj: dict[str, Any], where: Where) -> list[Any] | None:
    """The names of a text classification record, or None for a sequence labelling one."""
    if isinstance(obj.get("labels"), list) and not isinstance(obj.get("entities"), list):
        return obj["labels"]
    label = obj.get("label")
    if not isinstance(label, list) or isinstance(obj.get("entities"), list):
        return None
    spans = [isinstance(x, list) for x in label]
    if all(spans):
        return None
    if not any(spans):
        return label
    odd = spans.index(False) if spans[0] else spans.index(True)
    raise where.fail(f"label[{odd}]", f"expected [start, end, label] like label[0], got "
                                      f"{label[odd]!r}")


def _entity(raw: Any, path: str, text: str, where: Where, remap: Any) -> Marked:
    start, end = offsets(raw, text, where, path, start_key="start_offset",
                         end_key="end_offset", remap=remap)
    return Marked(raw.get("id"), start, end, raw.get("label"), path, f"{path}.label")


def _label(raw: Any, path: str, text: str, where: Where, remap: Any) -> Marked:
    if len(raw) != 3 or not all(isinstance(v, int) and not isinstance(v, bool)
                                for v in raw[:2]):
        raise where.fail(path, f"expected [start, end, label], got {raw!r}")
    start, end = checked(remap(raw[0]), remap(raw[1]), text, where, path)
    return Marked(None, start, end, raw[2], path, f"{path}[2]")


def _relation(raw: Any, path: str, where: Where) -> Link:
    if not isinstance(raw, dict):
        raise where.fail(path, f"expected an object, got {type(raw).__name__}")
    return Link(raw.get("from_id"), raw.get("to_id"), raw.get("type"), path,
                f"{path}.from_id", f"{path}.to_id")
