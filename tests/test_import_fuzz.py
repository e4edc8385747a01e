"""Fuzzing every importer: whatever a file holds, an import either stores it or fails with
problems naming the file, and a failed import stores nothing — never a traceback.

Records are built from the fields each format reads, filled with plausible values (offsets
inside the text, labels the schema has) mixed with any JSON at all, so the fuzzer reaches
deep into the readers. Derandomized and bounded: the same examples on every run, a few
seconds per importer.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.importers import ImportFailed, import_paths

TEXT = "Reuters said Netanyahu met Syrian officials in Paris."
FUZZ = settings(max_examples=60, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 60),
                     st.integers(-2**70, 2**70), st.floats(allow_nan=False),
                     st.text(max_size=8),
                     st.sampled_from(["accept", "reject", "ignore", "ORG", "GPE", "SOURCE",
                                      "CUE", "direct_quote", "relevant", "relevance",
                                      "relevance=relevant", "labels", "choices", "relation",
                                      "ner", "ner_manual", "done", "todo", TEXT]))
ANY = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=12)


def _span(start_key="start", end_key="end"):
    return st.fixed_dictionaries({start_key: st.integers(-1, 60), end_key: st.integers(-1, 60)},
                                 optional={"label": ANY, "answer": ANY, "score": ANY,
                                           "text": ANY, "id": ANY})


def _record(fields):
    """A dict holding some of `fields` (each a plausible value or any JSON)."""
    return st.fixed_dictionaries({}, optional={
        key: st.one_of(value, ANY) for key, value in fields.items()})


PRODIGY = _record({
    "text": st.just(TEXT), "answer": st.sampled_from(["accept", "reject", "ignore"]),
    "spans": st.lists(_span(), max_size=3), "cats": st.dictionaries(ANY.filter(
        lambda v: isinstance(v, str)), ANY, max_size=2),
    "claims": st.lists(st.fixed_dictionaries({"type": st.just("indirect"),
                                              "content": _span()},
                                             optional={"source": _span(), "cue": _span()}),
                       max_size=2),
    "label": ANY, "options": st.lists(st.fixed_dictionaries({"id": ANY}), max_size=2),
    "accept": st.lists(ANY, max_size=2), "_status": ANY, "_annotator_id": ANY,
    "_timestamp": ANY, "_view_id": st.sampled_from(["ner", "ner_manual", "choice"]),
    "meta": st.dictionaries(st.sampled_from(["title", "date", "url", "x"]), ANY),
    "schema": st.fixed_dictionaries({"hash": ANY}), "relations": ANY})

DOCCANO = _record({
    "text": st.just(TEXT),
    "label": st.lists(st.one_of(st.tuples(st.integers(-1, 60), st.integers(-1, 60),
                                          ANY).map(list), ANY), max_size=3),
    "labels": st.lists(ANY, max_size=2),
    "entities": st.lists(_span("start_offset", "end_offset"), max_size=3),
    "relations": st.lists(st.fixed_dictionaries({"from_id": ANY, "to_id": ANY,
                                                 "type": ANY}), max_size=2)})

_result = st.fixed_dictionaries({"type": st.sampled_from(["labels", "choices", "relation"])},
                                optional={"value": st.one_of(_span(), ANY), "id": ANY,
                                          "from_name": ANY, "from_id": ANY, "to_id": ANY,
                                          "labels": ANY, "score": ANY})
LABEL_STUDIO = st.one_of(
    st.lists(_record({
        "data": _record({"text": st.just(TEXT), "title": ANY, "body": ANY}),
        "text": st.just(TEXT),
        "annotations": st.lists(_record({"result": st.lists(_result, max_size=3),
                                         "completed_by": ANY, "was_cancelled": ANY}),
                                max_size=2),
        "predictions": st.lists(_record({"result": st.lists(_result, max_size=3),
                                         "model_version": ANY, "score": ANY}), max_size=2),
        "id": ANY}), max_size=3),
    ANY)


def _survives(store, path):
    """The import stores everything or, failing with problems that name the file, nothing."""
    before = (store.documents.count(), store.sets.annotators())
    try:
        import_paths(store, [path], annotator="fuzz")
    except ImportFailed as failed:
        assert failed.report.problems
        assert all(p.file.startswith(str(path)) for p in failed.report.problems)
        assert (store.documents.count(), store.sets.annotators()) == before


def _jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


@FUZZ
@given(records=st.lists(PRODIGY, min_size=1, max_size=3))
def test_fuzzed_prodigy_and_jsonl_records(store, tmp_path, records):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(_jsonl(records))
    _survives(store, path)


@FUZZ
@given(records=st.lists(DOCCANO, min_size=1, max_size=3))
def test_fuzzed_doccano_records(store, tmp_path, records):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(_jsonl(records))
    _survives(store, path)


@settings(FUZZ, max_examples=200)  # small files, fast: more of them to reach the results
@given(tasks=LABEL_STUDIO)
def test_fuzzed_label_studio_exports(store, tmp_path, tasks):
    path = tmp_path / "fuzz.json"
    path.write_bytes(json.dumps(tasks, ensure_ascii=False).encode())
    _survives(store, path)


@FUZZ
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_fuzzed_bytes_as_text_and_jsonl_files(store, tmp_path, data):
    for name in ("fuzz.txt", "fuzz.jsonl"):
        path = tmp_path / name
        path.write_bytes(data)
        _survives(store, path)
