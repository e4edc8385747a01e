"""What the article view draws, as plain data: one `Mark` per visible span and role.

Building marks is separate from painting them so that the decisions (which spans show, in
which color, on which underline row, linked to which claims) are computed once per change of
spans, in Qt positions, and can be inspected by tests without comparing pixels. Focus and
hover are not baked in: they change on every key press and only need a repaint.

A claim draws its content span as an underline in the claim color and marks its source and
cue in theirs; a source may be an entity span, which then shows both its entity box and the
source underline. Underlines that overlap go to different rows, the way displaCy stacks
overlapping spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from annotator.core.model import Claim, Span
from annotator.core.schema import Schema
from annotator.gui.offsets import OffsetMap
from annotator.gui.span_display import entity_color

ENTITY = "entity"
CLAIM_KINDS = ("claim", "source", "cue")


@dataclass(frozen=True, slots=True)
class Mark:
    span_id: int
    start: int            # Qt positions (UTF-16), end exclusive
    end: int
    kind: str             # "entity" (a box with a tag) or a claim role: "claim", "source", "cue"
    color: str            # "#rrggbb"
    state: str            # suggested / accepted / rejected
    tag: str = ""         # label drawn at the end of the span ("" = none)
    last_char: int = 0    # Qt position where the span's last character begins (tag space)
    row: int = 0          # underline row for claim roles, 0 closest to the text
    claim_ids: tuple[int, ...] = ()  # claims this mark belongs to (links content/source/cue)


@dataclass(frozen=True, slots=True)
class MarkSet:
    """All marks of one document in paint order: entity boxes first, then claim roles."""

    marks: tuple[Mark, ...]
    claims_of_span: dict[int, tuple[int, ...]]  # span id -> ids of the claims it takes part in

    def for_span(self, span_id: int) -> list[Mark]:
        return [m for m in self.marks if m.span_id == span_id]

    def tag_marks(self) -> list[Mark]:
        return [m for m in self.marks if m.tag]


def _roles(claims: Iterable[Claim], spans: dict[int, Span],
           visible: set[int]) -> dict[tuple[int, str], list[int]]:
    """(span id, role) -> claim ids, for the claims whose content span is shown."""
    roles: dict[tuple[int, str], list[int]] = {}
    for claim in claims:
        if claim.content_span_id not in visible:
            continue
        for span_id, role in ((claim.content_span_id, "claim"), (claim.source_span_id, "source"),
                              (claim.cue_span_id, "cue")):
            if span_id is not None and span_id in visible and span_id in spans:
                roles.setdefault((span_id, role), []).append(claim.id)
    return roles


def _assign_rows(marks: list[Mark]) -> list[Mark]:
    """Give overlapping underlines distinct rows: the lowest row free at each mark's start."""
    row_ends: list[int] = []
    placed = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end, m.span_id)):
        row = next((i for i, end in enumerate(row_ends) if end <= mark.start), len(row_ends))
        if row == len(row_ends):
            row_ends.append(mark.end)
        else:
            row_ends[row] = mark.end
        placed.append(replace(mark, row=row))
    return placed


def _qt_range(offsets: OffsetMap, span: Span) -> tuple[int, int]:
    if not 0 <= span.start < span.end <= offsets.length:
        raise ValueError(f"span {span.id} ({span.layer} {span.label!r}): offsets "
                         f"{span.start}..{span.end} do not fit a text of {offsets.length} "
                         "characters — spans from another document?")
    return offsets.range_to_qt(span.start, span.end)


class EntityMarks:
    """The entity marks of one text under one schema, by what each is made of (span id,
    range, label, state). Each build keeps those of the spans it draws, so a redraw after
    an edit makes only the marks of the spans that changed."""

    def __init__(self, schema: Schema, offsets: OffsetMap):
        self.schema, self.offsets = schema, offsets
        self._last: dict[tuple[int, int, int, str, str], Mark] = {}

    def marks(self, spans: Iterable[Span]) -> list[Mark]:
        made = {}
        for span in spans:
            key = (span.id, span.start, span.end, span.label, span.state)
            made[key] = self._last.get(key) or self._make(span)
        self._last = made
        return list(made.values())

    def _make(self, span: Span) -> Mark:
        start, end = _qt_range(self.offsets, span)
        return Mark(span.id, start, end, ENTITY, entity_color(self.schema, span.label),
                    span.state, tag=span.label,
                    last_char=self.offsets.to_qt(max(span.start, span.end - 1)))


def build_marks(spans: Sequence[Span], claims: Sequence[Claim], schema: Schema,
                offsets: OffsetMap, *, show_rejected: bool,
                entity_marks: EntityMarks | None = None) -> MarkSet:
    """The marks of these spans and claims; `entity_marks`, kept by the caller for the same
    text and schema, makes again only the entity marks of spans that changed."""
    by_id = {s.id: s for s in spans}
    visible = {s.id for s in spans if show_rejected or s.state != "rejected"}
    roles = _roles(claims, by_id, visible)
    colors = schema.claims.colors

    entities = (entity_marks or EntityMarks(schema, offsets)).marks(
        s for s in spans if s.layer == ENTITY and s.id in visible)
    underlines: list[Mark] = []
    for span in spans:
        if span.id not in visible or span.layer == ENTITY:
            continue
        if span.layer in CLAIM_KINDS and (span.id, span.layer) not in roles:
            start, end = _qt_range(offsets, span)
            # A claim-layer span no claim refers to (yet) still shows in its layer's color.
            underlines.append(Mark(span.id, start, end, span.layer, colors[span.layer],
                                   span.state))
    for (span_id, role), claim_ids in roles.items():
        span = by_id[span_id]
        start, end = _qt_range(offsets, span)
        underlines.append(Mark(span_id, start, end, role, colors[role], span.state,
                               claim_ids=tuple(claim_ids)))

    claims_of_span: dict[int, list[int]] = {}
    for (span_id, _role), claim_ids in roles.items():
        claims_of_span.setdefault(span_id, []).extend(claim_ids)
    entities.sort(key=lambda m: (m.start, m.end, m.span_id))
    return MarkSet(tuple(entities + _assign_rows(underlines)),
                   {k: tuple(sorted(set(v))) for k, v in claims_of_span.items()})


@dataclass(frozen=True, slots=True)
class Arc:
    """A link drawn from a claim's source or cue to its content (brat / INCEpTION style)."""

    claim_id: int
    role: str      # "source" or "cue"
    part: Mark     # where the arc starts
    content: Mark  # where it ends, with an arrowhead


def arcs(marks: MarkSet, claim_ids: Iterable[int]) -> list[Arc]:
    """The arcs of these claims: one per source and cue shown, so a source two claims share
    gets two arcs, one to each content."""
    wanted = set(claim_ids)
    if not wanted:
        return []
    contents = {c: m for m in marks.marks if m.kind == "claim" for c in m.claim_ids
                if c in wanted}
    return [Arc(c, m.kind, m, contents[c]) for m in marks.marks if m.kind in ("source", "cue")
            for c in m.claim_ids if c in contents]


def linked_claims(marks: MarkSet, span_ids: Iterable[int | None]) -> frozenset[int]:
    """The claims that focusing or hovering these spans brings forward."""
    return frozenset(c for s in span_ids if s is not None for c in marks.claims_of_span.get(s, ()))
