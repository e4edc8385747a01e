"""`annotator export --format jsonl|spacy|conll`: a dataset out of the project, with a manifest."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from annotator.commands._output import error, progress_bar
from annotator.commands._project import open_for_reading
from annotator.core.export import (FORMATS, ExportError, ExportOptions, SplitError,
                                   default_folder, export_dataset)
from annotator.core.export.summary import summary_lines


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "export", epilog=epilog,
        help="write a dataset (JSONL, spaCy .spacy, CoNLL) with a manifest",
        description="Export annotations as Prodigy-compatible JSONL, spaCy DocBin (.spacy) or "
                    "CoNLL-2003/IOB2 files, with manifest.json and datasheet.md beside them. "
                    "Only finished (done) documents are exported unless --include-unfinished; "
                    "documents marked excluded never are. Every record is checked first "
                    "(offsets, token alignment, overlapping entities): any failure names the "
                    "document and span and writes nothing. An existing output folder is never "
                    "overwritten.")
    parser.add_argument("--db", metavar="DB", default=argparse.SUPPRESS,
                        help="project file (SQLite); see the note below for the default")
    parser.add_argument("--format", choices=FORMATS, default="jsonl",
                        help="jsonl (default), spacy or conll")
    # Its own dest: the global --annotator (who is working) must never choose whose work.
    parser.add_argument("--annotator", dest="whose", metavar="NAME|gold|latest|model",
                        default="latest",
                        help="whose work: an annotator's name, gold (adjudicated), latest "
                             "(the default: per document the finished set, gold first, else "
                             "the most recently changed; $ANNOTATOR_NAME is not used here) or "
                             "model (the current model's cached suggestions)")
    parser.add_argument("--include-unfinished", action="store_true",
                        help="also export sets not marked done (answer: ignore, with _status)")
    parser.add_argument("--with-rejected", action="store_true",
                        help="add an answer: reject record per rejected entity suggestion "
                             "(JSONL only; the other formats have no place for them)")
    parser.add_argument("--split", metavar="80/10/10",
                        help="write train/dev(/test) files; near-duplicates and reports of the "
                             "same story stay in one split")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default: a new exports/<time>-<format>-<who>)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = ExportOptions(format=args.format, annotator=args.whose,
                            include_unfinished=args.include_unfinished,
                            with_rejected=args.with_rejected, split=args.split, seed=args.seed)
    out = Path(args.out) if args.out else default_folder(options)
    command = shlex.join(["annotator", *sys.argv[1:]])
    with open_for_reading(args.db) as store, progress_bar("exporting", "doc") as bar:
        try:
            result = export_dataset(store, options, out, command=command, progress=bar)
        except (ExportError, SplitError) as exc:
            error(str(exc))
            error("nothing written")
            return 1
    manifest = result.manifest
    for line in summary_lines(manifest):
        print(line)
    written = dict.fromkeys(f["name"].split("/")[0] for f in manifest["files"])  # shards
    print(f"wrote {result.folder} ({', '.join(written)}, manifest.json, datasheet.md)")
    return 0
