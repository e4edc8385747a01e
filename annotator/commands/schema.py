"""`annotator schema check FILE` and `annotator schema use FILE`."""

from __future__ import annotations

import argparse

from annotator.commands._output import error
from annotator.core.project import command_line_annotator, open_project, role_on, use_schema
from annotator.core.schema import SchemaError, load_schema


def register(subparsers, common: argparse.ArgumentParser, epilog: str) -> None:
    parser = subparsers.add_parser(
        "schema", epilog=epilog, help="check a labeling schema or make it the project's",
        description="Labeling schemas (schemas/*.json): entity labels with guidelines, colors, "
                    "hotkeys and model-label mapping; claim types; the reporting-cue lexicon; "
                    "document labels.")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", parents=[common], epilog=epilog, help="validate a schema file",
        description="Validate a schema file and report every problem with its field path "
                    "(duplicate labels or hotkeys, reserved keys, bad colors, unknown fields).")
    check.add_argument("file", metavar="FILE")
    check.set_defaults(run=run_check)
    use = actions.add_parser(
        "use", parents=[common], epilog=epilog, help="make a schema the project's current one",
        description="Validate a schema file and make it the project's current schema. "
                    "Earlier schemas stay stored by hash, with the work done under them.")
    use.add_argument("file", metavar="FILE")
    use.set_defaults(run=run_use)


def _load(path: str):
    try:
        return load_schema(path)
    except SchemaError as exc:
        for problem in exc.problems:
            error(f"{exc.source}: {problem}")
        return None


def run_check(args: argparse.Namespace) -> int:
    schema = _load(args.file)
    if schema is None:
        return 1
    print(f"{args.file}: ok — schema {schema.name!r} version {schema.version}, "
          f"{len(schema.entities)} entity labels, {len(schema.claim_types)} claim types, "
          f"hash {schema.hash[:12]}")
    return 0


def run_use(args: argparse.Namespace) -> int:
    schema = _load(args.file)
    if schema is None:
        return 1
    with open_project(args.db) as store:
        use_schema(store, schema, annotator=command_line_annotator(args.annotator, store),
                   role=role_on(store))
    print(f"project {store.location.display} now uses schema {schema.name!r} {schema.version} "
          f"({schema.hash[:12]})")
    return 0
