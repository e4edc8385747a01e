"""The project store: a project is one SQLite file or one database on a team's PostgreSQL
server (docs/architecture.md, "The store").

All SQL lives behind this package. Callers open a `Store` on a `Location`, read through its
repositories and wrap each user action in ``with store.transaction():``. What goes wrong
comes out as the store's own errors (`errors`), never as the database's.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from annotator.core.store import migrations
from annotator.core.store.agreement import Agreement
from annotator.core.store.annotation_sets import GOLD, AnnotationSets
from annotator.core.store.assignments import Assignments
from annotator.core.store.connection import (BUSY_TIMEOUT_MS, connect, prepare_writes,
                                             set_lock_wait, snapshot, transaction)
from annotator.core.store.documents import Documents
from annotator.core.store.errors import (NotAProject, StoreAccessDenied, StoreBusy,
                                         StoreDamaged, StoreError, StoreFull,
                                         StoreIntegrityError, StoreReadOnly, StoreUnreachable,
                                         StoreVersionError)
from annotator.core.store.events import Events
from annotator.core.store.location import Location
from annotator.core.store.review import Review
from annotator.core.store.selections import Selections
from annotator.core.store.settings import Settings
from annotator.core.store.spans import Claims, Spans
from annotator.core.store.stats import Stats
from annotator.core.store.suggestions import Suggestions
from annotator.core.store.tokens import Tokens
from annotator.core.store.transfer import Transfer

__all__ = ["GOLD", "Location", "NotAProject", "Store", "StoreAccessDenied", "StoreBusy",
           "StoreDamaged", "StoreError", "StoreFull", "StoreIntegrityError", "StoreReadOnly",
           "StoreUnreachable", "StoreVersionError"]


def _open_server(location: Location, read_only: bool):
    # Imported here: importing psycopg costs every user of a project file about 0.3 s.
    from annotator.core.store.postgres.project import open_project

    return open_project(location, read_only=read_only)


class Store:
    """An open project, migrated to the latest version unless opened read-only.

    `read_only` is what the store is: opened for writing, a location this process cannot
    write is refused (`StoreReadOnly`) rather than opened to fail at the first change."""

    def __init__(self, location: str | Path | Location, *, read_only: bool = False):
        self.location = Location.parse(location)
        self.read_only = read_only
        self._owner: Store | None = None
        self._thread = threading.get_ident()
        self._threads: dict[int, Store] = {}
        self._threads_lock = threading.Lock()
        if not self.location.is_file:
            self._attach(_open_server(self.location, read_only))
            return
        conn = connect(self.location, read_only=read_only)
        try:
            version = migrations.check(conn)
            if read_only and version != migrations.LATEST:
                raise StoreReadOnly(self.location.display,
                                    "it needs an upgrade by this Annotator, which must write "
                                    "it; open it once where it can be written")
            if not read_only:
                prepare_writes(conn)
                migrations.migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._attach(conn)

    def _attach(self, conn) -> None:
        self.conn = conn
        self.documents = Documents(conn)
        self.sets = AnnotationSets(conn)
        self.spans = Spans(conn)
        self.claims = Claims(conn)
        self.events = Events(conn)
        self.settings = Settings(conn)
        self.stats = Stats(conn)
        self.suggestions = Suggestions(conn)
        self.tokens = Tokens(conn)
        self.selections = Selections(conn)
        self.assignments = Assignments(conn)
        self.transfer = Transfer(conn)
        self.agreement = Agreement(conn)
        self.review = Review(conn)

    @property
    def user(self) -> str | None:
        """The server's login role this store works as (None for a file): on a server an
        annotator is who they logged in as, not a name they type."""
        return self.conn.user

    @property
    def team_role(self) -> str | None:
        """The login's team role on a server (member, reviewer or admin); None for a file,
        where the one person working on it holds every role."""
        return None if self.conn.user is None else self.conn.team_role()

    def for_thread(self) -> Store:
        """This project on a connection of the calling thread (SQLite connections are not
        shared across threads), made on the thread's first call and kept for the next ones;
        the project was checked and migrated when this store opened, so that is not redone.
        The thread closes its own when it is done with it; the owner's `close` closes them
        all."""
        owner = self._owner or self
        ident = threading.get_ident()
        if ident == owner._thread:
            return owner
        with owner._threads_lock:
            store = owner._threads.get(ident)
            if store is None:
                store = owner._second()
                store._owner = owner
                owner._threads[ident] = store
        return store

    @contextlib.contextmanager
    def beside(self, *, lock_wait_ms: int = BUSY_TIMEOUT_MS) -> Iterator[Store]:
        """This project on a second connection of the calling thread, closed on leaving:
        for writes that must neither wait for nor join a read snapshot the first connection
        holds (an export keeps the tokens it makes while it reads). Its writes wait at most
        `lock_wait_ms` for another's lock, then are `StoreBusy`."""
        store = (self._owner or self)._second()
        try:
            set_lock_wait(store.conn, lock_wait_ms)
            yield store
        finally:
            store.conn.close()

    def _second(self) -> Store:
        """A store on a new connection to this project, not checked or migrated again."""
        store = Store.__new__(Store)
        store.location, store.read_only = self.location, self.read_only
        store._owner, store._thread = None, threading.get_ident()
        store._threads, store._threads_lock = {}, threading.Lock()
        if self.location.is_file:
            conn = connect(self.location, read_only=self.read_only, shared=True)
            if not self.read_only:
                prepare_writes(conn)
        else:
            conn = _open_server(self.location, self.read_only)
        store._attach(conn)
        return store

    def reconnect(self) -> None:
        """Reopen a server's project after its connection was lost (the server restarted,
        the network dropped); the repositories go on with the new one. A file has none."""
        if not self.location.is_file:
            self.conn.reconnect()

    def listen(self, handler):
        """Hand a server's announcements of new events to `handler`, from a thread of its
        own (`postgres/listen.py`); the call that stops it. A file announces nothing: None,
        and its followers read the log instead."""
        if self.location.is_file:
            return None
        from annotator.core.store.postgres.listen import Listener

        return Listener(self.location, handler).stop

    def transaction(self, *, batched: bool = False) -> contextlib.AbstractContextManager:
        """One transaction (see `connection.transaction`); `batched` for an edit's few
        statements, which on a server are then sent without waiting for each answer."""
        return transaction(self.conn, batched=batched)

    def snapshot(self) -> contextlib.AbstractContextManager:
        return snapshot(self.conn)

    def integrity_ok(self) -> bool:
        """Whether the file's pages are sound; a server keeps its own (always True)."""
        if self.conn.dialect != "sqlite":
            return True
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        """Close this connection; the owner's also closes every thread's it made."""
        if self._owner is not None:  # a thread is done with the project (a job lane ends)
            with self._owner._threads_lock:
                if self._owner._threads.get(threading.get_ident()) is self:
                    del self._owner._threads[threading.get_ident()]
            self.conn.close()
            return
        with self._threads_lock:
            for store in self._threads.values():
                store.conn.close()
            self._threads.clear()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
