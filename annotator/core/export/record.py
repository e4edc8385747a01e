"""The JSONL record (docs/architecture.md), Prodigy-compatible; the other formats are made from it.

One record per document and annotation set (`answer: accept` for finished work, `ignore`
otherwise, with the set's status in `_status`), and with `--with-rejected` one
`answer: reject` record per rejected entity span, the shape Prodigy's binary NER training
reads. Tokens are those of `aligned_tokens`: where an exported span edge falls inside a spaCy
token, the token is split there (the count is reported) and the span keeps its offsets.

They come from the document's cached `DocTokens`, the `tokens` list already serialised: a
builder for a writer that only serialises records (`json_tokens`) puts those bytes into the
record as they are (an `orjson.Fragment`), and spans find their token indices in them. Only
a record whose span edges cut a token makes its list again, from the cut offsets.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from annotator.core.export.selection import Annotation, ClaimParts, Part
from annotator.core.export.validate import check_annotation, misplaced
from annotator.core.schema import Schema
from annotator.core.tokens import DocTokens, Locate, Rows, split_rows, token_dicts, tokens_json

VIEW_MANUAL = "ner_manual"
SOURCE_HASH = "_input_hash"  # the meta key where an import keeps a Prodigy dataset's hash
VIEW_BINARY = "ner"


class Built(NamedTuple):
    """A record and what the manifest counts about it."""

    record: dict[str, Any]
    split_tokens: int


def _hash32(*parts: Any) -> int:
    """A stable signed 32-bit hash, the integer shape Prodigy uses for its hashes."""
    digest = hashlib.blake2b(orjson.dumps(parts), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def input_hash(doc_id: str) -> int:
    """The `_input_hash` of a document's records: the first 32 bits of its id, which is
    already the SHA-256 of its text (hashing the text again cost a tenth of a record)."""
    return int.from_bytes(bytes.fromhex(doc_id[:8]), "big", signed=True)


def source_input_hash(meta: dict[str, Any]) -> int | None:
    """The `_input_hash` of the Prodigy dataset the document came from, kept by the import,
    so an export lines up with that dataset."""
    value = meta.get(SOURCE_HASH)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _without_source_hash(meta: dict[str, Any]) -> dict[str, Any]:
    """The document's meta as the record shows it: the kept `_input_hash` is the record's
    own field, not meta (a re-import would otherwise add it to meta)."""
    if SOURCE_HASH not in meta:
        return meta
    return {k: v for k, v in meta.items() if k != SOURCE_HASH}


def _timestamp(iso: str | None) -> int | None:
    return int(datetime.fromisoformat(iso).timestamp()) if iso else None


class RecordBuilder:
    """Builds the records of one export (schema and session naming fixed for the run).

    With `json_tokens`, a record's `tokens` may be an `orjson.Fragment` (for writers that
    only serialise records); without it, always a list of token dicts."""

    def __init__(self, schema: Schema, *, with_rejected: bool = False,
                 json_tokens: bool = False, schemas: dict[str, Schema] | None = None):
        self.schema = schema
        self.schemas = {**(schemas or {}), schema.hash: schema}
        self.with_rejected = with_rejected
        self.json_tokens = json_tokens
        self.used: dict[str, Schema] = {}  # the schemas the records name, for the manifest
        self.options: dict[str, dict[str, list[str]]] = {}  # by schema hash (`_options`)

    def made_under(self, ann: Annotation) -> Schema:
        """The schema the set was made under: its own when the project holds it, else (no
        schema recorded) the current one."""
        made = self.schemas.get(ann.schema_hash or self.schema.hash, self.schema)
        self.used.setdefault(made.hash, made)
        return made

    def _options(self, schema: Schema) -> dict[str, list[str]]:
        """The document-label options of a set's schema, with the current schema's beside
        them: a set made under an earlier schema may have been edited since."""
        if schema.hash not in self.options:
            options = {d.name: list(d.options) for d in schema.document_labels}
            for label in self.schema.document_labels:
                mine = options.setdefault(label.name, [])
                mine += [o for o in label.options if o not in mine]
            self.options[schema.hash] = options
        return self.options[schema.hash]

    def build(self, ann: Annotation) -> list[Built]:
        """The records of an annotation read with its tokens (`iter_annotations`)."""
        check_annotation(ann)
        if ann.tokens is None:
            raise ValueError("the annotation was read without tokens")
        hashed = source_input_hash(ann.doc.meta) or input_hash(ann.doc.id)
        schema = self.made_under(ann)
        out = [self._record(ann, ann.tokens, hashed, ann.entities, ann.claims,
                            self._answer(ann), schema)]
        if self.with_rejected:
            out += [self._record(ann, ann.tokens, hashed, (part,), (), "reject", schema)
                    for part in ann.rejected]
        return out

    @staticmethod
    def _answer(ann: Annotation) -> str:
        return "accept" if ann.status == "done" else "ignore"

    def _record(self, ann: Annotation, doc_tokens: DocTokens, hashed: int,
                entities: tuple[Part, ...], claims: tuple[ClaimParts, ...], answer: str,
                schema: Schema) -> Built:
        text = ann.doc.text
        try:  # nearly always: every edge is a token boundary, the cached tokens are the tokens
            spans, claim_rows, relations = _parts(
                _span_maker(ann, doc_tokens.locator(), cut=False), entities, claims)
            tokens: Any = (orjson.Fragment(doc_tokens.json) if self.json_tokens
                           else orjson.loads(doc_tokens.json))
            n_split = 0
        except _Unaligned:
            boundaries = [b for p in entities for b in p[:2]]
            for claim in claims:
                boundaries += [b for p in (claim.content, claim.source, claim.cue) if p
                               for b in p[:2]]
            rows, n_split = split_rows(doc_tokens.table().rows, boundaries)
            spans, claim_rows, relations = _parts(
                _span_maker(ann, _locator(rows), cut=True), entities, claims)
            tokens = (orjson.Fragment(tokens_json(text, rows)) if self.json_tokens
                      else token_dicts(text, rows))
        doc = ann.doc
        record: dict[str, Any] = {
            "text": text,
            "meta": {"doc_id": doc.id, "title": doc.title, "source": doc.source,
                     "date": doc.date, "url": doc.url, **_without_source_hash(doc.meta)},
            "_input_hash": hashed,
            "_task_hash": _task_hash(ann, hashed, entities, claims, answer),
            "tokens": tokens,
            "spans": spans,
            "claims": claim_rows,
            "relations": relations,
            "cats": cats_scores(ann.cats, self._options(schema)) if answer != "reject" else {},
            "answer": answer,
            "_annotator_id": ann.annotator,
            "_session_id": f"{self.schema.name}-{ann.annotator}",
            "_timestamp": _timestamp(ann.updated_at),
            "_view_id": VIEW_BINARY if answer == "reject" else VIEW_MANUAL,
            "schema": {"name": schema.name, "version": schema.version, "hash": schema.hash},
        }
        if ann.status != "done" and answer != "reject":
            record["_status"] = ann.status
        return Built(record, n_split)


def _task_hash(ann: Annotation, hashed: int, entities: tuple[Part, ...],
               claims: tuple[ClaimParts, ...], answer: str) -> int:
    """The set's record keeps the task hash its source gave it (Prodigy sets it when it
    makes the task, before anyone answers, so an edit since does not change it); otherwise,
    and for a reject record, one made from what the record says."""
    if ann.task_hash is not None and answer != "reject":
        return ann.task_hash
    return _hash32(hashed, entities, claims, answer)


def cats_scores(cats: dict[str, Any], options: dict[str, list[str]]) -> dict[str, float]:
    """Document labels as Prodigy's `cats` and spaCy's `doc.cats`: the schema's labels
    (`options`: name → options) one-hot as `name=option` (1.0 chosen, 0.0 not); other numeric
    or boolean values kept."""
    out: dict[str, float] = {}
    for name, value in cats.items():
        if name in options:
            chosen = set(value) if isinstance(value, list) else {value}
            out.update({f"{name}={option}": float(option in chosen) for option in options[name]})
        elif isinstance(value, (bool, int, float)):
            out[name] = float(value)
    return out


class _Unaligned(Exception):
    """A span edge that is not a token boundary: inside a token (cut the tokens there and try
    again) or in whitespace (invalid)."""


SpanMaker = Callable[[Part], dict[str, Any]]


def _locator(rows: Rows) -> Locate:
    """`DocTokens.locator` for cut tokens: (first, last) token of a span, None unless its
    edges are token boundaries."""
    starts, ends, _ = rows
    n = len(starts)

    def locate(start: int, end: int) -> tuple[int, int] | None:
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_left(ends, end, first)  # never before the first
        if last == n or starts[first] != start or ends[last] != end:
            return None
        return first, last

    return locate


def _span_maker(ann: Annotation, locate: Locate, *, cut: bool) -> SpanMaker:
    """Span dicts with token indices. Once the tokens are `cut` at every edge inside a word,
    an edge that is not a token boundary lies in whitespace."""
    text = ann.doc.text

    def span(part: Part) -> dict[str, Any]:
        start, end, label = part
        found = locate(start, end)
        if found is None:
            if not cut:
                raise _Unaligned
            raise misplaced(ann, part)
        return {"start": start, "end": end, "token_start": found[0],
                "token_end": found[1], "label": label, "text": text[start:end]}

    return span


def _parts(span: SpanMaker, entities: tuple[Part, ...], claims: tuple[ClaimParts, ...]
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(spans, claims, relations) of a record."""
    spans = [span(p) for p in entities]
    claim_rows, relations = [], []
    for i, claim in enumerate(claims):
        content = span(claim.content)
        source = span(claim.source) if claim.source else None
        cue = span(claim.cue) if claim.cue else None
        claim_rows.append({"id": i, "type": claim.type, "content": content,
                           "source": source, "cue": cue, "attributes": claim.attributes})
        for child, label in ((source, "source"), (cue, "cue")):
            if child is not None:
                relations.append({"head": content["token_end"], "child": child["token_end"],
                                  "head_span": content, "child_span": child, "label": label})
    return spans, claim_rows, relations
