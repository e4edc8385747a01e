"""`annotator copy SRC DST`: a whole project from a file to a team's server or back."""

from __future__ import annotations

import argparse

from annotator.commands._output import progress_bar
from annotator.core.team.copy import copy_project


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "copy", parents=[common], epilog=epilog,
        help="copy a whole project between a file and a PostgreSQL server",
        description="Copy every table of a project, row by row with its ids, the event log "
                    "and caches included, from SRC to DST; each is a project file or a "
                    "postgresql:// URL. DST must be a new file (or an empty one) or a team "
                    "project just set up by `annotator team init`. The copy is all or "
                    "nothing: cancelled (Ctrl+C) or failed, DST is left as it was. SRC "
                    "must be at this Annotator's version (open it once to upgrade it).")
    parser.add_argument("source", metavar="SRC", help="the project to copy")
    parser.add_argument("destination", metavar="DST", help="where the copy goes")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with progress_bar("copying", "rows") as bar:
        report = copy_project(args.source, args.destination, bar)
    print(f"copied {report.source} to {report.destination}: "
          f"{report.rows.get('documents', 0)} document(s), "
          f"{report.rows.get('annotation_sets', 0)} annotation set(s), "
          f"{report.rows.get('spans', 0)} span(s), {report.rows.get('events', 0)} event(s); "
          f"{sum(report.rows.values())} row(s) in all")
    return 0
