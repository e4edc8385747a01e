"""Who may change what (docs/architecture.md, "People and rights").

An annotator edits only their own annotation sets; a reviewer also writes the `gold` set of a
document (stamped with `reviewed_by`); an admin imports, curates, changes the schema and the
model. On a project file one person holds every role by default; on a team server the roles
come from the login and the database enforces them too. The core checks them here first, so
a refusal is one clear sentence instead of a database error.
"""

from __future__ import annotations

from annotator.core.errors import RightsError

MEMBER, REVIEWER, ADMIN = "member", "reviewer", "admin"
ROLES = (MEMBER, REVIEWER, ADMIN)
GOLD = "gold"
MODEL = "model"
RESERVED_NAMES = (GOLD, MODEL)  # set names that are not people


def can_review(role: str) -> bool:
    return role in (REVIEWER, ADMIN)


def check_edit(actor: str, role: str, set_annotator: str) -> None:
    """Refuse an edit of an annotation set that is not the actor's to edit."""
    if set_annotator == GOLD:
        if not can_review(role):
            raise RightsError(f"only a reviewer edits gold; {actor} is a {role}")
        return
    if set_annotator != actor:
        raise RightsError(f"this is {set_annotator}'s work: only {set_annotator} edits it "
                          f"(you are {actor})")


def check_curator(actor: str, role: str, what: str) -> None:
    """Refuse a correction of the shared corpus (a document's title) to a member: it is
    everyone's data, fixed by those who answer for it, a reviewer or an admin. A member who
    finds a wrong title flags the document; the note shows in the list."""
    if not can_review(role):
        raise RightsError(f"only a reviewer or an admin may {what}; {actor} is a {role} — "
                          "flag the document (Ctrl+Shift+F) with a note instead")


def check_admin(actor: str, role: str, what: str) -> None:
    """Refuse project-level changes (import, curation, schema, model) to a non-admin."""
    if role != ADMIN:
        raise RightsError(f"only an admin may {what}; {actor} is a {role}")


def check_name(name: str) -> str:
    """A person's name, refusing the names of sets that are not people."""
    if name.strip().lower() in RESERVED_NAMES:
        raise ValueError(f"{name!r} names a set, not a person: choose another annotator name")
    if not name.strip().isprintable():
        raise ValueError(f"{name!r} holds a control character: choose another annotator name")
    return name.strip()
