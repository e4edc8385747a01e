"""The schemas of an export's `manifest.json`, read when its records are imported again.

Our export names, per record, the schema its set was made under, and lists every such schema
with its body in the manifest beside the files
(docs/architecture.md, "Imports and exports"), so work made under a schema the project has
since replaced imports again, into this project or another. A manifest that cannot be used is said, never fatal: the records are
then read through the project's schema, which names any label it lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson

from annotator.core.schema import Schema, SchemaError, parse_schema


def schemas_of_manifest(path: Path, warn: Callable[[str], None]) -> dict[str, Schema]:
    """The manifest's schemas by hash; each one checked, and its body must hash to its key."""
    try:
        manifest = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        warn(f"{path}: not read ({exc}); its schemas are not known to the import")
        return {}
    schemas = manifest.get("schemas") if isinstance(manifest, dict) else None
    if not isinstance(schemas, dict):
        return {}
    out = {}
    for key, entry in schemas.items():
        body = entry.get("body") if isinstance(entry, dict) else None
        try:
            schema = parse_schema(body, f"{path}: schemas.{key}.body")
        except SchemaError as exc:
            warn(f"{path}: schemas.{key}.body: not a usable schema ({exc.problems[0]}); "
                 "records made under it are read through the project's schema")
            continue
        if schema.hash != key:
            warn(f"{path}: schemas.{key}.body: its content hashes to {schema.hash[:12]}, not "
                 "to its key; records made under it are read through the project's schema")
            continue
        out[key] = schema
    return out
