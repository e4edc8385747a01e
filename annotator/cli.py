"""The command line over the core: `annotator [--db DB]` opens the app, subcommands do the rest.

Each subcommand lives in `annotator.commands.<name>` with `register(subparsers, common)`
and a `run(args) -> int` bound as the parser's default; this file only assembles them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.commands import COMMANDS, gui
from annotator.commands._output import error
from annotator.core.paths import default_db_path
from annotator.core.store import StoreError

EPILOG = (f"The project file defaults to $ANNOTATOR_DB, else {default_db_path()} "
          "(the user's data directory). The annotator's name comes from --annotator, else "
          "$ANNOTATOR_NAME; the app asks once and remembers it.")


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts, before or after its name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="DB", default=argparse.SUPPRESS,
                        help="project file (SQLite); see the note below for the default")
    common.add_argument("--annotator", metavar="NAME", default=argparse.SUPPRESS,
                        help="who is working; recorded on every annotation set and event")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="annotator", parents=[common], epilog=EPILOG,
        description="Curate entities and attributed claims in news articles. Without a "
                    "command, opens the app window on the project.")
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.set_defaults(run=gui.run)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers, common, EPILOG)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.db = getattr(args, "db", None)
    args.annotator = getattr(args, "annotator", None)
    try:
        return args.run(args)
    except StoreError as exc:  # the project cannot be used as asked: its sentence, no traceback
        error(str(exc))
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `annotator stats | head`: the reader has what it wanted
        # Python flushes stdout again at exit; pointing it at nothing keeps that quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
