"""`manifest.json` (for programs) and `datasheet.md` (for people) beside the exported files.

They say what is in the export and how it was made: counts per split, label and layer,
annotators, the schema, the options, the project file, the time and the command; made from
gold, also the review report (each annotator against gold). Each record
names the schema its set was made under (a label `schema use` dropped since stays in the
sets made before); `schemas` lists every schema the records name, with its labels and its
body, which a re-import reads such records through
(docs/architecture.md, "Imports and exports").
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import UNATTRIBUTED
from annotator.core.schema import Schema

_LABEL = itemgetter("label")


# The schema's guideline: an unattributed claim has its content and cue, never a source.
UNATTRIBUTED_WITH_SOURCE = ("unattributed claim(s) that name a source, which an unattributed "
                            "claim has not (check their type)")


class Tally:
    """Counts gathered while records are written."""

    def __init__(self) -> None:
        self.splits: dict[str, Counter[str]] = {}
        self.labels: dict[str, dict[str, Counter[str]]] = {}
        self.annotators: Counter[str] = Counter()
        self.split_tokens = 0
        self.left_out: Counter[str] = Counter()
        self.notes: Counter[str] = Counter()  # what a reader of the data should know
        self.schemas: Counter[str] = Counter()  # records per schema hash they name

    def add(self, split: str, record: dict[str, Any], written: bool, split_tokens: int) -> None:
        if not written:
            self.left_out[f"{record['answer']} records (no place in this format)"] += 1
            return
        counts = self.splits.setdefault(split, Counter())
        counts["records"] += 1
        self.notes[UNATTRIBUTED_WITH_SOURCE] += sum(
            1 for c in record["claims"] if c["type"] == UNATTRIBUTED and c["source"] is not None)
        counts[f"answer:{record['answer']}"] += 1
        self.annotators[record["_annotator_id"]] += 1
        self.schemas[record["schema"]["hash"]] += 1
        self.split_tokens += split_tokens
        layers = self.labels.setdefault(split, {})
        if record["spans"]:
            layers.setdefault("entity", Counter()).update(map(_LABEL, record["spans"]))
        for claim in record["claims"]:
            layers.setdefault("claim", Counter())[claim["type"]] += 1
            for role in ("source", "cue"):
                if claim[role] is not None:
                    layers.setdefault(role, Counter())[claim[role]["label"]] += 1

    def add_document(self, split: str) -> None:
        self.splits.setdefault(split, Counter())["documents"] += 1


def schemas_entry(used: dict[str, Schema], tally: Tally) -> dict[str, Any]:
    """Every schema the written records name, by hash: its labels at a glance, how many
    records name it, and its body."""
    return {h: {"name": s.name, "version": s.version, "records": tally.schemas[h],
                "labels": s.labels, "claim_types": s.claim_types,
                "document_labels": {d.name: d.options for d in s.document_labels},
                "body": s.model_dump(mode="json")}
            for h, s in used.items() if tally.schemas[h]}


def file_entry(folder: Path, path: Path, sha256: str) -> dict[str, Any]:
    return {"name": path.relative_to(folder).as_posix(), "bytes": path.stat().st_size,
            "sha256": sha256}


def build_manifest(tally: Tally, folder: Path, files: dict[Path, str], **about: Any
                   ) -> dict[str, Any]:
    """`files`: each file written into `folder` (named relative to it: a split may be a
    folder of shards) with its SHA-256 (hashed by the writer as it wrote)."""
    splits = {name: dict(sorted(c.items())) for name, c in sorted(tally.splits.items())}
    labels = {split: {layer: dict(sorted(c.items())) for layer, c in sorted(layers.items())}
              for split, layers in sorted(tally.labels.items())}
    return {**about, "splits": splits, "labels": labels,
            "annotators": dict(sorted(tally.annotators.items())),
            "tokens_split_at_span_edges": tally.split_tokens,
            "left_out": dict(tally.left_out),
            "notes": {note: n for note, n in tally.notes.items() if n},
            "files": [file_entry(folder, p, files[p]) for p in sorted(files)]}


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / "manifest.json").write_bytes(
        orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
    (folder / "datasheet.md").write_text(datasheet(manifest), encoding="utf-8")


def _older_schemas(m: dict[str, Any], schema: dict[str, Any]) -> str:
    """The other schemas records were made under, with the labels only they have."""
    current, labels = schema["hash"], set(schema["labels"])
    other = [f"**{s['name']}** {s['version']} (`{h[:12]}`, {s['records']} records"
             + (f"; labels only it has: {', '.join(sorted(set(s['labels']) - labels))}"
                if set(s["labels"]) - labels else "") + ")"
             for h, s in m["schemas"].items() if h != current]
    return (" Records made under an earlier schema name it (`schema.hash`): "
            + ", ".join(other) + ".") if other else ""


def _review(report: dict[str, Any]) -> str:
    """Each annotator against gold, as `annotator review report` prints it, in short."""
    rows = []
    for name, person in report["annotators"].items():
        entities = person["entities"]["all"]
        confusions = ", ".join(f"{c['theirs']}→{c['gold']} {c['count']}"
                               for c in person["confusions"][:3])
        rows.append([name, person["documents"], f"{entities['precision']:.2f}",
                     f"{entities['recall']:.2f}", f"{entities['f1']:.2f}",
                     f"{person['versions']['kept']} of {person['versions']['of']}",
                     confusions or "none"])
    return (f"Gold is the reviewed work of {report['documents']} document(s) "
            f"({report['reviewed']} marked reviewed); each annotator against it (entities, "
            "micro averages; per label and claims in `manifest.json`, `review`):\n\n"
            + _table(["annotator", "documents", "P", "R", "F1", "versions kept",
                      "top confusions"], rows))


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def _excluded(reasons: dict[str, int]) -> str:
    """The excluded documents, counted by reason (never exported)."""
    if not reasons:
        return ""
    return (f" Excluded by a curator: {sum(reasons.values())} ("
            + ", ".join(f"{reason} {n}" for reason, n in reasons.items()) + ").")


def datasheet(m: dict[str, Any]) -> str:
    schema, options, project = m["schema"], m["options"], m["project"]
    split_rows = [[name, c.get("documents", 0), c.get("records", 0),
                   ", ".join(f"{k.split(':')[1]} {v}" for k, v in c.items()
                             if k.startswith("answer:"))] for name, c in m["splits"].items()]
    label_rows = [[split, layer, label, n] for split, layers in m["labels"].items()
                  for layer, labels in layers.items() for label, n in labels.items()]
    parts = [
        f"# Datasheet: {m['format']} export of {project['file']}",
        f"Made {m['created_at']} by `{m['command']}` (annotator {m['version']}).",
        "## What it holds",
        f"Whose work: **{options['annotator']}**"
        + ("" if options["include_unfinished"] else " — finished (done) documents only")
        + (", rejected suggestions as `answer: reject` records" if options["with_rejected"]
           else "") + ". Documents marked excluded are never exported.",
        f"Schema **{schema['name']}** version {schema['version']} (hash `{schema['hash']}`)."
        + _older_schemas(m, schema),
        f"Project: `{project['file']}`, {project['documents']} documents "
        f"({project['included']} included), corpus fingerprint `{project['fingerprint']}`."
        + _excluded(project.get("excluded", {})),
        "## Splits",
        _table(["split", "documents", "records", "answers"], split_rows),
        m["grouping"]["description"],
        "## Labels",
        _table(["split", "layer", "label", "count"], label_rows) if label_rows
        else "No spans.",
        "## Annotators",
        _table(["annotator", "records"], [[a, n] for a, n in m["annotators"].items()]),
        "## Tokens",
        f"{m['tokens_split_at_span_edges']} spaCy token(s) were split where a span edge fell "
        "inside them; spans keep their exact character offsets.",
        "## Files",
        _table(["file", "bytes", "sha256"],
               [[f["name"], f["bytes"], f"`{f['sha256']}`"] for f in m["files"]]),
    ]
    if "review" in m:
        parts += ["## Review", _review(m["review"])]
    if m["left_out"]:
        parts += ["## Left out", "\n".join(f"- {n} {what}" for what, n in m["left_out"].items())]
    if m["notes"]:
        parts += ["## Notes", "\n".join(f"- {n} {note}" for note, n in m["notes"].items())]
    return "\n\n".join(parts) + "\n"
