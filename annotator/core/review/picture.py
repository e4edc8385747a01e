"""The merged picture of a document: what its finished annotators agree on, and one conflict
per disagreement (docs/architecture.md, "Review").

Agreed means every annotator has it: the same entity (start, end, label), the same claim
(content range, type, source and cue ranges), the same value of a document label. What is
left is grouped into conflicts: entities (and, apart, claims) whose ranges overlap, chained,
make one conflict, and each annotator's items in it are their *version* of it — possibly
nothing. Annotators holding the same version are listed together, so each version says who
has it. Kinds:

- `label`: the versions cover the same ranges with different labels;
- `boundary`: one label, different but overlapping ranges (for claims: different contents);
- `label+boundary`: both at once (`ORG "the US State Department"` vs `GPE "US State"`);
- `only-one`: some annotators have nothing there;
- `claim-part`: the same claim content, a different source, cue or type (`parts` says which);
- `document-label`: a document label with different values.

The majority rule (`min_agree=k`) resolves a conflict when exactly one version is held by at
least k annotators; the conflict stays listed, so a reviewer can still change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.review.work import Entity, Work
from annotator.core.store.review import ClaimRow

ENTITY, CLAIM, CATS = "entity", "claim", "cats"
LABEL, BOUNDARY, BOTH, ONLY_ONE = "label", "boundary", "label+boundary", "only-one"
CLAIM_PART, DOCUMENT_LABEL = "claim-part", "document-label"
CLAIM_PARTS = ("type", "source", "cue")


@dataclass(frozen=True, slots=True)
class Version:
    """Items some annotators hold in a conflict's region (`()` is "nothing there"); for a
    document label, `(value,)` with None for "no value"."""

    items: tuple[Any, ...]
    holders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    layer: str
    kind: str
    start: int  # the region every version lies in (0, 0 for a document label)
    end: int
    versions: tuple[Version, ...]  # most holders first
    name: str | None = None  # the document label's name
    parts: tuple[str, ...] = ()  # for claim-part: which parts differ
    resolved: int | None = None  # the version the majority rule takes

    def describe(self, text: str) -> str:
        """One line as a reviewer reads it: `ORG "Kurdistan24" (alice) vs GPE … (bob)`."""
        return " vs ".join(f"{_show(self, v.items, text)} ({', '.join(v.holders)})"
                           for v in self.versions)


@dataclass(frozen=True, slots=True)
class Picture:
    annotators: tuple[str, ...]
    entities: tuple[Entity, ...]  # agreed
    claims: tuple[ClaimRow, ...]  # agreed
    cats: dict[str, Any]  # agreed document labels
    conflicts: tuple[Conflict, ...]
    flagged: tuple[str, ...] = ()  # annotators whose set is under another schema
    min_agree: int | None = None

    @property
    def agreed(self) -> int:
        return len(self.entities) + len(self.claims) + len(self.cats)

    @property
    def agreement(self) -> float:
        """agreed / (agreed + conflicts): the share of decisions nobody has to make; 1.0
        when there is nothing to compare."""
        total = self.agreed + len(self.conflicts)
        return self.agreed / total if total else 1.0

    def accepted(self) -> tuple[list[Entity], list[ClaimRow], dict[str, Any]]:
        """What goes into gold without a reviewer: the agreed items and the versions the
        majority rule took."""
        entities, claims, cats = list(self.entities), list(self.claims), dict(self.cats)
        for conflict in self.conflicts:
            if conflict.resolved is None:
                continue
            items = conflict.versions[conflict.resolved].items
            if conflict.layer == ENTITY:
                entities += items
            elif conflict.layer == CLAIM:
                claims += items
            elif items[0] is not None:
                cats[conflict.name] = items[0]
        return sorted(entities), sorted(claims, key=_claim_key), cats


def merged_picture(works: Sequence[Work], *, min_agree: int | None = None,
                   schema_hash: str | None = None) -> Picture:
    """The picture of the given finished works of one document. `schema_hash`: the
    project's current schema; works made under another are compared too, and flagged."""
    if min_agree is not None and min_agree < 1:
        raise ValueError(f"the majority rule needs at least 1 annotator, not {min_agree}")
    names = tuple(w.annotator for w in works)
    n = len(works)
    entities, e_conflicts = _layer(ENTITY, [w.entities for w in works], names, n,
                                   lambda e: (e[0], e[1]), min_agree)
    claims, c_conflicts = _layer(CLAIM, [w.claims for w in works], names, n,
                                 lambda c: (c.start, c.end), min_agree)
    cats, d_conflicts = _cats(works, names, min_agree)
    flagged = tuple(w.annotator for w in works
                    if schema_hash is not None and w.schema_hash != schema_hash)
    conflicts = sorted(e_conflicts + c_conflicts, key=lambda c: (c.start, c.end, c.layer))
    return Picture(names, tuple(entities), tuple(claims), cats,
                   tuple(conflicts + d_conflicts), flagged, min_agree)


def gold_version(conflict: Conflict, gold: Work | None) -> int | None:
    """The version gold settles the conflict as: the one whose items are exactly gold's in
    the conflict's region (None: gold holds none of them there, or there is no gold)."""
    if gold is None:
        return None
    if conflict.layer == CATS:
        held: tuple[Any, ...] = (gold.cats.get(conflict.name),)
    else:
        items = gold.entities if conflict.layer == ENTITY else gold.claims
        held = tuple(sorted((i for i in items if i[0] < conflict.end and conflict.start < i[1]),
                            key=repr))
    return next((n for n, v in enumerate(conflict.versions)
                 if tuple(sorted(v.items, key=repr)) == held), None)


