"""`annotator [--db DB]` (or `annotator gui`): open the app window on the project."""

from __future__ import annotations

import argparse

from annotator.commands._output import error
from annotator.gui.platform_check import window_problem


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "gui", parents=[common], epilog=epilog, help="open the app window (the default)",
        description="Open the app window on the project. The same as running annotator "
                    "without a command.")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    problem = window_problem()
    if problem:
        error(problem)
        return 1
    from annotator.gui.app import run_app  # Qt loads only when a window is wanted

    return run_app(args.db, args.annotator)
