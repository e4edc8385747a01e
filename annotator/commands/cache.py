"""`annotator cache clear --tokens|--suggestions|--all`: drop derived data to free disk."""

from __future__ import annotations

import argparse

from annotator.core.caches import KINDS, clear_caches
from annotator.core.project import open_project


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "cache", parents=[common], epilog=epilog, help="drop cached tokens or suggestions",
        description="The project caches derived data: every document's tokens (made by the "
                    "first export or when a document opens) and the model's suggestions "
                    "(made by `annotator suggest` or when a document opens).")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    clear = actions.add_parser(
        "clear", parents=[common], epilog=epilog, help="drop a cache and compact the file",
        description="Drop a cache in one transaction and compact the project file; nobody's "
                    "work is touched. Tokens are made again by the next export (the slow "
                    "first export again); suggestions by `annotator suggest` or as documents "
                    "open, which takes the model's time.")
    which = clear.add_mutually_exclusive_group(required=True)
    for kind in KINDS:
        which.add_argument(f"--{kind}", dest="kinds", action="store_const", const=(kind,),
                           help=f"drop the cached {kind}")
    which.add_argument("--all", dest="kinds", action="store_const", const=KINDS,
                       help="drop both")
    clear.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.db) as store:
        cleared = clear_caches(store, args.kinds)
    rows = ", ".join(f"{n:,} {kind} row(s)" for kind, n in cleared.rows.items())
    print(f"cleared {rows}; {cleared.bytes_freed / 2**20:,.1f} MiB freed")
    if not cleared.compacted:
        print("the project is open elsewhere, so the file keeps its size for now: the freed "
              "space is reused as the project grows")
    return 0
