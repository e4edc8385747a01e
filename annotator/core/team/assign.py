"""Handing out work (docs/architecture.md, "Handing out work").

`assign` gives every included document to one annotator, and a deterministic `overlap`
percent of them to `per_doc` annotators (the documents agreement is measured on), balancing
the words each person still has to do. It is an admin's action on the one road. Run again,
it only places what is new or orphaned: documents imported since, and the not-started
documents of people no longer named. Started work (a set in progress, done, skipped or
flagged) never moves, and a team member who started a document is assigned to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.changes import DOCUMENTS, WORK
from annotator.core.errors import OpError
from annotator.core.session import Session

Pair = tuple[str, str]  # (document id, annotator)
TO_DO = (None, "in_progress")  # a set's status while its words are still to do (None: no set)


@dataclass(frozen=True, slots=True)
class Share:
    """One annotator's part after assigning: documents, and the words of those not finished."""

    documents: int = 0
    words_to_do: int = 0


@dataclass(slots=True)
class Handout:
    """What an assignment changed, and where it leaves the team."""

    added: list[Pair] = field(default_factory=list)
    removed: list[Pair] = field(default_factory=list)
    documents: int = 0      # included documents
    new_documents: int = 0  # of them, assigned to nobody before
    overlapping: int = 0    # included documents assigned to more than one annotator
    shares: dict[str, Share] = field(default_factory=dict)


def follows_assignment(store, *, everything: bool = False) -> bool:
    """Whether an annotator's list and next-to-do keep to the documents assigned to them: in
    a project whose work was handed out, unless they asked to see every document."""
    return not everything and store.assignments.exists()


def _words(text: str) -> int:
    return len(text.split())


def assign(store, session: Session, annotators: Sequence[str], *, overlap: float = 0,
           per_doc: int = 2, seed: int = 0) -> Handout:
    """Hand the included documents out to `annotators` as one recorded action."""
    rights.check_admin(session.annotator, session.role, "assign work")
    team = check_team(annotators, overlap, per_doc)
    with action(store, session, "assign", scopes={DOCUMENTS, WORK}) as act:
        handout = plan(
            {doc.id: _words(doc.text) for doc in store.documents.iter_all(included_only=True)},
            store.assignments.pairs(), store.assignments.started(), team,
            overlap=overlap, per_doc=per_doc, seed=seed)
        store.assignments.remove(handout.removed)
        store.assignments.add(handout.added, session.annotator)
        act.payload.update(annotators=team, overlap=overlap, per_doc=per_doc, seed=seed,
                           added=len(handout.added), removed=len(handout.removed))
    return handout


def check_team(annotators: Iterable[str], overlap: float, per_doc: int) -> list[str]:
    """The annotators' names, checked, in the order given; one sentence for what is wrong."""
    team: list[str] = []
    for name in annotators:
        try:
            name = rights.check_name(name)
        except ValueError as exc:
            raise OpError(str(exc)) from None
        if not name:
            raise OpError("an annotator's name is empty: separate the names by single commas")
        if name in team:
            raise OpError(f"{name} is named twice among the annotators")
        team.append(name)
    if not team:
        raise OpError("name at least one annotator")
    if not 0 <= overlap <= 100:
        raise OpError(f"the overlap is a percentage from 0 to 100, not {overlap:g}")
    if overlap > 0 and not 2 <= per_doc <= len(team):
        raise OpError(f"an overlap document goes to {per_doc} annotators: that needs 2 to "
                      f"{len(team)} (the number of annotators named)")
    return team


def _rank(seed: int, key: str) -> bytes:
    """A stable pseudo-random order of documents and people for this seed."""
    return hashlib.blake2b(f"{seed}\x00{key}".encode(), digest_size=8).digest()


def plan(documents: Mapping[str, int], assigned: Iterable[Pair],
         started: Mapping[Pair, str], team: Sequence[str], *, overlap: float, per_doc: int,
         seed: int) -> Handout:
    """Who gets what, without writing: `documents` are the included ones (id → words) in
    import order, `assigned` the existing rows, `started` the status of every set past todo.

    Each open place goes, largest document first, to the team member with the fewest words
    still to do (ties in the seed's order of people) who is not on the document yet. Placing
    the largest first keeps everyone within one document's words of each other."""
    people = {doc: [] for doc in documents}
    for doc, annotator in assigned:
        if doc in people:
            people[doc].append(annotator)
    members = set(team)
    handout = Handout(documents=len(documents))
    places: dict[str, int] = {}  # how many annotators each document is to have
    fresh: list[str] = []  # new documents that may still become overlap documents
    # Who stays: team members and anyone who started; team members who started join.
    for doc, current in people.items():
        stays = [a for a in current if a in members or (doc, a) in started]
        handout.removed += [(doc, a) for a in current if a not in stays]
        joined = [a for a in team if (doc, a) in started and a not in stays]
        handout.added += [(doc, a) for a in joined]
        people[doc] = stays + joined
        places[doc] = max(len(current), len(people[doc]))
        if not current:
            handout.new_documents += 1
            if len(people[doc]) < 2:
                fresh.append(doc)
    # The overlap share is of every included document; what is missing comes from new ones.
    wanted = round(overlap / 100 * len(documents))
    missing = wanted - sum(1 for doc in documents if places[doc] >= 2)
    by_rank = sorted(fresh, key=lambda doc: _rank(seed, doc))
    for doc in by_rank[:max(missing, 0)]:
        places[doc] = per_doc
    for doc in fresh:
        places[doc] = max(places[doc], 1)

    # The open places, largest document first, each to the least loaded who is free for it.
    order = {a: _rank(seed, a) for a in team}
    load = dict.fromkeys(team, 0)
    for doc, annotators in people.items():
        for annotator in annotators:
            if annotator in load and started.get((doc, annotator)) in TO_DO:
                load[annotator] += documents[doc]
    open_places = [doc for doc in documents if len(people[doc]) < places[doc]]
    open_places.sort(key=lambda doc: (-documents[doc], _rank(seed, doc)))
    for doc in open_places:
        free = sorted((a for a in team if a not in people[doc]),
                      key=lambda a: (load[a], order[a]))
        for annotator in free[:places[doc] - len(people[doc])]:
            people[doc].append(annotator)
            handout.added.append((doc, annotator))
            load[annotator] += documents[doc]

    handout.overlapping = sum(1 for annotators in people.values() if len(annotators) > 1)
    counts = dict.fromkeys(team, 0)
    for annotators in people.values():
        for annotator in annotators:
            if annotator in counts:
                counts[annotator] += 1
    handout.shares = {a: Share(counts[a], load[a]) for a in team}
    return handout
