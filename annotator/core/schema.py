"""The labeling schema: data validated on load, with every problem named by its field path.

A schema defines entity labels (guideline, color, hotkey, the model labels mapped to it),
claim types, the reporting-cue lexicon used by the claim suggester and optional
document-level labels. Its hash is stored with every annotation set (docs/architecture.md).
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from annotator.core.model import CUE_LABEL, SOURCE_LABEL

# Keys of the keyboard map (docs/architecture.md) that a label hotkey may not take.
RESERVED_KEYS = frozenset({"A", "X", "C", "S", "U", "T", "?", "Tab", "Enter", "Delete",
                           "PgDn", "PgUp", "F1", "Esc", "Space"})
CLAIM_LAYERS = ("claim", "source", "cue")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_HOTKEY = re.compile(r"^[0-9A-Za-z]$")


class SchemaError(ValueError):
    """A schema that cannot be used; `problems` lists each one as 'path: message'."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s) in schema:\n"
                         + "\n".join(f"  {p}" for p in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_color(value: str) -> str:
    if not _COLOR.match(value):
        raise ValueError(f"color must be '#rrggbb', got {value!r}")
    return value.lower()


class EntityLabel(_Strict):
    label: str = Field(min_length=1, pattern=r"^[A-Z][A-Z0-9_]*$")
    description: str = Field(min_length=1)
    color: str
    hotkey: str | None = None
    model_labels: list[str] = Field(default_factory=list)

    _color = field_validator("color")(_check_color)

    @field_validator("hotkey")
    @classmethod
    def _hotkey(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _HOTKEY.match(value):
            raise ValueError(f"hotkey must be one digit or letter, got {value!r}")
        return value.upper()


class ClaimType(_Strict):
    name: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)


class ClaimSettings(_Strict):
    colors: dict[str, str]
    types: list[ClaimType] = Field(min_length=1)

    @field_validator("colors")
    @classmethod
    def _colors(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [layer for layer in CLAIM_LAYERS if layer not in value]
        extra = [key for key in value if key not in CLAIM_LAYERS]
        if missing or extra:
            raise ValueError(f"colors needs exactly the keys {list(CLAIM_LAYERS)}"
                             f" (missing {missing}, unknown {extra})")
        return {k: _check_color(v) for k, v in value.items()}


class CueLexicon(_Strict):
    verbs: list[str] = Field(min_length=1, description="lemmas of reporting verbs")
    phrases: list[str] = Field(default_factory=list, description="multi-word cues")


class DocumentLabel(_Strict):
    name: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    exclusive: bool = True
    options: list[str] = Field(min_length=1)


class Schema(_Strict):
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    entities: list[EntityLabel] = Field(min_length=1)
    claims: ClaimSettings
    cue_lexicon: CueLexicon
    document_labels: list[DocumentLabel] = Field(default_factory=list)

    @cached_property
    def hash(self) -> str:
        """Computed once: the schema is frozen, and imports and suggestions ask per record."""
        return schema_hash(self.model_dump(mode="json"))

    @property
    def labels(self) -> list[str]:
        return [e.label for e in self.entities]

    def entity(self, label: str) -> EntityLabel:
        for entity in self.entities:
            if entity.label == label:
                return entity
        raise KeyError(label)

    def model_label_map(self) -> dict[str, str]:
        """spaCy label → schema label; model labels absent here are dropped."""
        return {m: e.label for e in self.entities for m in e.model_labels}

    def hotkeys(self) -> dict[str, str]:
        return {e.hotkey: e.label for e in self.entities if e.hotkey}

    @property
    def claim_types(self) -> list[str]:
        return [t.name for t in self.claims.types]


# Colors of labels an import adds (`with_entity_labels`); the user can change them later.
ADDED_COLORS = ("#8dd3c7", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5")


def with_entity_labels(schema: Schema, labels: list[str], why: str) -> Schema:
    """The schema with entity labels added (`import --add-labels`): same name, the version
    marked, each new label described by `why`."""
    body = schema.model_dump(mode="json")
    body["version"] = f"{schema.version}+{'+'.join(labels)}"
    body["entities"] += [{"label": label, "description": why, "model_labels": [],
                          "color": ADDED_COLORS[i % len(ADDED_COLORS)]}
                         for i, label in enumerate(labels)]
    return parse_schema(body, f"{schema.name} with {', '.join(labels)}")


def schema_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _items(body: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = body.get(key) if isinstance(body, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] \
        if isinstance(value, list) else []


def _duplicates(items: list[tuple[int, dict[str, Any]]], field: str, prefix: str,
                what: str) -> list[str]:
    problems, seen = [], {}
    for i, item in items:
        value = item.get(field)
        if not isinstance(value, str):
            continue
        key = value.upper() if field == "hotkey" else value
        if key in seen:
            problems.append(f"{prefix}[{i}].{field}: duplicate {what} {value!r} "
                            f"(also {prefix}[{seen[key]}])")
        seen.setdefault(key, i)
    return problems


def _cross_checks(body: Any) -> list[str]:
    """What one field cannot know alone: duplicates, collisions, reserved keys.

    Runs on the raw body, so a file with both kinds of problem reports all of them at once.
    """
    entities = _items(body, "entities")
    problems = _duplicates(entities, "label", "entities", "label")
    problems += _duplicates(entities, "hotkey", "entities", "hotkey")
    for i, entity in entities:
        hotkey = entity.get("hotkey")
        if isinstance(hotkey, str) and hotkey.upper() in RESERVED_KEYS:
            problems.append(f"entities[{i}].hotkey: {hotkey!r} is reserved by the keyboard map "
                            "(docs/architecture.md)")
    seen_model: dict[str, int] = {}
    for i, entity in entities:
        model_labels = entity.get("model_labels")
        for j, model_label in enumerate(model_labels if isinstance(model_labels, list) else []):
            if not isinstance(model_label, str):
                continue  # the field's own check names the type
            if not model_label.strip():
                problems.append(f"entities[{i}].model_labels[{j}]: empty model label")
                continue
            if model_label in seen_model:
                problems.append(f"entities[{i}].model_labels[{j}]: model label {model_label!r} "
                                f"is already mapped by entities[{seen_model[model_label]}]")
            seen_model.setdefault(model_label, i)
    claims = body.get("claims") if isinstance(body, dict) else None
    claim_types = _items(claims, "types")
    problems += _duplicates(claim_types, "name", "claims.types", "claim type")
    problems += _duplicates(_items(body, "document_labels"), "name", "document_labels",
                            "document label")
    parts = {SOURCE_LABEL, CUE_LABEL} | {t["name"].upper() for _, t in claim_types
                                         if isinstance(t.get("name"), str)}
    for i, entity in entities:
        label = entity.get("label")
        if isinstance(label, str) and label.upper() in parts:
            problems.append(f"entities[{i}].label: {label!r} is the name of a claim part or "
                            "type; imports would read such spans as claims")
    for i, doc_label in _items(body, "document_labels"):
        options = doc_label.get("options")
        seen: dict[str, str] = {}
        for j, option in enumerate(options if isinstance(options, list) else []):
            if not isinstance(option, str):
                continue
            if not option.strip():
                problems.append(f"document_labels[{i}].options[{j}]: empty option")
            elif option in seen.values():
                problems.append(f"document_labels[{i}].options[{j}]: duplicate option "
                                f"{option!r}")
            elif option_key(option) in seen:
                problems.append(f"document_labels[{i}].options[{j}]: option {option!r} reads "
                                f"as {seen[option_key(option)]!r} on import (case, spaces "
                                "and hyphens aside)")
            seen.setdefault(option_key(option), option)
    problems += [f"{path}: contains a NUL character" for path in _nul_paths(body, "")]
    return problems


def option_key(name: str) -> str:
    """A label as other tools spell it loosely, which imports match: `Partly relevant` is
    `partly_relevant`."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def _nul_paths(value: Any, path: str) -> list[str]:
    """Field paths of strings (and keys) holding a NUL: it cannot reach the store's text."""
    if isinstance(value, str):
        return [path or "(top level)"] if "\x00" in value else []
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_paths(v, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [p for k, v in value.items()
                for p in ([f"{path}.{k}" if path else str(k)] if "\x00" in str(k) else [])
                + _nul_paths(v, f"{path}.{k}" if path else str(k))]
    return []


def parse_schema(body: Any, source: str = "<schema>") -> Schema:
    problems = _cross_checks(body)
    try:
        schema = Schema.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown field"
            problems.append(f"{_path(error['loc'])}: {message}")
    if problems:
        raise SchemaError(source, sorted(problems))
    return schema


def stored_schema(body: Any) -> Schema:
    """A schema read back from a project. It was checked when it was stored; a check added
    since must not lock anyone out of a project (or its export) made before it."""
    return Schema.model_validate(body)


def load_schema(path: str | Path) -> Schema:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SchemaError(str(path), [f"(file): cannot read: {exc.strerror}"]) from None
    try:
        body = orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))  # a BOM, as imports accept
    except orjson.JSONDecodeError as exc:
        raise SchemaError(str(path), [f"(file): invalid JSON at line {exc.lineno}, "
                                      f"column {exc.colno}: {exc.msg}"]) from None
    return parse_schema(body, str(path))
