"""`annotator assign --annotators A,B,... [--overlap PCT] [--per-doc N] [--seed N]`: hand the
documents out to a team (docs/architecture.md, "Handing out work")."""

from __future__ import annotations

import argparse

from annotator.commands._output import error
from annotator.core.errors import OpError
from annotator.core.project import command_line_session, open_project
from annotator.core.team.assign import assign


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "assign", parents=[common], epilog=epilog,
        help="hand the documents out to a team of annotators",
        description="Give every included document to one annotator, and --overlap percent of "
                    "them to --per-doc annotators (for agreement), balanced by the words each "
                    "still has to do. Run again after an import to hand out only the new "
                    "documents; started work never moves. Leaving a person out of "
                    "--annotators hands their documents not started to the others.")
    parser.add_argument("--annotators", metavar="A,B,...", required=True,
                        help="the team, comma-separated")
    parser.add_argument("--overlap", type=float, default=0, metavar="PCT",
                        help="percent of the documents annotated by several people "
                             "(default 0)")
    parser.add_argument("--per-doc", type=int, default=2, metavar="N",
                        help="annotators of each overlap document (default 2)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="which documents overlap and who breaks ties (default 0); the "
                             "same seed gives the same assignment")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    names = [name.strip() for name in args.annotators.split(",")]
    with open_project(args.db) as store:
        session = command_line_session(store, args.annotator)
        try:
            handout = assign(store, session, names, overlap=args.overlap,
                             per_doc=args.per_doc, seed=args.seed)
        except OpError as exc:
            error(str(exc))
            return 1
    moved = len(handout.removed)
    print(f"{handout.documents} document(s): {handout.new_documents} newly assigned, "
          f"{handout.overlapping} to more than one annotator"
          + (f"; {moved} not started taken from people no longer named" if moved else ""))
    width = max(len(name) for name in handout.shares)
    for name, share in handout.shares.items():
        print(f"  {name:<{width}}  {share.documents:>6} document(s)  "
              f"{share.words_to_do:>9,} words to do")
    return 0
