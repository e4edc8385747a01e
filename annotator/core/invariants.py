"""The rules every stored span keeps, written once for ops, importers, export and suggestions.

Bounds: a span covers at least one character of its document's text, `0 <= start < end <=
len(text)`, offsets in code points with `end` exclusive.

Token edges: an entity begins and ends on a token boundary. Drawing snaps a selection outward
to whole tokens (`tokens.snap`); imported offsets are kept and split the tokens instead; an
edge in the whitespace between tokens cannot become a token boundary, and the export refuses
it (`export.validate.misplaced`).

Entity overlap: two *standing* entity spans of one annotation set never share a character,
and two standing entities on the same words are an overlap too. An entity stands unless it
is rejected: an accepted entity is the annotation, and a suggestion holds its place until
the annotator decides, so a drawn entity replaces it (rejecting it) rather than lying beside
it. A rejected span stands for nothing and may lie under anything. Claim, source and cue
spans are other layers and may cover entities.

Making a span stand again — accepting or relabelling a rejected entity, undoing a reject or
a replace, redoing a drawing — is refused (an `OpError` naming the standing entity in the
way) when the place has been taken since; the annotator removes that entity first. Placing
new suggestions is stricter: they skip every entity span of the set, rejected ones included,
so a decision is never asked for twice (`suggest.materialise`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

REJECTED = "rejected"

S = TypeVar("S")  # a span: anything with start, end, layer and state (a stored or incoming one)
Part = TypeVar("Part", bound=tuple)  # (start, end, ...), as the export reads entities


def within(start: int, end: int, length: int) -> bool:
    """The bounds rule: at least one character, inside a text of `length` characters."""
    return 0 <= start < end <= length


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """The two ranges share a character."""
    return a_start < b_end and b_start < a_end


def stands(span: Any) -> bool:
    """An entity span that takes its place in the set: accepted or still suggested."""
    return span.layer == "entity" and span.state != REJECTED


def standing_overlaps(spans: Iterable[S], start: int, end: int) -> list[S]:
    """The standing entities among `spans` that share a character with start:end."""
    return [s for s in spans if stands(s) and overlap(s.start, s.end, start, end)]


def first_overlap(parts: Sequence[Part]) -> tuple[Part, Part] | None:
    """The first two neighbours that overlap, among (start, end, ...) ranges in text order
    (by start). Neighbours are enough: when a range starts inside an earlier one, so does
    the range right after that earlier one."""
    for earlier, later in zip(parts, parts[1:]):
        if later[0] < earlier[1]:
            return earlier, later
    return None


class Coverage:
    """Characters already covered by an entity: an overlap check in the length of the span,
    not in the number of spans (a 50,000-word article has thousands)."""

    def __init__(self) -> None:
        self._used = bytearray()

    def claim(self, start: int, end: int) -> bool:
        """Cover [start, end) and return True, unless any of it is already covered."""
        if end > len(self._used):
            self._used.extend(bytes(end - len(self._used)))
        if any(self._used[start:end]):
            return False
        self._used[start:end] = b"\x01" * (end - start)
        return True
