"""Checks every record before it is written: a dataset a training job can trust.

A failure names the document and the span; the export then writes nothing at all.
"""

from __future__ import annotations

from annotator.core.export.selection import Annotation, Part
from annotator.core.invariants import first_overlap, within


class ExportError(Exception):
    """An export that cannot be made as asked; nothing was written."""


class ExportInvalid(ExportError):
    def __init__(self, doc_id: str, title: str, part: Part | None, message: str):
        self.doc_id = doc_id
        self.part = part
        where = f"document {doc_id[:12]} ({title!r})"
        if part is not None:
            start, end, label = part
            where += f", {label} span {start}:{end}"
        super().__init__(f"{where}: {message}")


def check_annotation(ann: Annotation) -> None:
    """Entities (accepted ones, in text order) that do not overlap (offsets are checked as
    each span is built: a span edge outside the text, or in whitespace, is never on a token
    boundary; see `misplaced`)."""
    clash = first_overlap(ann.entities)
    if clash:
        (start, end, label), part = clash
        _fail(ann, part, f"overlaps the {label} span {start}:{end}")


def misplaced(ann: Annotation, part: Part) -> ExportInvalid:
    """The error for a span whose edge is on no token boundary once tokens are cut at
    every edge inside a word: outside the text, or in the whitespace between tokens."""
    n = len(ann.doc.text)
    if not within(part[0], part[1], n):
        message = f"offsets outside the text (0:{n})"
    else:
        message = "a span edge falls in the whitespace between tokens"
    return ExportInvalid(ann.doc.id, ann.doc.title, part, message)


def _fail(ann: Annotation, part: Part | None, message: str) -> None:
    raise ExportInvalid(ann.doc.id, ann.doc.title, part, message)
