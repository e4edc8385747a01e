"""Annotations that arrive with imported documents, whatever tool they came from.

Every format (our JSONL export, Prodigy db-out, doccano, Label Studio) is read into the same
`AnnotationIn`: entity spans and claims with exact character offsets into the document text,
document labels, labels mapped through the project's schema. Problems name file, line and
field, and are found while parsing, before anything is stored.

How sure a record is says where it lands: a person's decision is accepted or rejected work,
a model's output (Label Studio `predictions`, records without an `answer`) arrives as
suggestions to review, never as finished work.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.importers.records import InvalidInput, Problem
from annotator.core.invariants import first_overlap, stands, within
from annotator.core.model import CUE_LABEL, SOURCE_LABEL
from annotator.core.schema import Schema, option_key


@dataclass(frozen=True)
class SpanIn:
    start: int
    end: int
    label: str
    layer: str = "entity"
    state: str = "accepted"
    score: float | None = None


@dataclass(frozen=True)
class ClaimIn:
    type: str
    content: SpanIn
    source: SpanIn | None
    cue: SpanIn | None
    attributes: dict[str, Any] = field(default_factory=dict)


# How strongly a record's status speaks when several records fall on one set: a status our
# own export wrote (`_status`) is exact, a manual decision finishes the set, binary decisions
# leave it in progress, and an ignored record says only that it was skipped.
EXACT, FINISHED, PARTIAL, SKIPPED = 5, 4, 2, 1


@dataclass
class AnnotationIn:
    """One annotator's work on one document; `annotator` None means the importing one.
    `notes` name what was read but deliberately not imported, for the run's warnings.
    `pre_annotated`: a model's output (no `answer`), suggestions unless imported as done.
    `timestamp`: when the decisions were made, to order conflicting ones (None: file order).
    `task_hash`: the source's Prodigy `_task_hash`, kept on the set for the export.
    `schema_hash`: the schema the record was read under, when not the project's current one."""

    origin: str  # the span origin recorded in the store, e.g. "import:doccano"
    annotator: str | None = None
    status: str | None = None
    spans: list[SpanIn] = field(default_factory=list)
    claims: list[ClaimIn] = field(default_factory=list)
    cats: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    status_rank: int = FINISHED
    timestamp: float | None = None
    pre_annotated: bool = False
    task_hash: int | None = None
    schema_hash: str | None = None


@dataclass
class Where:
    """The file and line being read, to name problems precisely."""

    file: str
    line: int | None = None

    def fail(self, field_path: str, message: str) -> InvalidInput:
        return InvalidInput(Problem(self.file, message, self.line, field_path))


_NEW_LABEL = re.compile(r"^[A-Z][A-Z0-9_]*$")  # the schema's pattern for entity labels


