"""`annotator lint [--json] [--annotator NAME|gold]`: consistency checks over finished work."""

from __future__ import annotations

import argparse
import sys

import orjson

from annotator.commands._project import open_for_reading
from annotator.core.curate.lint import RULES, Finding, lint


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "lint", parents=[common], epilog=epilog,
        help="check finished work for inconsistent labels, missed mentions, claim parts",
        description="Check the finished annotation sets (of --annotator, gold, or by default "
                    "per document the one an export would choose) for: a form labelled "
                    "differently across documents (label_conflict), a labelled form left "
                    "unlabelled elsewhere (missed_mention), claims lacking the source or cue "
                    "their type has or with a source far from them (claim_parts), and spans "
                    "that cut a word or are edged with spaces (span_edges). Only reads; the "
                    "app's fixes are one undoable step each.")
    parser.add_argument("--rule", action="append", choices=RULES, metavar="RULE",
                        help=f"only this rule (repeatable): {', '.join(RULES)}")
    parser.add_argument("--json", action="store_true",
                        help='print {"findings": [{"rule", "text", "message", "labels", '
                             '"documents", "spans"}]}')
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    annotator = getattr(args, "annotator", None)
    with open_for_reading(args.db) as store:
        if annotator is not None and annotator not in store.sets.annotators():
            findings = None
        else:
            findings = lint(store, annotator, tuple(args.rule or RULES))
    if args.json:
        _write_json(findings or [])
        return 0
    if findings is None:
        print(f"no finished work of {annotator} to check")
        return 0
    if not findings:
        print("no findings")
    for finding in findings:
        where = ", ".join(d[:8] for d in finding.documents[:5])
        more = f" and {len(finding.documents) - 5} more" if len(finding.documents) > 5 else ""
        print(f"{finding.rule}: {finding.message} — in {where}{more}")
    return 0


def _write_json(findings: list[Finding]) -> None:
    """`{"findings": [...]}` as one line, written a finding at a time: a finding can hold a
    million places, and the whole document at once would hold them twice. orjson writes
    the dataclasses itself, as bytes (`asdict` copying the places cost more than finding
    them)."""
    out = sys.stdout.buffer
    sys.stdout.flush()
    out.write(b'{"findings":[')
    for n, finding in enumerate(findings):
        if n:
            out.write(b",")
        out.write(orjson.dumps(finding))
    out.write(b"]}\n")
