"""`annotator curate exclude|include|clusters|claims`: which documents belong in the dataset,
how they group into stories, and which claims of a story several outlets carry."""

from __future__ import annotations

import argparse

import orjson

from annotator.commands._output import error, progress_bar
from annotator.core import ops
from annotator.core.curate.exclusion import REASONS, reason_text
from annotator.core.project import command_line_session, open_project
from annotator.core.store.search import QueryError

MIN_PREFIX = 6  # shorter prefixes of a 64-hex id are too easy to mistype into another


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "curate", epilog=epilog, help="include or exclude documents from the dataset",
        description="Curation: an excluded document stays in the project, greyed out of the "
                    "work and never exported. Each call is one recorded action.")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    for name, verb in (("exclude", "leave out of"), ("include", "bring back into")):
        action = actions.add_parser(
            name, parents=[common], epilog=epilog, help=f"{verb} the dataset",
            description=f"{verb.capitalize()} the dataset the documents named by id (or a "
                        f"unique prefix of at least {MIN_PREFIX} characters) and/or every "
                        "document a full-text search finds.")
        action.add_argument("ids", nargs="*", metavar="ID", help="document ids or prefixes")
        action.add_argument("--query", metavar="TEXT",
                            help="every document whose title or text matches this search")
        if name == "exclude":
            action.add_argument("--reason", choices=REASONS, default=None,
                                help="why: " + ", ".join(REASONS) + " (other needs --note)")
            action.add_argument("--note", metavar="TEXT", help="a few words on the reason")
        action.set_defaults(run=run, curation="excluded" if name == "exclude" else "included")
    clusters = actions.add_parser(
        "clusters", parents=[common], epilog=epilog,
        help="group reprints and reports of one story, and list the groups",
        description="Group near-duplicates (reprints, syndicated copies) and reports of the "
                    "same story with the grouping the export's splits use, store each "
                    "document's clusters, and list the clusters of more than one document: "
                    "each story, after the groups of near-duplicates inside it (a document "
                    "in a duplicate cluster is also in its story).")
    clusters.add_argument("--json", action="store_true",
                          help='print {"clusters": [{"id", "kind": "duplicate"|"story", '
                               '"documents": [{"doc_id", "title"}]}]}')
    clusters.set_defaults(run=run_clusters)
    claims = actions.add_parser(
        "claims", parents=[common], epilog=epilog,
        help="group the claims a story's outlets share, with their sources and cues",
        description="For each story (a cluster of reports, see `curate clusters`), group the "
                    "claims of different reports that say the same thing, each with its "
                    "source and cue. --annotator picks whose claims: a person's, gold or "
                    "model; by default gold, else a finished set, else the model's "
                    "suggestions (`annotator suggest` caches them).")
    claims.add_argument("--json", action="store_true",
                        help='print {"groups": [{"story", "outlets", "claims": [{"doc_id", '
                             '"outlet", "version", "type", "content", "source", "cue"}]}]}')
    claims.set_defaults(run=run_claims)


def run(args: argparse.Namespace) -> int:
    if not args.ids and not args.query:
        error("name documents by id or give --query")
        return 2
    with open_project(args.db) as store:
        doc_ids = []
        for prefix in args.ids:
            if len(prefix) < MIN_PREFIX:
                error(f"{prefix}: give at least {MIN_PREFIX} characters of the id")
                return 2
            found = store.documents.with_prefix(prefix)
            if len(found) != 1:
                error(f"{prefix}: " + ("no such document" if not found else
                                       "matches several documents; give more characters"))
                return 2
            doc_ids += found
        session = command_line_session(store, args.annotator)
        if args.query:
            try:  # annotation terms name this annotator's work unless `annotator:` says whose
                matches = store.documents.ids_in_order(search=args.query,
                                                       annotator=session.annotator)
            except QueryError as exc:
                error(f"--query: {exc}")
                return 2
            if not matches:
                error(f"no document matches {args.query!r}")
                return 1
            doc_ids += matches
        try:
            reason = None
            if args.curation == "excluded" and (args.reason or args.note):
                reason = reason_text(args.reason or "other", args.note)
            change = ops.set_curation(session, store, doc_ids, args.curation,
                                      reason).apply(store)
        except ops.OpError as exc:
            error(str(exc))
            return 1
    print(f"{args.curation} {len(change.docs)} document(s)" + (f": {reason}" if reason else ""))
    return 0


def run_clusters(args: argparse.Namespace) -> int:
    from annotator.core.curate.clusters import listing, refresh_clusters

    with open_project(args.db) as store:
        session = command_line_session(store, args.annotator)
        with progress_bar("grouping", "doc") as bar:
            refresh = refresh_clusters(store, session, bar)
        shown = listing(store)
    if args.json:
        print(orjson.dumps({"clusters": shown}).decode())
        return 0
    stories = sum(1 for cluster in shown if cluster["kind"] == "story")
    print(f"{refresh.documents} document(s) in {refresh.clusters} story cluster(s), {stories} "
          f"of more than one document; {refresh.duplicates} duplicate cluster(s)")
    for cluster in shown:
        print(f"{cluster['kind']} {cluster['id'][:12]}:")
        for member in cluster["documents"]:
            print(f"  {member['doc_id'][:12]}  {member['title']}")
    return 0


def run_claims(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from annotator.core.curate.corroborate import corroboration

    with open_project(args.db, read_only=True) as store:
        if not store.documents.clusters():
            error("no clusters yet: run `annotator curate clusters` first")
            return 1
        groups = corroboration(store, getattr(args, "annotator", None))
    if args.json:
        print(orjson.dumps({"groups": [
            {"story": g.story, "outlets": g.outlets, "claims": [asdict(c) for c in g.claims]}
            for g in groups]}).decode())
        return 0
    if not groups:
        print("no claim is carried by more than one report of a story")
    for group in groups:
        print(f"{len(group.outlets)} outlets: {'; '.join(o[:40] for o in group.outlets)}")
        for claim in group.claims:
            said = " ".join(part for part in (claim.source, claim.cue) if part) or "unattributed"
            print(f"  {claim.doc_id[:8]} [{said}] {claim.content}")
    return 0
