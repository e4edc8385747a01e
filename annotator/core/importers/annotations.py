"""Annotations that arrive with imported documents, whatever tool they came from.

Every format (our JSONL export, Prodigy db-out, doccano, Label Studio) is read into the same
`AnnotationIn`: entity spans and claims with exact character offsets into the document text,
labels mapped through the project's schema. Problems name file, line and field, and are
found while parsing, before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.importers.records import InvalidInput, Problem
from annotator.core.invariants import first_overlap, stands, within
from annotator.core.schema import Schema


@dataclass(frozen=True)
class SpanIn:
    start: int
    end: int
    label: str
    layer: str = "entity"
    state: str = "accepted"


@dataclass(frozen=True)
class ClaimIn:
    type: str
    content: SpanIn
    source: SpanIn | None
    cue: SpanIn | None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class AnnotationIn:
    """One annotator's work on one document; `annotator` None means the importing one.
    `notes` name what was read but deliberately not imported, for the run's warnings."""

    origin: str  # the span origin recorded in the store, e.g. "import:doccano"
    annotator: str | None = None
    status: str | None = None
    spans: list[SpanIn] = field(default_factory=list)
    claims: list[ClaimIn] = field(default_factory=list)
    cats: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Where:
    """The file and line being read, to name problems precisely."""

    file: str
    line: int | None = None

    def fail(self, field_path: str, message: str) -> InvalidInput:
        return InvalidInput(Problem(self.file, message, self.line, field_path))


class Labels:
    """Maps incoming entity labels onto the schema: its own labels, then its model labels."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.mapping = {**schema.model_label_map(), **{label: label for label in schema.labels}}

    def entity(self, label: Any, where: Where, field_path: str) -> str:
        if not isinstance(label, str) or not label:
            raise where.fail(field_path, f"expected a label string, got {label!r}")
        mapped = self.mapping.get(label) or self.mapping.get(label.upper())
        if mapped is None:
            raise where.fail(field_path, f"unknown label {label!r}: schema {self.schema.name!r} "
                                         f"has {', '.join(self.schema.labels)}")
        return mapped

    def claim_type(self, value: Any, where: Where, field_path: str) -> str:
        if value not in self.schema.claim_types:
            raise where.fail(field_path, f"unknown claim type {value!r}: schema "
                                         f"{self.schema.name!r} has "
                                         f"{', '.join(self.schema.claim_types)}")
        return value


def offsets(raw: Any, text: str, where: Where, field_path: str, *,
            start_key: str = "start", end_key: str = "end",
            remap: Callable[[int], int] = int) -> tuple[int, int]:
    """(start, end) of a span object, checked against the text (and its stated `text`)."""
    if not isinstance(raw, dict):
        raise where.fail(field_path, f"expected an object, got {type(raw).__name__}")
    start, end = raw.get(start_key), raw.get(end_key)
    for key, value in ((start_key, start), (end_key, end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise where.fail(f"{field_path}.{key}", f"expected an integer offset, got {value!r}")
    return checked(remap(start), remap(end), text, where, field_path, raw.get("text"))


def checked(start: int, end: int, text: str, where: Where, field_path: str,
            stated: Any = None) -> tuple[int, int]:
    if not within(start, end, len(text)):
        raise where.fail(field_path, f"offsets {start}:{end} outside the text (0:{len(text)})")
    if isinstance(stated, str) and text[start:end] != stated.replace("\r\n", "\n"):
        raise where.fail(f"{field_path}.text", f"stated text {stated!r} differs from the "
                                               f"text at {start}:{end}, {text[start:end]!r}")
    return start, end


def no_overlaps(spans: list[SpanIn], where: Where, field_name: str) -> None:
    """Standing entities of one record may not overlap (`annotator.core.invariants`)."""
    clash = first_overlap(sorted((s.start, s.end, s.label) for s in spans if stands(s)))
    if clash:
        (a_start, a_end, a_label), (b_start, b_end, b_label) = clash
        raise where.fail(field_name, f"entity {b_label} {b_start}:{b_end} overlaps "
                                     f"{a_label} {a_start}:{a_end}")


def newline_remap(original: str) -> Callable[[int], int]:
    """Offsets into text with `\\r\\n` moved onto the stored text, where it is `\\n`."""
    if "\r" not in original:
        return int
    crlf_before = []
    count = 0
    for i, char in enumerate(original):
        crlf_before.append(count)
        if char == "\r" and original[i + 1:i + 2] == "\n":
            count += 1
    crlf_before.append(count)
    return lambda offset: offset - crlf_before[min(max(offset, 0), len(original))]
