"""`annotator import PATH...`: bring articles, and annotations made elsewhere, into the project."""

from __future__ import annotations

import argparse
import sys

from annotator.commands._output import error, progress_bar
from annotator.core.curate.clusters import refresh_after_import
from annotator.core.importers import ImportFailed, grouped, import_paths
from annotator.core.session import Session
from annotator.core.project import command_line_annotator, open_project, resolve_annotator


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "import", parents=[common], epilog=epilog,
        help="import articles (.txt, folders, .jsonl) and annotations (JSONL, Label Studio)",
        description="Import articles. A .txt file is one article: its first line is the "
                    "title, a 'date YYYY-MM-DD' header line gives the date. A .jsonl file "
                    'holds one {"text": ..., "meta": {...}} object per line, optionally with '
                    "annotations: our own JSONL export and Prodigy db-out records (spans, "
                    "claims, cats, answer, _annotator_id), or doccano records (label: "
                    "[[start, end, LABEL]] or entities/relations). A .json file named on the "
                    "command line is read as a Label Studio JSON export. Labels are mapped "
                    "through the project's schema (document labels too: textcat, choices, cats); "
                    "unknown labels are problems, or renamed with --map. A record with "
                    "_annotator_id lands as that annotator's work (answer accept: done; "
                    "binary ner.teach decisions: in progress; the latest of conflicting "
                    "decisions holds), other annotations as --annotator's. Records without "
                    "an answer and Label Studio predictions arrive as suggestions to "
                    "review. Exact duplicates without annotations are "
                    "skipped and reported. Any invalid input stops the whole import and "
                    "nothing is stored, unless --skip-invalid is given.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="import the valid part and list what was skipped")
    parser.add_argument("--as-done", action="store_true",
                        help="take records without an answer (a model's output) as finished "
                             "work, not as suggestions to review")
    parser.add_argument("--map", action="append", default=[], metavar="FROM=TO",
                        type=_mapping, help="read the incoming label FROM as TO (repeatable), "
                                            "e.g. --map DRUG=ORG or --map Positive=positive")
    parser.add_argument("--add-labels", action="store_true",
                        help="add unknown entity labels to the project's schema, in the same "
                             "all-or-nothing import")
    parser.add_argument("--text-key", metavar="KEY",
                        help="the Label Studio data field holding the text (e.g. reviewText "
                             "for $reviewText), when it is not 'text'")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing when all went well")
    parser.set_defaults(run=run)


def _mapping(value: str) -> tuple[str, str]:
    source, sep, target = value.partition("=")
    if not sep or not source or not target:
        raise argparse.ArgumentTypeError(f"expected FROM=TO, got {value!r}")
    return source, target


def run(args: argparse.Namespace) -> int:
    with open_project(args.db) as store, progress_bar("importing", "B", unit_scale=True) as bar:
        # --annotator credits imported sets that name nobody; on a server too (an admin
        # imports the team's work), where the import is otherwise the login's.
        importer = resolve_annotator(args.annotator) or command_line_annotator(None, store)
        try:
            report = import_paths(store, args.paths, annotator=importer, skip_invalid=args.skip_invalid, as_done=args.as_done,
                label_map=dict(args.map), text_key=args.text_key, add_labels=args.add_labels,
                progress=bar)
            refresh_after_import(store, Session(importer), report.imported)
        except ImportFailed as failed:
            for line in grouped(failed.report.problems):
                error(line)
            error(f"nothing imported: {len(failed.report.problems)} problem(s); fix them or "
                  "use --skip-invalid to import the valid part")
            return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.credited and store.user is None and resolve_annotator(args.annotator) is None:
        print(f"warning: {report.credited} annotation set(s) name no annotator and were "
              f"credited to {importer!r}, the operating-system user: to credit who made "
              "them, import with --annotator NAME (or set ANNOTATOR_NAME)", file=sys.stderr)
    for line in grouped(report.problems):
        print(f"skipped: {line}", file=sys.stderr)
    if not args.quiet:
        for duplicate in report.duplicates:
            print(f"duplicate: {duplicate.origin} (same text as {duplicate.first_seen})")
        print(f"imported {report.imported} document(s) from {report.files} file(s) into "
              f"{store.location.display}; {len(report.duplicates)} duplicate(s) skipped"
              + (f", {len(report.problems)} invalid skipped" if report.problems else ""))
        if report.annotation_sets:
            print(f"annotations: {report.annotation_sets} annotation set(s), {report.spans} "
                  f"span(s) ({report.suggestions} suggested, to review), {report.claims} "
                  f"claim(s)" + (f"; {report.conflicts} conflicting decision(s), the latest "
                                 "kept (see the warnings)" if report.conflicts else ""))
    return 0
