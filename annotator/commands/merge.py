"""`annotator merge OTHER.db...`: bring the work of other projects into this one."""

from __future__ import annotations

import argparse

from annotator.commands._output import error, progress_bar
from annotator.core.project import command_line_annotator, open_project, role_on
from annotator.core.team.merge import MergeRefused, SourceReport, merge_projects


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "merge", parents=[common], epilog=epilog,
        help="merge other projects' annotation sets into this one (--db)",
        description="Copy every annotation set of the other projects (spans, claims, "
                    "document labels, status, the event log, the schema they were made "
                    "under) into this project, matching documents by id (the hash of their "
                    "text); a document this project lacks comes with its text. A set this "
                    "project also has keeps the one updated last and the other is reported. "
                    "Merging the same content twice adds nothing. A project whose sets use "
                    "labels missing from this project's schema, a newer or damaged file, or a "
                    "document whose text does not match its id is refused, and nothing is "
                    "merged. An admin's action.")
    parser.add_argument("others", nargs="+", metavar="OTHER",
                        help="project files (or postgresql:// URLs) to merge in")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing when all went well")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.db) as store, progress_bar("merging", "rows") as bar:
        who = command_line_annotator(args.annotator, store)
        try:
            reports = merge_projects(store, args.others, annotator=who, role=role_on(store),
                                     progress=bar)
        except MergeRefused as refused:
            error(str(refused))
            return 1
        target = store.location.display
    for report in reports:
        for line in describe(report, target):
            if not args.quiet or line.startswith("conflict"):
                print(line)
    return 0


def describe(report: SourceReport, target: str) -> list[str]:
    """What one source brought, then each conflict by document and annotator."""
    if report.already_merged:
        return [f"{report.source}: already merged on {report.already_merged}; nothing added"]
    lines = [(f"{report.source} merged into {target}: {report.documents} new document(s), "
              f"{report.sets_added} annotation set(s) added, {report.sets_replaced} replaced "
              f"by a newer one, {report.sets_unchanged} unchanged; {report.spans} span(s), "
              f"{report.claims} claim(s), {report.events} event(s)")]
    lines += [(f"conflict: {c.annotator}'s set of {c.doc_id[:12]} ({c.title}) changed in "
               f"both; kept the one of {c.kept} (updated last), set aside the one of "
               f"{c.set_aside} (updated {c.set_aside_updated_at})") for c in report.conflicts]
    return lines
