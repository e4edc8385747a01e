"""`annotator stats [--json]`: what the project holds."""

from __future__ import annotations

import argparse

import orjson

from annotator.commands._project import open_for_reading
from annotator.core.curate.dashboard import figures


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "stats", parents=[common], epilog=epilog,
        help="count documents, annotation sets and spans, and each annotator's progress",
        description="Count documents, annotation sets by annotator and status, and spans by "
                    "layer, label and state; per annotator, the documents assigned, done and "
                    "remaining, and the pace (documents per hour, from the event log). "
                    "The dashboard's figures too (Project → Dashboard in the app): "
                    "included documents by status, excluded by reason, accepted entities by "
                    "label, claims by type, and per annotator the documents done and the "
                    "pace by day. --json prints one object whose key 'documents' is the "
                    "number of documents and 'dashboard' the dashboard's figures.")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_for_reading(args.db) as store:
        summary = store.stats.summary()
        summary["dashboard"] = figures(store)
    if args.json:
        print(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode())
        return 0
    print(f"documents: {summary['documents']} ({summary['excluded_documents']} excluded)")
    print("annotation sets:" + ("" if summary["annotation_sets"] else " none"))
    for annotator, statuses in summary["annotation_sets"].items():
        counts = ", ".join(f"{status} {n}" for status, n in statuses.items())
        print(f"  {annotator}: {counts}")
    print("spans:" + ("" if summary["spans"] else " none"))
    for layer, labels in summary["spans"].items():
        for label, states in labels.items():
            counts = ", ".join(f"{state} {n}" for state, n in states.items())
            print(f"  {layer:<7} {label:<14} {counts}")
    print("annotators:" + ("" if summary["annotators"] else " none"))
    for annotator, work in summary["annotators"].items():
        pace = "no pace yet" if work["pace"] is None else f"{work['pace']:g} documents/hour"
        print(f"  {annotator}: assigned {work['assigned']}, done {work['done']}, "
              f"remaining {work['remaining']}, {pace}")
    print(f"claims: {summary['claims']}")
    print(f"events: {summary['events']}")
    _dashboard(summary["dashboard"])
    print("cached suggestions:" + ("" if summary["suggestions"] else " none"))
    for model, labels in summary["suggestions"].items():
        print(f"  {model}: " + ", ".join(f"{label} {n}" for label, n in labels.items()))
    return 0


def _counts(title: str, counts: dict[str, int]) -> None:
    print(f"{title}: " + (", ".join(f"{key or '(no reason)'} {n}" for key, n in counts.items())
                          or "none"))


def _dashboard(shown: dict) -> None:
    _counts("documents by status", shown["by_status"])
    _counts("excluded by reason", shown["excluded_by_reason"])
    _counts("entities by label", shown["entity_labels"])
    _counts("claims by type", shown["claim_types"])
    print("done by day:" + ("" if shown["progress"] else " none"))
    for annotator, days in shown["progress"].items():
        print(f"  {annotator}: " + ", ".join(
            f"{d['day']} {d['done']}" + ("" if d["pace"] is None else f" ({d['pace']:g}/h)")
            for d in days))
