"""An export told to a person: the same lines from `annotator export` and from the app's
Export dialog, and the command line that repeats an export made in the app (recorded in its
manifest, so a dataset made by clicking can be remade by a script)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from annotator.core.export.run import ExportOptions


def summary_lines(manifest: dict[str, Any]) -> list[str]:
    """Records and documents per split, tokens split at span edges, what was left out."""
    lines = [f"{split}: {counts.get('records', 0)} record(s) from "
             f"{counts.get('documents', 0)} document(s)"
             for split, counts in manifest["splits"].items()]
    if manifest["tokens_split_at_span_edges"]:
        lines.append(f"{manifest['tokens_split_at_span_edges']} token(s) split at span edges")
    lines += [f"left out: {n} {what}" for what, n in manifest["left_out"].items()]
    lines += [f"note: {n} {note}" for note, n in manifest["notes"].items()]
    grouping = manifest["grouping"]
    if grouping.get("empty_splits"):
        documents = sum(c.get("documents", 0) for c in manifest["splits"].values())
        lines.append(f"empty: {' and '.join(grouping['empty_splits'])} — the {documents} "
                     f"document(s) form {grouping['groups']} group(s) of near-duplicates or "
                     "reports of one story, and a group is never divided between splits")
    return lines


def command_line(options: ExportOptions, out: Path, db: str | Path) -> str:
    """`annotator export ...` with these options: what the command would have been."""
    argv = ["annotator", "export", "--db", str(db), "--format", options.format,
            "--annotator", options.annotator]
    if options.include_unfinished:
        argv.append("--include-unfinished")
    if options.with_rejected:
        argv.append("--with-rejected")
    if options.split:
        argv += ["--split", options.split, "--seed", str(options.seed)]
    return shlex.join([*argv, "--out", str(out)])
