"""The hand-annotated dev set is what every quality figure rests on: check the file itself."""

from __future__ import annotations

import itertools
import runpy

import pytest
from conftest import ROOT, SCHEMA, SEEDS

from annotator.core.evaluate import read_devset
from annotator.core.identity import normalise_newlines
from annotator.core.schema import load_schema
from annotator.core.tokens import is_aligned, tokenize

DATA = ROOT / "tests" / "data"
DEVSET = DATA / "devset.jsonl"
QUOTE_MARKS = {"“": "”", '"': '"'}
# Entity boundaries inside one spaCy token, kept on purpose (tests/data/devset/README.md).
KNOWN_SPLITS = {("002_bab2f6869c0912e9.txt", "Israeli"), ("002_bab2f6869c0912e9.txt", "Syrian"),
                ("003_372b0c380ffd102b.txt", "U.S.")}


@pytest.fixture(scope="module")
def records():
    return read_devset(DEVSET)


def _parts(record):
    """Every annotated piece of a record: entities, then claim contents, sources and cues."""
    yield from record["spans"]
    for claim in record["claims"]:
        yield from (p for p in (claim["content"], claim["source"], claim["cue"]) if p)


def test_one_record_per_seed_with_the_exact_seed_text(records):
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [r["meta"]["file"] for r in records] == [s.name for s in seeds]
    for record, seed in zip(records, seeds):
        assert record["text"] == normalise_newlines(seed.read_bytes().decode("utf-8-sig"))


def test_the_file_is_what_the_markup_builds():
    builder = runpy.run_path(str(DATA / "build_devset.py"), run_name="build_devset")
    assert DEVSET.read_text(encoding="utf-8") == builder["dumps"](builder["build"]()), \
        "devset.jsonl is stale: run `python tests/data/build_devset.py`"


def test_every_text_field_is_the_text_at_its_offsets(records):
    for record in records:
        for part in _parts(record):
            assert 0 <= part["start"] < part["end"] <= len(record["text"])
            assert record["text"][part["start"]:part["end"]] == part["text"]
            assert part["text"] == part["text"].strip(), f"whitespace at the edge of {part}"


def test_entities_do_not_overlap(records):
    for record in records:
        spans = sorted(record["spans"], key=lambda s: s["start"])
        for a, b in itertools.pairwise(spans):
            assert a["end"] <= b["start"], f"{record['meta']['file']}: {a} overlaps {b}"


def test_labels_and_claim_types_are_the_schemas(records):
    schema = load_schema(SCHEMA)
    for record in records:
        assert {s["label"] for s in record["spans"]} <= set(schema.labels)
        assert {c["type"] for c in record["claims"]} <= set(schema.claim_types)


def test_claims_follow_the_conventions(records):
    for record in records:
        text = record["text"]
        for claim in record["claims"]:
            content = claim["content"]
            assert claim["cue"] is not None, claim
            assert (claim["source"] is None) == (claim["type"] == "unattributed"), claim
            if claim["type"] == "direct_quote":
                opening = text[content["start"] - 1]
                assert QUOTE_MARKS.get(opening) == text[content["end"]], \
                    f"direct quote not inside quote marks: {content['text']!r}"
            else:
                assert not content["text"].lower().startswith("that "), content["text"]


def test_spans_lie_on_token_boundaries_except_the_documented_splits(records):
    splits = set()
    for record in records:
        tokens = tokenize(record["text"])
        splits |= {(record["meta"]["file"], p["text"]) for p in _parts(record)
                   if not is_aligned(tokens, p["start"], p["end"])}
    assert splits == KNOWN_SPLITS


def test_every_label_in_use_is_represented(records):
    """A dev set with no DATE or no claims of a type would hide a broken suggester."""
    labels = {s["label"] for r in records for s in r["spans"]}
    assert {"PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "LAW", "EVENT"} <= labels
    assert {c["type"] for r in records for c in r["claims"]} == {"direct_quote", "indirect",
                                                                 "unattributed"}
