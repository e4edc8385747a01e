"""Plain data records shared by the store, the importers and the two front ends.

They are frozen dataclasses, not ORM objects: a record is a snapshot read from the store,
and every change goes back through a store method inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SET_STATUSES = ("todo", "in_progress", "done", "skipped", "flagged")
SPAN_STATES = ("suggested", "accepted", "rejected")
LAYERS = ("entity", "claim", "source", "cue")
HUMAN = "human"
PATTERN = "pattern"
# Labels of the spans a claim points at (its content span carries the claim type).
SOURCE_LABEL = "SOURCE"
CUE_LABEL = "CUE"
# The claim type of a statement nobody is said to make: it has no source and no cue.
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True, slots=True)
class Document:
    num: int
    id: str
    text: str
    title: str = ""
    source: str = ""
    date: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    curation: str = "included"
    exclude_reason: str | None = None
    cluster_id: str | None = None  # the document's story (curate/clusters.py)
    duplicate_id: str | None = None  # its near-duplicate group inside that story


@dataclass(frozen=True, slots=True)
class AnnotationSet:
    id: int
    doc_id: str
    annotator: str
    status: str
    note: str | None
    cats: dict[str, Any]
    schema_hash: str | None
    reviewed_by: str | None
    created_at: str
    updated_at: str
    version: int = 1  # bumped by every op on the set: a stale write to gold is refused


@dataclass(frozen=True, slots=True)
class Span:
    id: int
    set_id: int
    start: int
    end: int
    layer: str
    label: str
    origin: str
    state: str
    score: float | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    set_id: int
    content_span_id: int
    source_span_id: int | None
    cue_span_id: int | None
    type: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    ts: str
    annotator: str
    session_id: str | None
    doc_id: str | None
    action: str
    payload: dict[str, Any]
