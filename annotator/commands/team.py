"""`annotator team init URL` and `annotator team add-user NAME`: a team's project on a
PostgreSQL server (README, "Team server")."""

from __future__ import annotations

import argparse
import getpass
import os

from annotator.commands._output import error
from annotator.core.store import Location
from annotator.core.store.postgres import ROLES


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "team", epilog=epilog, help="set up a team's project on a PostgreSQL server",
        description="A team works on one project on a PostgreSQL server, each person with "
                    "their own login and rights enforced by the server. Passwords are read "
                    "the libpq ways (PGPASSWORD, ~/.pgpass, a service file), never from URLs.")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", parents=[common], epilog=epilog, help="create or upgrade a team's project",
        description="Create (or upgrade) the project's tables in an existing database, the "
                    "roles annotator_member, annotator_reviewer and annotator_admin, and the "
                    "row-level security that lets members write only their own work. Run it "
                    "as the server's administrator, e.g. postgresql://postgres@HOST/DATABASE.")
    init.add_argument("url", metavar="URL", help="postgresql://ADMIN@HOST[:PORT]/DATABASE")
    init.set_defaults(run=run_init)
    add = actions.add_parser(
        "add-user", parents=[common], epilog=epilog, help="give a person a login",
        description="Create a login for a person on the project's server (--db). Their "
                    "login name is their annotator name. The password is read from "
                    "$ANNOTATOR_PASSWORD when set, else asked for; it is never stored or "
                    "shown.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, default="member",
                     help="member (default): annotates; reviewer: also writes gold; "
                          "admin: imports, curates, changes schema, model and settings")
    add.set_defaults(run=run_add_user)


def run_init(args: argparse.Namespace) -> int:
    # Imported here: psycopg's import would slow down every other command.
    from annotator.core.store.postgres import team

    location = _server(args.url)
    if location is None:
        return 1
    applied = team.init(location)
    done = f"migrations {applied[0]}–{applied[-1]} applied" if applied else "schema up to date"
    print(f"{location.display}: team project ready ({done}; roles and rights set)")
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    from annotator.core.store.postgres import team

    location = _server(args.db or os.environ.get("ANNOTATOR_DB"))
    if location is None:
        return 1
    password = os.environ.get("ANNOTATOR_PASSWORD") or _ask_password(args.name)
    if password is None:
        return 1
    team.add_user(location, args.name, args.role, password)
    print(f"{location.display}: user {args.name} added as {args.role}")
    return 0


def _server(url: str | None) -> Location | None:
    location = Location.parse(url) if url else None
    if location is None or location.is_file:
        error("name the team's server: a postgresql://USER@HOST/DATABASE URL "
              "(for add-user, by --db or $ANNOTATOR_DB)")
        return None
    return location


def _ask_password(name: str) -> str | None:
    password = getpass.getpass(f"Password for {name}: ")
    if getpass.getpass("Again: ") != password:
        error("the two passwords differ; nothing was changed")
        return None
    return password