class Labels:
    """Maps incoming labels onto the schema. Entity labels: the user's `--map`, then the
    schema's own labels, then its model labels. Document labels (`name=option`, or an
    option that only one document label has, spelled in any case) become (name, option)."""

    def __init__(self, schema: Schema, user_map: dict[str, str] | None = None, *,
                 add_labels: bool = False,
                 known: Callable[[str], Schema | None] = lambda _hash: None):
        self.schema = schema
        self.user_map = user_map or {}
        self.add_labels = add_labels
        self.known = known  # other schemas by hash: the project's earlier ones, a manifest's
        self.made_under: Schema | None = None  # the stated schema these labels read records of
        self._under: dict[str, Labels | None] = {}
        self.added: dict[str, str] = {}  # entity labels the import adds: first seen where
        self.mapping = {**schema.model_label_map(), **{label: label for label in schema.labels}}
        self.options: dict[str, tuple[str, str]] = {}
        spelled = Counter(option_key(o) for d in schema.document_labels for o in d.options)
        for doc_label in schema.document_labels:
            for option in doc_label.options:
                self.options[option_key(f"{doc_label.name}={option}")] = (doc_label.name,
                                                                          option)
                if spelled[option_key(option)] == 1:  # an option two labels share needs its name
                    self.options.setdefault(option_key(option), (doc_label.name, option))
        self.exclusive = {d.name: d.exclusive for d in schema.document_labels}

    def entity(self, label: Any, where: Where, field_path: str) -> str:
        if not isinstance(label, str) or not label:
            raise where.fail(field_path, f"expected a label string, got {label!r}")
        label = self.user_map.get(label, label)
        mapped = self.mapping.get(label) or self.mapping.get(label.upper())
        if mapped is None and self.add_labels and _NEW_LABEL.match(label.upper()) and \
                label.upper() not in (SOURCE_LABEL, CUE_LABEL) and \
                option_key(label) not in self.schema.claim_types:
            mapped = self.mapping[label.upper()] = label.upper()
            self.added.setdefault(mapped, f"{where.file}{f':{where.line}' if where.line else ''}")
        if mapped is None:
            raise where.fail(field_path, f"unknown label {label!r}: schema {self.schema.name!r} "
                                         f"has {', '.join(self.schema.labels)}")
        return mapped

    def under(self, stated: str | None) -> Labels:
        """The labels of a record that names the schema it was made under (`schema.hash`,
        as our export writes it): that schema's, with the current schema's beside them (a
        set made under an older schema may have been edited since), when the import knows
        it; else the current schema's. docs/architecture.md, "Imports and exports"."""
        if not stated or stated == self.schema.hash:
            return self
        if stated not in self._under:
            other = self.known(stated)
            derived = None
            if other is not None:
                derived = Labels(_with_current(other, self.schema), self.user_map,
                                 add_labels=self.add_labels)
                derived.added, derived.made_under = self.added, other
            self._under[stated] = derived
        return self._under[stated] or self

    def document(self, value: Any, where: Where, field_path: str,
                 name: str | None = None) -> tuple[str, str]:
        """(document label, option) for an incoming label; `name` the label it was given
        under (a Label Studio `from_name`), used when it is one of the schema's."""
        if not isinstance(value, str) or not value.strip():
            raise where.fail(field_path, f"expected a document label string, got {value!r}")
        value = self.user_map.get(value, value)
        hit = None
        if name is not None and option_key(name) in {option_key(n) for n in self.exclusive}:
            hit = self.options.get(option_key(f"{name}={value}"))
        hit = hit or self.options.get(option_key(value))
        if hit is None:
            known = ", ".join(f"{d.name}={o}" for d in self.schema.document_labels
                              for o in d.options) or "none"
            raise where.fail(field_path, f"unknown document label {value!r}: schema "
                                         f"{self.schema.name!r} has {known}")
        return hit

    def choose(self, cats: dict[str, Any], chosen: tuple[str, str], where: Where,
               field_path: str) -> None:
        """Add a chosen option to one record's document labels: an exclusive label holds
        one option, others a list in the schema's order."""
        name, option = chosen
        if self.exclusive[name]:
            if cats.get(name, option) != option:
                raise where.fail(field_path, f"document label {name!r} takes one option; "
                                             f"got {cats[name]!r} and {option!r}")
            cats[name] = option
        else:
            options = next(d.options for d in self.schema.document_labels if d.name == name)
            cats[name] = sorted({*cats.get(name, []), option}, key=options.index)

    def cats(self, raw: Any, where: Where, field_path: str) -> dict[str, Any]:
        """Document labels from a `cats` object: Prodigy's and spaCy's scores
        (`{label: 1.0 | 0.0}`, chosen at 0.5 and above) or the set's own shape
        (`{name: option | [options]}`), each label checked against the schema."""
        if not isinstance(raw, dict):
            raise where.fail(field_path, f"expected an object, got {type(raw).__name__}")
        out: dict[str, Any] = {}
        for key, value in raw.items():
            path = f"{field_path}.{key}"
            if isinstance(value, (int, float)):  # a score, or true / false
                chosen = self.document(key, where, path)
                if value >= 0.5:
                    self.choose(out, chosen, where, path)
            elif isinstance(value, (str, list)):
                for i, option in enumerate(value if isinstance(value, list) else [value]):
                    option_path = f"{path}[{i}]" if isinstance(value, list) else path
                    if not isinstance(option, str):
                        raise where.fail(option_path, f"expected an option, got {option!r}")
                    self.choose(out, self.document(option, where, option_path, key), where,
                                option_path)
            else:
                raise where.fail(path, f"expected a score or an option, got {value!r}")
        return out

    def claim_type(self, value: Any, where: Where, field_path: str) -> str:
        if value not in self.schema.claim_types:
            raise where.fail(field_path, f"unknown claim type {value!r}: schema "
                                         f"{self.schema.name!r} has "
                                         f"{', '.join(self.schema.claim_types)}")
        return value


def _with_current(stated: Schema, current: Schema) -> Schema:
    """The stated schema with the current one's labels, claim types and options added."""
    body = stated.model_dump(mode="json")
    body["entities"] += [e.model_dump(mode="json") for e in current.entities
                         if e.label not in stated.labels]
    body["claims"]["types"] += [t.model_dump(mode="json") for t in current.claims.types
                                if t.name not in stated.claim_types]
    labels = {d["name"]: d for d in body["document_labels"]}
    for doc_label in current.document_labels:
        if doc_label.name in labels:
            options = labels[doc_label.name]["options"]
            options += [o for o in doc_label.options if o not in options]
        else:
            body["document_labels"].append(doc_label.model_dump(mode="json"))
    return Schema.model_validate(body)


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


def no_overlaps(spans: list[SpanIn], where: Where, field_name: str,
                note: Callable[[str], None] | None = None) -> list[SpanIn]:
    """The record's spans with exact repeats collapsed (counted in a note); its standing
    entities may not overlap otherwise (`annotator.core.invariants`)."""
    unique = list(dict.fromkeys(spans))
    if len(unique) < len(spans) and note is not None:
        note(f"{len(spans) - len(unique)} exact duplicate span(s) collapsed into one")
    clash = first_overlap(sorted((s.start, s.end, s.label) for s in unique if stands(s)))
    if clash:
        (a_start, a_end, a_label), (b_start, b_end, b_label) = clash
        raise where.fail(field_name, f"entity {b_label} {b_start}:{b_end} overlaps "
                                     f"{a_label} {a_start}:{a_end}")
    return unique


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
