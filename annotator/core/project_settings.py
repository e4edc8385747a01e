"""The project's settings a person changes in the app or from the command line
(docs/architecture.md, "People and rights"): each change is a recorded action, and every
window follows it; changing them is an admin's step.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.session import Session
from annotator.core.suggest.memory import MEMORY_SHARED

DONE_ASKS = "done_asks"
REVIEW_MIN_AGREE = "review_min_agree"


@dataclass(frozen=True, slots=True)
class Switch:
    key: str
    text: str  # as the Project menu shows it


SWITCHES = (
    Switch(DONE_ASKS, "Everyone is asked before Ctrl+Enter accepts undecided suggestions"),
    Switch(MEMORY_SHARED, "Share corpus memory across annotators (agreement is then not "
                          "independent)"),
)


def is_on(store, key: str) -> bool:
    return bool(store.settings.get(key, False))


def turn(store, session: Session, key: str, on: bool) -> None:
    """Set a switch for the whole project, as one action of an admin's."""
    if key not in {s.key for s in SWITCHES}:
        raise KeyError(f"no project switch {key!r}")
    rights.check_admin(session.annotator, session.role, "change the project's settings")
    with action(store, session, f"settings.{key}", payload={"value": on}):
        store.settings.set(key, on)


def review_rule(store) -> int | None:
    """The review's majority rule: what at least this many finished annotators agree on is
    accepted into gold before the reviewer starts (None: only what all of them agree on)."""
    return store.settings.get(REVIEW_MIN_AGREE)


def set_review_rule(store, session: Session, min_agree: int | None) -> None:
    """Turn the majority rule on (at least `min_agree` annotators, 2 or more) or off (None),
    as one recorded action of an admin's."""
    if min_agree is not None and min_agree < 2:
        raise ValueError(f"the majority rule needs at least 2 annotators to agree, not "
                         f"{min_agree}; turn it off to accept only what all agree on")
    rights.check_admin(session.annotator, session.role, "set the review's majority rule")
    with action(store, session, f"settings.{REVIEW_MIN_AGREE}", payload={"value": min_agree}):
        store.settings.set(REVIEW_MIN_AGREE, min_agree)
