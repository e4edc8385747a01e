"""`annotator agreement`: how far annotators agree on the documents two of them finished."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

import orjson

from annotator.commands._output import error, progress_bar
from annotator.commands._project import open_for_reading


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "agreement", parents=[common], epilog=epilog,
        help="measure how far annotators agree",
        description="Compare annotators over the documents two of them finished (status "
                    "done): entities (precision, recall, F1, exact and overlapping, per "
                    "label), Krippendorff's alpha for unitizing per label over all "
                    "annotators of each document, token-level Cohen's kappa, claims, "
                    "document labels (kappa per pair, Krippendorff's alpha per group), and a "
                    "score per document. --json prints one object with the keys "
                    "'documents', 'pairs', 'alpha_u' and 'per_document'.")
    parser.add_argument("--annotators", metavar="A,B,...",
                        help="who to compare (default: everyone who finished a document)")
    parser.add_argument("--labels", metavar="L,M,...",
                        help="compare only these entity labels")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--csv", metavar="DIR", type=Path,
                        help="also write pairs.csv, labels.csv and documents.csv into DIR")
    parser.add_argument("--per-document", action="store_true",
                        help="also list every document, least agreement first")
    parser.set_defaults(run=run)


def _names(text: str | None) -> list[str] | None:
    return [name.strip() for name in text.split(",") if name.strip()] if text else None


def run(args: argparse.Namespace) -> int:
    from annotator.core.team.agreement import AgreementError, measure, nothing_message

    with open_for_reading(args.db) as store, progress_bar("comparing", "doc") as bar:
        try:
            result = measure(store, _names(args.annotators), _names(args.labels), bar)
        except AgreementError as exc:
            error(str(exc))
            return 2
    if args.csv:
        write_csv(result, args.csv)
    if not result["documents"]:
        print(nothing_message(result), file=sys.stderr)
    if args.json:
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    elif result["documents"]:
        print(report(result, per_document=args.per_document))
    return 0


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def report(result: dict[str, Any], *, per_document: bool = False) -> str:
    lines = [f"Agreement over {result['documents']} document(s) finished by at least two of "
             f"{', '.join(result['annotators'])}.", "",
             f"{'pair':<24} {'docs':>5} {'F1 exact':>8} {'overlap':>8} {'tokens κ':>8} "
             f"{'claims F1':>9} {'source':>6} {'cue':>5} {'type':>5} {'labels κ':>8}"]
    for pair in result["pairs"]:
        entities, claims = pair["entities"], pair["claims"]
        lines.append(
            f"{pair['a'] + ' – ' + pair['b']:<24} {pair['documents']:>5} "
            f"{_figure(entities['exact']['f1']):>8} {_figure(entities['overlap']['f1']):>8} "
            f"{_figure(pair['tokens']['kappa']):>8} {_figure(claims['overlap']['f1']):>9} "
            f"{_figure(claims['source']):>6} {_figure(claims['cue']):>5} "
            f"{_figure(claims['type']):>5} {_figure(pair['doc_labels']['kappa']):>8}")
    alpha = result["alpha_u"]
    lines += ["", f"Krippendorff's α_U (all annotators of each document): "
                  f"{_figure(alpha['overall'])}"]
    lines += [f"  {label:<14} {_figure(value)}" for label, value in alpha["per_label"].items()]
    groups = result["doc_labels"]["alpha"]
    if groups:
        lines += ["", "Document labels, Krippendorff's α (nominal): " + ", ".join(
            f"{group} {_figure(value)}" for group, value in groups.items())]
    if per_document:
        lines += ["", f"{'score':>5}  {'document':<12}  annotators / title"]
        lines += [f"{d['score']:>5.2f}  {d['doc_id'][:12]}  {', '.join(d['annotators'])}: "
                  f"{d['title']}" for d in result["per_document"]]
    return "\n".join(lines)


def write_csv(result: dict[str, Any], folder: Path) -> None:
    """pairs.csv (a row per pair), labels.csv (a row per pair and label, and α_U per
    label) and documents.csv (a row per document, least agreement first)."""
    folder.mkdir(parents=True, exist_ok=True)
    pairs, labels = [], []
    for pair in result["pairs"]:
        entities, claims = pair["entities"], pair["claims"]
        pairs.append([pair["a"], pair["b"], pair["documents"],
                      *(entities[kind][key] for kind in ("exact", "overlap")
                        for key in ("p", "r", "f1")),
                      pair["tokens"]["kappa"], claims["overlap"]["f1"], claims["source"],
                      claims["cue"], claims["type"], claims["type_kappa"],
                      pair["doc_labels"]["kappa"]])
        for label, figures in entities["per_label"].items():
            labels.append([pair["a"], pair["b"], label,
                           *(figures[kind][key] for kind in ("exact", "overlap")
                             for key in ("p", "r", "f1")),
                           result["alpha_u"]["per_label"].get(label)])
    _write(folder / "pairs.csv",
           ["a", "b", "documents", "exact_p", "exact_r", "exact_f1", "overlap_p", "overlap_r",
            "overlap_f1", "token_kappa", "claims_f1", "claims_source", "claims_cue",
            "claims_type", "claims_type_kappa", "doc_labels_kappa"], pairs)
    _write(folder / "labels.csv",
           ["a", "b", "label", "exact_p", "exact_r", "exact_f1", "overlap_p", "overlap_r",
            "overlap_f1", "alpha_u"], labels)
    _write(folder / "documents.csv", ["doc_id", "title", "annotators", "score"],
           [[d["doc_id"], d["title"], " ".join(d["annotators"]), d["score"]]
            for d in result["per_document"]])


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
