"""What review mode shows of one document: the merged picture's conflicts, which of them are
settled, the version shown for each, and the spans and claims the article view draws for
versions gold does not hold, and before gold exists the agreed items it will start with
(docs/architecture.md, "Review"). Plain Python, no Qt, so it is tested without a screen.

A conflict is *settled* when the document is marked reviewed, when the event log holds a
decision on it that was not undone (`review.take` / `review.drop`), when gold holds there
something no annotator had (the reviewer's own fix), when the majority rule's version is in
gold (or, before gold exists, will be: gold starts with it), or when the reviewer confirmed
in this session that gold keeps what it has (taking the version gold already holds writes
nothing, so it is remembered here, not in the project).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.core.model import CUE_LABEL, SOURCE_LABEL, Claim, Event, Span
from annotator.core.review.picture import CATS, CLAIM, ENTITY, Conflict, Picture, gold_version
from annotator.core.review.work import Work

# one colour per annotator, in the order the picture lists them (then again from the start)
COLORS = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2")
DECISIONS = ("review.take", "review.drop")
DECISION_EVENTS = (*DECISIONS, *(f"{d}.undo" for d in DECISIONS))  # what `decided_keys` reads
SHOWN = "review"  # the origin of the spans drawn for a version gold does not hold
ROLES = 4  # display ids per claim item: content, source, cue (and one spare)
PER_CONFLICT = 1000

Key = tuple[str, tuple[int, int], str | None]


def conflict_key(conflict: Conflict) -> Key:
    return conflict.layer, (conflict.start, conflict.end), conflict.name


def initials(names: Sequence[str]) -> dict[str, str]:
    """Short marks per annotator: the first letter, more letters where two would clash."""
    marks: dict[str, str] = {}
    for name in names:
        size = 1
        while name[:size].upper() in marks.values() and size < len(name):
            size += 1
        marks[name] = name[:size].upper()
    return marks


def decided_keys(events: Iterable[Event]) -> set[Key]:
    """The conflicts the event log holds a standing decision on (each undo takes one back)."""
    net: Counter[Key] = Counter()
    for event in events:
        action = event.action.removesuffix(".undo")
        if action not in DECISIONS:
            continue
        payload = event.payload
        start, end = payload.get("range") or (0, 0)
        key = (payload.get("layer"), (start, end), payload.get("name"))
        net[key] += -1 if event.action.endswith(".undo") else 1
    return {key for key, n in net.items() if n > 0}


def is_decision(action: str) -> bool:
    """Whether an event of this action is a decision or its undo: an op on gold alone."""
    return action.removesuffix(".undo") in DECISIONS


class Decisions:
    """A document's decision events, by id: read whole when the review reloads, then one
    at a time as each decision's change record comes (`add`). By id, so an event read whole
    and then announced again (another process's, published after a reload read it) counts
    once."""

    def __init__(self, events: Iterable[Event] = ()):
        self._events = {e.id: e for e in events if is_decision(e.action)}

    def add(self, event: Event) -> None:
        if is_decision(event.action):
            self._events.setdefault(event.id, event)

    def keys(self) -> set[Key]:
        return decided_keys(self._events.values())


def _holds_own(conflict: Conflict, gold: Work) -> bool:
    """Gold holds something in the conflict's region that is no annotator's version."""
    if conflict.layer == CATS:
        return gold.cats.get(conflict.name) is not None
    items = gold.entities if conflict.layer == ENTITY else gold.claims
    return any(i[0] < conflict.end and conflict.start < i[1] for i in items)


class _Around:
    """Gold's entities and claims by where they start: what may lie in a conflict's region
    is found by bisection, not by a pass over all of gold for each conflict."""

    def __init__(self, gold: Work):
        self.gold = gold
        self._layers = {ENTITY: _by_start(gold.entities), CLAIM: _by_start(gold.claims)}

    def region(self, conflict: Conflict) -> Work:
        """Gold with only those items of the conflict's layer that start late enough to
        reach its region and before its end (all `gold_version` and `_holds_own` read)."""
        if conflict.layer == CATS:
            return self.gold
        items, starts, longest = self._layers[conflict.layer]
        near = tuple(items[bisect_right(starts, conflict.start - longest):
                           bisect_left(starts, conflict.end)])
        return replace(self.gold, entities=near) if conflict.layer == ENTITY else \
            replace(self.gold, claims=near)


def _by_start(items: Sequence[Any]) -> tuple[list[Any], list[int], int]:
    ordered = sorted(items, key=lambda i: i[0])
    return ordered, [i[0] for i in ordered], max((i[1] - i[0] for i in ordered), default=0)


@dataclass
class ReviewState:
    text: str
    picture: Picture
    gold: Work | None
    settled: set[int] = field(default_factory=set)
    shown: list[int] = field(default_factory=list)
    focused: int | None = None

    @classmethod
    def build(cls, text: str, picture: Picture, gold: Work | None, *, reviewed: bool,
              decided: set[Key], confirmed: set[Key]) -> ReviewState:
        settled = set()
        shown = []
        around = _Around(gold) if gold is not None else None
        for n, conflict in enumerate(picture.conflicts):
            near = around.region(conflict) if around is not None else None
            held = gold_version(conflict, near)
            key = conflict_key(conflict)
            if gold is None and conflict.resolved is not None:
                held = conflict.resolved  # gold starts with it at the first decision
            if reviewed or key in decided or key in confirmed or \
                    (held is None and near is not None and _holds_own(conflict, near)) or \
                    (conflict.resolved is not None and held == conflict.resolved):
                settled.add(n)
            shown.append(held if held is not None and n in settled else 0)
        return cls(text, picture, gold, settled, shown)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.picture.conflicts

    @property
    def open_conflicts(self) -> int:
        return len(self.conflicts) - len(self.settled)

    def colors(self) -> dict[str, str]:
        return {name: COLORS[n % len(COLORS)]
                for n, name in enumerate(self.picture.annotators)}

    def initials(self) -> dict[str, str]:
        return initials(self.picture.annotators)

    def focused_conflict(self) -> Conflict | None:
        return None if self.focused is None else self.conflicts[self.focused]

    # -- moving ----------------------------------------------------------------------------

    def keep(self, previous: ReviewState) -> None:
        """After a reload of the same document: the focus and the versions shown stay."""
        if previous.picture.conflicts == self.picture.conflicts:
            self.focused = previous.focused
            self.shown = [now if n in self.settled and n not in previous.settled else before
                          for n, (now, before) in enumerate(zip(self.shown, previous.shown))]

    def step(self, step: int) -> int | None:
        """Focus the next / previous conflict, among the open ones while any are left;
        wraps around. None: the document has no conflict."""
        pool = [n for n in range(len(self.conflicts)) if n not in self.settled] or \
            list(range(len(self.conflicts)))
        if not pool:
            return None
        if self.focused is None:
            self.focused = pool[0] if step > 0 else pool[-1]
        else:
            later = [n for n in pool if n > self.focused]
            earlier = [n for n in pool if n < self.focused]
            self.focused = (later[0] if later else pool[0]) if step > 0 else \
                (earlier[-1] if earlier else pool[-1])
        return self.focused

    def cycle(self, step: int) -> int | None:
        """Show the focused conflict's next / previous version in place."""
        conflict = self.focused_conflict()
        if conflict is None:
            return None
        assert self.focused is not None
        self.shown[self.focused] = (self.shown[self.focused] + step) % len(conflict.versions)
        return self.shown[self.focused]

    # -- telling ---------------------------------------------------------------------------

    def version_text(self, n: int, version: int) -> str:
        conflict = self.conflicts[n]
        return replace(conflict, versions=(conflict.versions[version],)).describe(self.text)

    def describe_focus(self) -> str:
        conflict = self.focused_conflict()
        if conflict is None:
            return ""
        n = self.focused
        assert n is not None
        state = "settled" if n in self.settled else "open"
        return (f"conflict {n + 1} of {len(self.conflicts)} ({conflict.kind}, {state}): "
                f"version {self.shown[n] + 1} of {len(conflict.versions)}: "
                f"{self.version_text(n, self.shown[n])} — ←/→ other versions, Enter takes "
                "it, X drops it")

    # -- drawing ---------------------------------------------------------------------------

    def display(self, spans: Sequence[Span], claims: Sequence[Claim]
                ) -> tuple[list[Span], list[Claim]]:
        """Gold's spans and claims, and the shown version of each open (or focused)
        conflict where gold does not hold it, drawn as suggestions with negative ids."""
        extra_spans: list[Span] = []
        extra_claims: list[Claim] = []
        gold_entities = set(self.gold.entities) if self.gold else set()
        gold_claims = set(self.gold.claims) if self.gold else set()
        for n, conflict in enumerate(self.conflicts):
            if conflict.layer == CATS or (n in self.settled and n != self.focused):
                continue
            for j, item in enumerate(self.conflicts[n].versions[self.shown[n]].items):
                base = -(n * PER_CONFLICT + j * ROLES + 1)
                if conflict.layer == ENTITY:
                    if item not in gold_entities:
                        extra_spans.append(_span(base, item[0], item[1], ENTITY, item[2]))
                elif item not in gold_claims:
                    made = _claim_spans(base, item)
                    extra_spans += made
                    extra_claims.append(Claim(base, 0, made[0].id, _id(made, "source"),
                                              _id(made, "cue"), item.type))
        if self.gold is None:  # gold starts with the agreed items at the first decision
            agreed_spans, agreed_claims = self._agreed()
            extra_spans += agreed_spans
            extra_claims += agreed_claims
        return [*spans, *extra_spans], [*claims, *extra_claims]

    def _agreed(self) -> tuple[list[Span], list[Claim]]:
        """What gold will start with, drawn as accepted before anything is written: opening
        a document writes nothing."""
        entities, claims, _cats = self.picture.accepted()
        first = -(len(self.conflicts) + 1) * PER_CONFLICT
        spans = [replace(_span(first - j, s, e, ENTITY, label), state="accepted")
                 for j, (s, e, label) in enumerate(entities)]
        drawn_claims = []
        for j, claim in enumerate(claims):
            made = [replace(span, state="accepted") for span in
                    _claim_spans(first - len(entities) - 1 - j * ROLES, claim)]
            spans += made
            drawn_claims.append(Claim(made[0].id, 0, made[0].id, _id(made, "source"),
                                      _id(made, "cue"), claim.type))
        return spans, drawn_claims

    def focus_span(self, spans: Sequence[Span]) -> int | None:
        """The span to outline for the focused conflict: the first drawn of its shown
        version, else gold's first span in its region."""
        n = self.focused
        if n is None or self.conflicts[n].layer == CATS:
            return None
        conflict = self.conflicts[n]
        layer = ENTITY if conflict.layer == ENTITY else "claim"
        drawn = [s for s in spans if s.id < 0 and -(s.id + 1) // PER_CONFLICT == n]
        if drawn:
            return drawn[0].id
        inside = [s for s in spans if s.id > 0 and s.layer == layer
                  and s.start < conflict.end and conflict.start < s.end]
        return inside[0].id if inside else None


def _span(span_id: int, start: int, end: int, layer: str, label: str) -> Span:
    return Span(span_id, 0, start, end, layer, label, SHOWN, "suggested")


def _claim_spans(base: int, claim: Any) -> list[Span]:
    made = [_span(base, claim.start, claim.end, "claim", claim.type)]
    for offset, (role, where, label) in enumerate((("source", claim.source, SOURCE_LABEL),
                                                   ("cue", claim.cue, CUE_LABEL)), start=1):
        if where:
            made.append(_span(base - offset, where[0], where[1], role, label))
    return made


def _id(spans: list[Span], layer: str) -> int | None:
    return next((s.id for s in spans if s.layer == layer), None)
