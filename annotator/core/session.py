"""Who is acting, and the live row handles their edits share.

A `Session` is one person's working session: the name and role every action is recorded and
checked under, and the `Handle`s through which ops refer to rows. Undoing a delete re-creates
rows, which the database may give new ids (the old id may meanwhile belong to another
document's span), so ops hold handles: re-creating a row re-points its handle, and every
later op in the history follows it.
"""

from __future__ import annotations

import uuid

from annotator.core.errors import OpError
from annotator.core.rights import ADMIN, ROLES


class Handle:
    """A live reference to one span or claim row whose id may change across undo/redo."""

    __slots__ = ("id", "kind")

    def __init__(self, kind: str, id: int):
        self.kind = kind
        self.id: int | None = id

    def __repr__(self) -> str:
        return f"Handle({self.kind}, {self.id})"

    def require(self) -> int:
        if self.id is None:
            raise OpError(f"that {self.kind} no longer exists")
        return self.id


class Session:
    """One person's working session: who is recorded, their role, and the shared handles."""

    def __init__(self, annotator: str, session_id: str | None = None, *, role: str = ADMIN):
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")
        self.annotator = annotator
        self.role = role
        self.session_id = session_id or uuid.uuid4().hex
        self._live: dict[tuple[str, int], Handle] = {}

    def handle(self, kind: str, id: int) -> Handle:
        """The one handle of the row `kind` #`id` as it exists now."""
        key = (kind, id)
        if key not in self._live:
            self._live[key] = Handle(kind, id)
        return self._live[key]

    def span(self, id: int) -> Handle:
        return self.handle("span", id)

    def claim(self, id: int) -> Handle:
        return self.handle("claim", id)

    def retire(self, handle: Handle) -> None:
        """The row is gone: its id may be reused by an unrelated row."""
        if handle.id is not None:
            self._live.pop((handle.kind, handle.id), None)
            handle.id = None

    def rebind(self, handle: Handle, new_id: int) -> None:
        """The row exists again, as `new_id`."""
        self.retire(handle)
        handle.id = new_id
        self._live[(handle.kind, new_id)] = handle
