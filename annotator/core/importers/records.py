"""What every importer produces: document records, or problems that name file, line and field."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import orjson

from annotator.core.identity import doc_id_for, normalise_newlines


@dataclass(frozen=True)
class Problem:
    """One bad input: `file:line: field: message` (line and field when they are known)."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


class InvalidInput(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class DocumentRecord:
    text: str
    origin: str  # "file" or "file:line": where duplicates and problems are reported
    title: str = ""
    source: str = ""
    date: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    annotations: list[Any] = field(default_factory=list)  # AnnotationIn, stored after the text

    def __post_init__(self) -> None:
        self.text = normalise_newlines(self.text)
        self.id = doc_id_for(self.text)

    def row(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "title": self.title, "source": self.source,
                "date": self.date, "url": self.url, "meta": self.meta}


def first_line(text: str) -> str:
    """The title of an article whose record names none: its first non-blank line."""
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")


def parse_date(value: str) -> str | None:
    """`YYYY-MM-DD` (a datetime is cut to its date); None when it is not a real date."""
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[1]).isoformat()
    except ValueError:
        return None


def check_text(text: str, file: str, line: int | None = None, field: str | None = None) -> None:
    """Text that cannot be annotated is refused before anything is stored: empty, or only
    white space and invisible format characters (zero-width spaces and joiners)."""
    if not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text):
        raise InvalidInput(Problem(file, "empty text" if not text.strip() else
                                   "no visible text (only zero-width characters)", line,
                                   field))
    if "\x00" in text:
        raise InvalidInput(Problem(file, "text contains a NUL character", line, field))


def storable(value: Any, where: Any, field_name: str) -> None:
    """Data kept as JSON (a record's `meta`, which titles and sources come from) that every
    store can write back: orjson reads nesting deeper than it writes (255 levels), and a
    PostgreSQL server keeps no NUL character in text or JSON."""
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        raise where.fail(field_name, f"cannot be stored ({exc})") from None
    nul = _nul_path(value, field_name)
    if nul is not None:
        raise where.fail(nul, "contains a NUL character, which a project cannot keep")


def _nul_path(value: Any, path: str) -> str | None:
    """The field path of the first string (or key) holding a NUL, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = (f"{path} (a key)" if "\x00" in str(key)
                     else _nul_path(item, f"{path}.{key}"))
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def grouped(problems: list[Problem]) -> list[str]:
    """Problems as a person reads them: one line per repeated problem of a file ("unknown
    label 'DRUG' on 424 records, lines 1–424"), not 424 lines; a single one as it is."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.message), []).append(problem)
    out = []
    for (file, message), same in groups.items():
        if len(same) == 1:
            out.append(str(same[0]))
            continue
        fields = sorted({p.field for p in same if p.field})
        lines = sorted({p.line for p in same if p.line})
        where = f"{file}: lines {_ranges(lines)}: " if lines else f"{file}: "
        field = f"{fields[0]}: " if len(fields) == 1 else ""
        out.append(f"{where}{field}{message} (on {len(same)} records)")
    return out


def _ranges(numbers: list[int]) -> str:
    """`1–424, 430`: runs of consecutive numbers as ranges, at most ten parts."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}–{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(parts[:10]) + (f" and {len(parts) - 10} more" if len(parts) > 10 else "")


_INT64 = range(-2**63, 2**63)


def exact_numbers(meta: Any, line: str, where: Any) -> None:
    """orjson reads an integer past 64 bits as a float, losing digits without a word. Such
    a float in `meta` (kept as the user's data) sends the line to the standard library's
    reader, which keeps integers whole, to name the number if it was one."""
    if not _suspect(meta):
        return
    try:
        found = _big_int(json.loads(line), "")
    except (ValueError, RecursionError):
        return
    if found is not None:
        raise where.fail(found[0] or "(top level)", f"the number {found[1]} does not fit in "
                                                    "64 bits; write it as a string")


def _suspect(value: Any) -> bool:
    if isinstance(value, float):
        return abs(value) >= 2**63
    if isinstance(value, dict):
        return any(_suspect(v) for v in value.values())
    if isinstance(value, list):
        return any(_suspect(v) for v in value)
    return False


def _big_int(value: Any, path: str) -> tuple[str, int] | None:
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        return path, value
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _big_int(item, f"{path}[{key}]" if isinstance(key, int) else
                         f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None
