"""The project's switches a person turns on or off in the app (docs/architecture.md,
"People and rights"): each change is an admin's recorded action, and every window follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.session import Session
from annotator.core.suggest.memory import MEMORY_SHARED

DONE_ASKS = "done_asks"


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