def _layer(layer, per_annotator, names, n, span_of, min_agree):
    held: dict[Any, list[str]] = {}
    for name, items in zip(names, per_annotator):
        for item in dict.fromkeys(items):
            held.setdefault(item, []).append(name)
    agreed = sorted((i for i, who in held.items() if len(who) == n), key=span_of)
    rest = sorted(((span_of(i), i, who) for i, who in held.items() if len(who) < n),
                  key=lambda t: (t[0], str(t[1])))
    conflicts, group, end = [], [], -1
    for (s, e), item, who in rest:
        if group and s >= end:
            conflicts.append(_conflict(layer, group, names, span_of, min_agree))
            group = []
        end = max(end, e) if group else e
        group.append((item, who))
    if group:
        conflicts.append(_conflict(layer, group, names, span_of, min_agree))
    return agreed, conflicts


def _conflict(layer, group, names, span_of, min_agree) -> Conflict:
    mine: dict[str, list[Any]] = {name: [] for name in names}
    for item, who in group:
        for name in who:
            mine[name].append(item)
    versions = _versions({name: tuple(items) for name, items in mine.items()})
    spans = [span_of(item) for item, _ in group]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    kind, parts = _kind(layer, [v.items for v in versions], span_of)
    return Conflict(layer, kind, start, end, versions, parts=parts,
                    resolved=_majority(versions, min_agree))


def _kind(layer, versions, span_of) -> tuple[str, tuple[str, ...]]:
    if any(not items for items in versions):
        return ONLY_ONE, ()
    same_ranges = len({tuple(span_of(i) for i in items) for items in versions}) == 1
    if layer == CLAIM:
        if not same_ranges:
            return BOUNDARY, ()
        parts = tuple(p for n, p in enumerate(CLAIM_PARTS)
                      if len({tuple(_claim_parts(i)[n] for i in items)
                              for items in versions}) > 1)
        return CLAIM_PART, parts
    if same_ranges:
        return LABEL, ()
    return (BOUNDARY if len({i[2] for items in versions for i in items}) == 1 else BOTH), ()


def _cats(works: Sequence[Work], names, min_agree) -> tuple[dict[str, Any], list[Conflict]]:
    agreed, conflicts = {}, []
    for name in sorted({k for w in works for k in w.cats}):
        values = {w.annotator: _frozen(w.cats.get(name)) for w in works}
        if len(set(values.values())) == 1:
            agreed[name] = works[0].cats[name]
            continue
        versions = _versions({who: (_thawed(v),) for who, v in values.items()}, _frozen)
        conflicts.append(Conflict(CATS, DOCUMENT_LABEL, 0, 0, versions, name=name,
                                  resolved=_majority(versions, min_agree)))
    return agreed, conflicts


def _versions(mine: dict[str, tuple[Any, ...]], key=lambda items: items
              ) -> tuple[Version, ...]:
    """Annotators grouped by the version they hold; `key` makes a version hashable (a
    document label's value may be a list)."""
    holders: dict[Any, list[str]] = {}
    for name, items in mine.items():
        holders.setdefault(key(items), []).append(name)
    versions = [Version(mine[who[0]], tuple(sorted(who)))
                for who in holders.values()]
    return tuple(sorted(versions, key=lambda v: (-len(v.holders), v.holders)))


def _majority(versions: Sequence[Version], min_agree: int | None) -> int | None:
    if min_agree is None or len(versions[0].holders) < min_agree:
        return None
    if len(versions) > 1 and len(versions[1].holders) >= min_agree:
        return None  # two versions reach k: a tie is the reviewer's to settle
    return 0


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a document label's value (a list of options)."""
    if isinstance(value, list):
        return ("__list__", *value)
    if isinstance(value, tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, tuple) and value[:1] == ("__list__",):
        return list(value[1:])
    return value


def _claim_parts(claim: ClaimRow) -> tuple[Any, Any, Any]:
    return claim.type, claim.source, claim.cue


def _claim_key(claim: ClaimRow) -> tuple:
    return (claim.start, claim.end, claim.type, claim.source or (-1, -1), claim.cue or (-1, -1))


def _show(conflict: Conflict, items: tuple[Any, ...], text: str) -> str:
    if conflict.layer == CATS:
        value = items[0]
        return f"{conflict.name}={value}" if value is not None else f"no {conflict.name}"
    if not items:
        return "nothing"
    if conflict.layer == ENTITY:
        return " + ".join(f'{label} "{text[s:e]}"' for s, e, label in items)
    return " + ".join(_show_claim(c, text) for c in items)


def _show_claim(claim: ClaimRow, text: str) -> str:
    shown = f'{claim.type} "{text[claim.start:claim.end]}"'
    for part, where in (("source", claim.source), ("cue", claim.cue)):
        shown += f' {part} "{text[where[0]:where[1]]}"' if where else f" no {part}"
    return shown


__all__ = [
    "BOTH",
    "BOUNDARY",
    "CATS",
    "CLAIM",
    "CLAIM_PART",
    "DOCUMENT_LABEL",
    "ENTITY",
    "LABEL",
    "ONLY_ONE",
    "Conflict",
    "Picture",
    "Version",
    "gold_version",
    "merged_picture",
]
