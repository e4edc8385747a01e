"""Opening a project as a user means it: a migrated store with a current labeling schema."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.paths import default_db_path, default_schema_path
from annotator.core.schema import Schema, load_schema, stored_schema
from annotator.core.session import Session
from annotator.core.store import Store, StoreError


def resolve_annotator(explicit: str | None = None) -> str | None:
    """`--annotator`, else `$ANNOTATOR_NAME`; None means the caller must ask (the GUI does)."""
    name = (explicit or os.environ.get("ANNOTATOR_NAME") or "").strip()
    return name or None


def server_login(store: Store, explicit: str | None = None) -> str | None:
    """On a team server, who works: the login, never a typed name (the database's rights
    follow the login, so work recorded under another name could not be that person's).
    None for a project file."""
    if store.user is None:
        return None
    if explicit and explicit.strip() != store.user:
        raise StoreError(f"{store.location.display}: on a team server you work as your login "
                         f"({store.user}); --annotator {explicit.strip()} cannot be used there")
    return store.user


def command_line_annotator(explicit: str | None = None, store: Store | None = None) -> str:
    """Who a command-line action is recorded as: the login on a server; in a file the
    resolved name, else the OS user."""
    login = server_login(store, explicit) if store is not None else None
    return login or resolve_annotator(explicit) or getpass.getuser()


def command_line_session(store: Store, explicit: str | None = None) -> Session:
    """The session a command works in: its annotator, with the login's role on a server."""
    return Session(command_line_annotator(explicit, store), role=role_on(store))


def role_on(store: Store) -> str:
    """The role a person works in: the login's on a server; in a file every role is the
    one person's (docs/architecture.md, "People and rights")."""
    return store.team_role or rights.ADMIN


def open_project(db_path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open (creating if needed) a project; a new project gets the default schema."""
    store = Store(db_path or default_db_path(), read_only=read_only)
    if not read_only and store.settings.schema_body() is None:
        use_schema(store, load_schema(default_schema_path()), annotator="system")
    return store


def use_schema(store: Store, schema: Schema, *, annotator: str, role: str = rights.ADMIN
               ) -> None:
    """Make `schema` the project's current schema (an admin's action); earlier ones stay,
    keyed by hash."""
    session = Session(annotator, role=role)
    rights.check_admin(session.annotator, session.role, "change the labeling schema")
    with action(store, session, "schema.use", payload={
            "name": schema.name, "version": schema.version, "hash": schema.hash}):
        store.settings.add_schema(schema.hash, schema.name, schema.version,
                                  schema.model_dump(mode="json"))


def current_schema(store: Store) -> Schema:
    body = store.settings.schema_body()
    if body is None:
        raise LookupError(f"{store.location.display}: the project has no labeling schema")
    return stored_schema(body)
