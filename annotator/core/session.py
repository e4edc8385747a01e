"""Who is acting, and the live row handles their edits share.

A `Session` is one person's working session: the name and role every action is recorded and
checked under, the version of each set as they last read or wrote it (a write to gold from
an older copy is refused: `core/actions.py`), and the `Handle`s through which ops refer to
rows. Undoing a delete re-creates rows, which the database may give new ids (the old id may
meanwhile belong to another document's span), so ops hold handles: re-creating a row
re-points its handle, and every later op in the history follows it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

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
        self._journal: list[tuple[Handle, int | None]] | None = None
        self._versions: dict[int, int] = {}

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Handles follow the transaction: if it rolls back, every handle retired or
        re-pointed inside it points where it did before (the rows are back as they were)."""
        if self._journal is not None:
            yield
            return
        self._journal = []
        try:
            yield
        except BaseException:
            for handle, before in reversed(self._journal):
                if handle.id is not None and self._live.get((handle.kind, handle.id)) is handle:
                    del self._live[(handle.kind, handle.id)]
                handle.id = before
                if before is not None:
                    self._live[(handle.kind, before)] = handle
            raise
        finally:
            self._journal = None

    def saw(self, set_id: int, version: int) -> None:
        """The session has read (or written) the set as it is at `version`."""
        self._versions[set_id] = version

    def version(self, set_id: int) -> int | None:
        """The set's version as this session last read or wrote it; None if never."""
        return self._versions.get(set_id)

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
        if self._journal is not None:
            self._journal.append((handle, handle.id))
        if handle.id is not None:
            self._live.pop((handle.kind, handle.id), None)
            handle.id = None

    def rebind(self, handle: Handle, new_id: int) -> None:
        """The row exists again, as `new_id`."""
        self.retire(handle)
        if self._journal is not None:
            self._journal.append((handle, handle.id))
        handle.id = new_id
        self._live[(handle.kind, new_id)] = handle
