"""JSONL articles: one `{"text": ..., "meta": {...}}` object per line, with annotations.

`meta.title`, `meta.source`, `meta.date` and `meta.url` become the document's columns; all
of `meta` is kept. Wrong types are problems naming the line and the field. A line may carry
annotations in our export's shape or Prodigy's (`spans`, `claims`, `answer`, ...) or
doccano's (`label` or `entities`), with labels mapped through the project's schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from annotator.core.importers import doccano, prodigy
from annotator.core.importers.annotations import Labels, Where, newline_remap
from annotator.core.importers.records import (DocumentRecord, InvalidInput, Problem, check_text,
                                              exact_numbers, first_line, parse_date,
                                              storable)
from annotator.core.importers.text_files import decode


def parse_jsonl(data: bytes, file: str, warn: Any,
                labels: Labels) -> Iterator[tuple[int, DocumentRecord | Problem]]:
    """Yield (line number, record or problem) for every non-blank line.

    Lines end at `\n` only: U+2028, U+2029 and U+0085 are legal unescaped inside a JSON
    string (orjson writes them so), and `str.splitlines` would break a record there. Each
    line is decoded on its own, so a bad byte is a problem of its line alone."""
    notes: dict[str, list[int]] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            line = decode(raw, file, number)
            yield number, _record(line, file, number, labels, notes)
        except InvalidInput as exc:
            yield number, exc.problem
    for note, lines in notes.items():
        shown = ", ".join(map(str, lines[:5]))
        more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
        warn(f"{file}: line(s) {shown}{more}: {note}")


def _annotations(obj: dict[str, Any], record: DocumentRecord, where: Where,
                 labels: Labels, notes: dict[str, list[int]]) -> None:
    """Read the line's annotations, if it has any, into `record`."""
    reader = doccano if doccano.is_doccano(obj) else prodigy if prodigy.is_prodigy(obj) \
        else None
    if reader is None:
        return
    remap = newline_remap(obj["text"])
    stated = (obj.get("schema") or {}).get("hash") if isinstance(obj.get("schema"), dict) \
        else None
    if stated is not None and not isinstance(stated, str):
        raise where.fail("schema.hash", f"expected a string, got {stated!r}")
    read_with = labels.under(stated)
    if stated and stated != labels.schema.hash and read_with is labels:
        notes.setdefault(f"made under another schema ({stated[:12]}) that neither the project "
                         "nor a manifest.json beside the file holds; labels were mapped "
                         f"through the project's ({labels.schema.hash[:12]})",
                         []).append(where.line or 0)
    annotation = reader.parse(obj, record.text, where, read_with, remap)
    if read_with.made_under is not None:
        annotation.schema_hash = read_with.made_under.hash
    if reader is prodigy:
        source_hash = obj.get("_input_hash")
        if _is_hash(source_hash):
            # Kept where the export looks for it (`export.record.SOURCE_HASH`) to write it back.
            record.meta = {**record.meta, "_input_hash": source_hash}
        if _is_hash(obj.get("_task_hash")):
            annotation.task_hash = obj["_task_hash"]
    record.annotations.append(annotation)
    for note in dict.fromkeys(annotation.notes):
        notes.setdefault(note, []).append(where.line or 0)
    if reader is prodigy and obj.get("relations") and not obj.get("claims"):
        notes.setdefault(f"relations{_types(obj['relations'])} are imported only as part of "
                         "claims; these were not imported", []).append(where.line or 0)


def _is_hash(value: Any) -> bool:
    """Prodigy's hashes are signed 32-bit integers."""
    return isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31


def _types(relations: Any) -> str:
    """` of type 'x', 'y'`: the labels of Prodigy relations (`rel.manual`), when they have any."""
    names = sorted({r["label"] for r in relations if isinstance(r, dict)
                    and isinstance(r.get("label"), str)}) if isinstance(relations, list) else []
    return f" of type {', '.join(map(repr, names))}" if names else ""


def _record(line: str, file: str, number: int, labels: Labels,
            notes: dict[str, list[int]]) -> DocumentRecord:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(Problem(file, f"malformed JSON ({exc.msg}, column {exc.colno})",
                                   number)) from None
    if not isinstance(obj, dict):
        raise InvalidInput(Problem(file, f"expected a JSON object, got {_kind(obj)}", number))
    text = obj.get("text")
    if text is None:
        raise InvalidInput(Problem(file, "missing", number, "text"))
    if not isinstance(text, str):
        raise InvalidInput(Problem(file, f"expected a string, got {_kind(text)}", number, "text"))
    check_text(text, file, number, "text")
    meta = obj.get("meta", {})
    if not isinstance(meta, dict):
        raise InvalidInput(Problem(file, f"expected an object, got {_kind(meta)}", number,
                                   "meta"))
    storable(meta, Where(file, number), "meta")
    exact_numbers(meta, line, Where(file, number))
    for key in ("title", "source", "url", "date"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise InvalidInput(Problem(file, f"expected a string, got {_kind(value)}", number,
                                       f"meta.{key}"))
    date = None
    if meta.get("date"):
        date = parse_date(meta["date"])
        if date is None:
            raise InvalidInput(Problem(file, f"expected a date YYYY-MM-DD, got {meta['date']!r}",
                                       number, "meta.date"))
    record = DocumentRecord(text=text, origin=f"{file}:{number}", meta=meta, date=date,
                            title=meta.get("title") or "", source=meta.get("source") or "",
                            url=meta.get("url"))
    if not record.title:
        record.title = first_line(record.text)
    _annotations(obj, record, Where(file, number), labels, notes)
    return record


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}[type(value)]
