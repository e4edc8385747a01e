"""Claims from tools that know only labelled spans and relations between them: doccano's
relation projects and Label Studio's `relation` results.

Neither tool has a notion of a claim, so the shape of the annotations says it. A span
labelled with a claim type of the schema (or a spelling of one: `Direct quote`, `INDIRECT`)
is a claim's content; spans labelled SOURCE / CUE (any case) are claim parts; a relation of
type `source` or `cue` (any case, either direction) links a content span to its part. An
untyped relation between a content span and a SOURCE / CUE span links them too, as the part
says what it is. A claim's source may also be an ordinary entity, as in the app (a source is
often an entity already marked; it stays an entity). Everything else is an entity span,
mapped through the schema.

Relations of other types are common in relation projects and mean nothing here: they are
noted and skipped. Links that cannot be read as a claim — an id no span has, a second source
for one claim, a SOURCE span linked to no claim (its annotator meant a claim that would be
lost) — are problems naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotator.core.importers.annotations import ClaimIn, Labels, SpanIn, Where
from annotator.core.model import CUE_LABEL, SOURCE_LABEL

PARTS = {SOURCE_LABEL: "source", CUE_LABEL: "cue"}


@dataclass(frozen=True)
class Marked:
    """A labelled span as the tool gave it, with the fields that name it in problems."""

    key: Any  # the tool's id for the span, which relations refer to (None: not referable)
    start: int
    end: int
    label: Any
    path: str  # e.g. "entities[2]"
    label_path: str  # e.g. "entities[2].label"


@dataclass(frozen=True)
class Link:
    """A relation as the tool gave it: the ids of its two ends and its type."""

    from_key: Any
    to_key: Any
    type: Any  # None or "" when the tool's relation has no type
    path: str  # e.g. "relations[0]"
    from_path: str
    to_path: str


@dataclass
class _Node:
    marked: Marked
    span: SpanIn
    parts: dict[str, _Node]
    linked: bool = False

    def describe(self) -> str:
        what = {"claim": "claim", "entity": "entity"}.get(self.span.layer, "span")
        return f"{self.span.label} {what} {self.marked.path}"


def resolve(marked: list[Marked], links: list[Link], labels: Labels, where: Where,
            note: Callable[[str], None]) -> tuple[list[SpanIn], list[ClaimIn]]:
    """(entity spans, claims) of one annotation, or `InvalidInput` naming the field."""
    nodes = [_Node(m, _span(m, labels, where), {}) for m in marked]
    by_key: dict[Any, _Node] = {}
    for node in nodes:
        key = node.marked.key
        if key is None:
            continue
        if not _is_id(key):
            raise where.fail(f"{node.marked.path}.id", f"expected a number or a string, got "
                                                       f"{key!r}")
        if key in by_key:
            raise where.fail(f"{node.marked.path}.id", f"id {key!r} is also the id of "
                                                       f"{by_key[key].marked.path}")
        by_key[key] = node
    for link in links:
        _link(link, by_key, where, note)
    for node in nodes:
        if node.span.layer in ("source", "cue") and not node.linked:
            raise where.fail(node.marked.path, f"{node.span.label} span "
                                               f"{node.span.start}:{node.span.end} is linked "
                                               f"to no claim (expected a {node.span.layer} "
                                               f"relation from a claim span)")
    entities = [n.span for n in nodes if n.span.layer == "entity"]
    claims = [ClaimIn(n.span.label, n.span, *(n.parts[role].span if role in n.parts else None
                                              for role in ("source", "cue")))
              for n in nodes if n.span.layer == "claim"]
    return entities, claims


def _span(marked: Marked, labels: Labels, where: Where) -> SpanIn:
    label = marked.label
    if isinstance(label, str) and label.strip().upper() in PARTS:
        upper = label.strip().upper()
        return SpanIn(marked.start, marked.end, upper, PARTS[upper])
    claim_type = _claim_type(label, labels)
    if claim_type is not None:
        return SpanIn(marked.start, marked.end, claim_type, "claim")
    return SpanIn(marked.start, marked.end, labels.entity(label, where, marked.label_path))


def _claim_type(label: Any, labels: Labels) -> str | None:
    if not isinstance(label, str):
        return None
    name = "_".join(label.strip().lower().replace("-", " ").split())
    return name if name in labels.schema.claim_types else None


def _link(link: Link, by_key: dict[Any, _Node], where: Where,
          note: Callable[[str], None]) -> None:
    ends = []
    for key, path in ((link.from_key, link.from_path), (link.to_key, link.to_path)):
        if not _is_id(key) or key not in by_key:
            raise where.fail(path, f"no span has the id {key!r}")
        ends.append((by_key[key], path))
    kind = (link.type.strip().lower() if isinstance(link.type, str) else None) or \
        _implied(ends[0][0], ends[1][0])
    if kind not in ("source", "cue"):
        note(f"relations of type {link.type!r} not imported (only source and cue relations "
             "link a claim to its parts)" if kind else
             "untyped relations not imported (only those between a claim and its SOURCE or "
             "CUE span link them)")
        return
    contents = [end for end in ends if end[0].span.layer == "claim"]
    if len(contents) != 1:
        a, b = (n.describe() for n, _ in ends)
        raise where.fail(link.path, f"a {kind} relation links a claim span to its {kind}; "
                                    f"this one links {a} and {b}")
    content = contents[0][0]
    part, part_path = next(end for end in ends if end is not contents[0])
    allowed = ("source", "entity") if kind == "source" else ("cue",)
    if part.span.layer not in allowed:
        expected = f"a {SOURCE_LABEL} span or an entity" if kind == "source" else \
            f"a {CUE_LABEL} span"
        raise where.fail(part_path, f"a {kind} relation must end at {expected}, got "
                                    f"{part.describe()}")
    earlier = content.parts.get(kind)
    if earlier is not None and earlier is not part:
        raise where.fail(part_path, f"{content.describe()} already has the {kind} "
                                    f"{earlier.describe()}; a claim has one {kind}")
    content.parts[kind] = part
    part.linked = True


def _implied(a: _Node, b: _Node) -> str | None:
    """The role an untyped relation between a claim and a SOURCE / CUE span gives the part."""
    layers = {a.span.layer, b.span.layer}
    if len(layers) == 2 and "claim" in layers and layers & {"source", "cue"}:
        return (layers - {"claim"}).pop()
    return None


def _is_id(key: Any) -> bool:
    return isinstance(key, (int, str)) and not isinstance(key, bool)
