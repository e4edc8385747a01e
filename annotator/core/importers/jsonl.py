"""JSONL articles: one `{"text": ..., "meta": {...}}` object per line.

`meta.title`, `meta.source`, `meta.date` and `meta.url` become the document's columns; all
of `meta` is kept. Wrong types are problems naming the line and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from annotator.core.importers.records import (DocumentRecord, InvalidInput, Problem, check_text,
                                              parse_date)
from annotator.core.importers.text_files import decode

# Keys that carry annotations in our export and in Prodigy / doccano / Label Studio files.
ANNOTATION_KEYS = ("spans", "claims", "relations", "label", "labels", "entities", "cats",
                   "annotations")


def parse_jsonl(data: bytes, file: str,
                warn: Any) -> Iterator[tuple[int, DocumentRecord | Problem]]:
    """Yield (line number, record or problem) for every non-blank line."""
    text = decode(data, file)
    annotation_lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, _record(line, file, number, annotation_lines)
        except InvalidInput as exc:
            yield number, exc.problem
    if annotation_lines:
        shown = ", ".join(map(str, annotation_lines[:5]))
        more = f" and {len(annotation_lines) - 5} more" if len(annotation_lines) > 5 else ""
        warn(f"{file}: line(s) {shown}{more} carry annotations; this version imports the "
             "text and meta only, the annotations are not imported")


def _record(line: str, file: str, number: int, annotation_lines: list[int]) -> DocumentRecord:
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
    if any(obj.get(key) for key in ANNOTATION_KEYS):
        annotation_lines.append(number)
    record = DocumentRecord(text=text, origin=f"{file}:{number}", meta=meta, date=date,
                            title=meta.get("title") or "", source=meta.get("source") or "",
                            url=meta.get("url"))
    if not record.title:
        record.title = next((ln.strip() for ln in record.text.split("\n") if ln.strip()), "")
    return record


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}[type(value)]
