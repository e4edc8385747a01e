"""`annotator review [queue|summary|accept-agreed|report]`: adjudicating annotators' work
into gold (README, "Review"). Plain `annotator review` opens the app in review mode; the
actions work from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

import orjson

from annotator.commands._output import error
from annotator.commands._project import open_for_reading
from annotator.core.errors import RightsError
from annotator.core.project import command_line_session, current_schema, open_project
from annotator.core.project_settings import review_rule, set_review_rule
from annotator.core.review.queue import STATES, Queue, review_queue
from annotator.gui.platform_check import window_problem


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "review", parents=[common], epilog=epilog,
        help="the review queue, agreed work into gold, feedback per annotator",
        description="Documents that at least two annotators finished are reviewed into "
                    "gold. Without an action, opens the app in review mode (reviewers and "
                    "admins).")
    parser.set_defaults(run=run_window)
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    summary = actions.add_parser(
        "summary", parents=[common], epilog=epilog, help="count the queue's documents",
        description="Print how many documents are in the queue in each review state and how "
                    "many were left out, and why.")
    summary.set_defaults(run=run_summary)
    queue = actions.add_parser(
        "queue", parents=[common], epilog=epilog, help="list the documents to review",
        description="List the documents at least two annotators finished, lowest agreement "
                    "first (agreement: agreed items / (agreed items + conflicts)), with their "
                    "annotators and review state; --json prints {\"documents\": [...], "
                    "\"left_out\": {reason: count}}.")
    queue.add_argument("--json", action="store_true", help="print the queue as JSON")
    queue.add_argument("--by", metavar="NAME", help="only documents NAME finished")
    queue.add_argument("--label", metavar="LABEL",
                       help="only documents where a finished annotator used LABEL")
    queue.add_argument("--state", choices=STATES, help="only documents in this review state")
    queue.set_defaults(run=run_queue)
    accept = actions.add_parser(
        "accept-agreed", parents=[common], epilog=epilog,
        help="write what annotators agree on into gold",
        description="Write into each queued document's gold what at least K of its finished "
                    "annotators agree on (default: the project's majority rule, `annotator "
                    "review rule`; without one, all of them), leaving every other "
                    "conflict for review, one recorded action per document. Documents "
                    "whose gold is marked reviewed are left alone. Reviewers and admins "
                    "only.")
    accept.add_argument("--min", metavar="K", type=int, dest="min_agree",
                        help="accept what at least K annotators agree on")
    accept.set_defaults(run=run_accept)
    rule = actions.add_parser(
        "rule", parents=[common], epilog=epilog, help="the project's majority rule",
        description="Show or set the project's majority rule: what at least K finished "
                    "annotators agree on goes into gold before the reviewer starts (in the "
                    "app and for accept-agreed); the conflicts it settles stay reviewable. "
                    "`off`: only what all of them agree on. Setting it is an admin's step.")
    rule.add_argument("value", metavar="K|off", nargs="?",
                      help="at least K annotators (2 or more), or off")
    rule.set_defaults(run=run_rule)
    report = actions.add_parser(
        "report", parents=[common], epilog=epilog, help="each annotator against gold",
        description="Per annotator against gold: precision, recall and F1 per entity label "
                    "and for claims (content, source, cue, type), versions kept, and the "
                    "most frequent label confusions with example documents.")
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    report.add_argument("--html", metavar="FILE", type=Path, help="also write an HTML page")
    report.set_defaults(run=run_report)


def run_window(args: argparse.Namespace) -> int:
    problem = window_problem()
    if problem:
        error(f"{problem} (`annotator review summary` and `queue` work without a window)")
        return 1
    from annotator.gui.app import run_app  # Qt loads only when a window is wanted

    return run_app(args.db, args.annotator, review=True)


def run_summary(args: argparse.Namespace) -> int:
    with open_for_reading(args.db) as store:
        queue = review_queue(store, schema_hash=_schema_hash(store))
    counts = {state: sum(d.state == state for d in queue.documents) for state in STATES}
    print(f"review queue: {len(queue.documents)} document(s): "
          + ", ".join(f"{n} {state}" for state, n in counts.items()))
    _print_left_out(queue)
    print("`annotator review queue` lists them; the app reviews them.")
    return 0


def run_queue(args: argparse.Namespace) -> int:
    with open_for_reading(args.db) as store:
        queue = review_queue(store, annotator=args.by, label=args.label, state=args.state,
                             schema_hash=_schema_hash(store))
    if args.json:
        print(orjson.dumps(queue.as_json(), option=orjson.OPT_INDENT_2).decode())
        return 0
    for doc in queue.documents:
        flag = f"  (other schema: {', '.join(doc.flagged)})" if doc.flagged else ""
        print(f"{doc.agreement:6.1%}  {doc.state:<20}  {doc.doc_id[:12]}  "
              f"{', '.join(doc.annotators)}  {doc.conflicts} conflict(s)  {doc.title}{flag}")
    if not queue.documents:
        print("no document to review")
    _print_left_out(queue)
    return 0


def run_accept(args: argparse.Namespace) -> int:
    # Imported here, as in run_report: ops and reports cost every other command's start.
    from annotator.core.review.batch import accept_agreed_everywhere

    store = open_project(args.db)
    try:
        session = command_line_session(store, args.annotator)
        if args.min_agree is None:
            args.min_agree = review_rule(store)
        try:
            summary = accept_agreed_everywhere(store, session, min_agree=args.min_agree,
                                               schema_hash=_schema_hash(store))
        except (RightsError, ValueError) as exc:
            error(str(exc))
            return 1
    finally:
        store.close()
    added = summary.added
    print(f"gold written for {summary.written} document(s): {added['entities']} entities, "
          f"{added['claims']} claims, {added['cats']} document labels; "
          f"{summary.unchanged} unchanged, {summary.reviewed} already reviewed"
          + (f", {summary.too_few} with fewer finished annotators than {args.min_agree}"
             if summary.too_few else ""))
    if added["kept"]:
        print(f"{added['kept']} agreed item(s) left as gold already decides them")
    print(f"{summary.left_for_review} conflict(s) left for review")
    return 0


def run_rule(args: argparse.Namespace) -> int:
    if args.value is None:
        with open_for_reading(args.db) as store:
            k = review_rule(store)
        print(f"majority rule: what at least {k} finished annotators agree on goes into gold"
              if k else "majority rule off: gold starts with what all finished annotators "
                        "agree on")
        return 0
    value = args.value.strip().lower()
    if value != "off" and not value.isdigit():
        error(f"expected a number of annotators or off, not {args.value!r}")
        return 1
    min_agree = None if value == "off" else int(value)
    with open_project(args.db) as store:
        try:
            set_review_rule(store, command_line_session(store, args.annotator), min_agree)
        except (RightsError, ValueError) as exc:
            error(str(exc))
            return 1
    print(f"majority rule set: at least {min_agree} annotators" if min_agree is not None
          else "majority rule off")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from annotator.core.review.report import review_report
    from annotator.core.review.report_html import render

    with open_for_reading(args.db) as store:
        report = review_report(store).as_json()
        title = f"Review report: {store.location.display}"
    if args.html:
        try:
            args.html.write_text(render(report, title), encoding="utf-8")
        except OSError as exc:
            error(f"{args.html}: cannot write the report ({exc.strerror})")
            return 1
    if args.json:
        print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
        return 0
    print(f"{report['documents']} document(s) with gold ({report['reviewed']} reviewed)")
    for name, person in report["annotators"].items():
        entities = person["entities"]["all"]
        print(f"\n{name}: {person['documents']} document(s); versions kept "
              f"{person['versions']['kept']} of {person['versions']['of']}")
        print(f"  entities  P {entities['precision']:.2f}  R {entities['recall']:.2f}  "
              f"F1 {entities['f1']:.2f}")
        for label, c in person["entities"]["labels"].items():
            print(f"    {label:<12} P {c['precision']:.2f}  R {c['recall']:.2f}  "
                  f"F1 {c['f1']:.2f}  ({c['correct']} of {c['gold']} in gold)")
        for figure, c in person["claims"].items():
            print(f"  claims {figure:<8} P {c['precision']:.2f}  R {c['recall']:.2f}  "
                  f"F1 {c['f1']:.2f}")
        for c in person["confusions"][:10]:
            print(f"  {c['theirs']}→{c['gold']} {c['count']} time(s), e.g. "
                  + ", ".join(d[:12] for d in c["examples"]))
    if args.html:
        print(f"\nwritten to {args.html}")
    return 0


def _print_left_out(queue: Queue) -> None:
    if queue.left_out:
        print("left out: " + ", ".join(f"{n} {reason}" for reason, n in queue.left_out.items()))


def _schema_hash(store) -> str | None:
    try:
        return current_schema(store).hash
    except LookupError:
        return None
