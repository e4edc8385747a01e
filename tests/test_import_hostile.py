"""Hostile input (issue 14): every case a clear `file:line:field` problem, nothing stored and
nothing lost; our own export of awkward text re-imports byte for byte."""

import json
import os
from pathlib import Path

import orjson
import pytest

from annotator.core.export import ExportOptions, export_dataset
from annotator.core.importers import ImportFailed, import_paths
from annotator.core.project import open_project


def _write(path: Path, *objects) -> Path:
    """JSONL by the standard library, which writes nesting deeper than orjson does."""
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects),
                    encoding="utf-8")
    return path


def _problems(store, path, **options):
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana", **options)
    assert store.documents.count() == 0 and store.sets.annotators() == []
    return [str(p) for p in failed.value.report.problems]


AWKWARD = ("Line\u2028separator, paragraph\u2029separator and next\u0085line.\n"
           "Family 👨‍👩‍👧‍👦 and flag 🇺🇦; Arabic: قال المتحدث «سنعود» and Hebrew: שלום.")


def test_an_export_of_awkward_text_re_imports_byte_for_byte(store, tmp_path):
    path = _write(tmp_path / "in.jsonl", {"text": AWKWARD, "answer": "accept",
                                          "spans": [{"start": 0, "end": 4, "label": "ORG"}],
                                          "_timestamp": 1700000000})
    import_paths(store, [path], annotator="ana")
    export_dataset(store, ExportOptions(), tmp_path / "out")
    exported = (tmp_path / "out" / "all.jsonl").read_bytes()
    assert "\u2028".encode() in exported  # orjson writes it unescaped, on one line
    assert exported.count(b"\n") == 1
    with open_project(tmp_path / "again.db") as again:
        report = import_paths(again, [tmp_path / "out" / "all.jsonl"], annotator="bo")
        (doc,) = again.documents.iter_all()
        assert report.imported == 1 and doc.text.encode() == AWKWARD.encode()
        aset = again.sets.find(doc.id, "ana")
        assert aset.status == "done"
        assert [(s.start, s.end, s.label, s.state) for s in again.spans.for_set(aset.id)] == \
            [(0, 4, "ORG", "accepted")]


def test_a_line_is_split_at_newline_only(store, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_bytes(orjson.dumps({"text": "A\u2028B\u2029C\u0085D", "meta": {"n": "x\u2028y"}}))
    report = import_paths(store, [path], annotator="ana")
    (doc,) = store.documents.iter_all()
    assert report.imported == 1 and doc.text == "A\u2028B\u2029C\u0085D"


def test_a_bad_byte_is_a_problem_of_its_line_even_when_skipping_invalid(store, tmp_path):
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"text": "Good one."}\n{"text": "Bad \xff byte."}\n{"text": "Good two."}\n')
    report = import_paths(store, [path], annotator="ana", skip_invalid=True)
    assert report.imported == 2
    assert [str(p) for p in report.problems] == [
        f"{path}:2: not valid UTF-8 (byte 14: 0xff)"]
    assert sorted(d.text for d in store.documents.iter_all()) == ["Good one.", "Good two."]


def _deep(levels):
    value = {}
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize("record, expected", [
    ({"text": "A text.", "schema": {"hash": 5}, "answer": "accept"},
     "schema.hash: expected a string, got 5"),
    ({"text": "A text.", "answer": []}, "answer: expected accept, reject or ignore, got []"),
    ({"text": "A text.", "meta": _deep(300)}, "meta: cannot be stored"),
    ({"text": "A text.", "label": [[0, 1, "ORG"], "ORG"]},
     "label[1]: expected [start, end, label] like label[0], got 'ORG'"),
    ({"text": "A text.", "answer": "accept", "claims": [
        {"type": "direct_quote", "content": {"start": 0, "end": 6, "label": "ORG"}}]},
     "claims[0].content.label: expected the claim type 'direct_quote', got 'ORG'"),
    ({"text": "A text.", "answer": "accept", "claims": [
        {"type": "indirect", "content": {"start": 2, "end": 6},
         "source": {"start": 0, "end": 1, "label": "SPEAKER"}}]},
     "claims[0].source.label: expected SOURCE or an entity label, got 'SPEAKER'"),
    ({"text": "A text.", "answer": "accept", "claims": [
        {"type": "indirect", "content": {"start": 2, "end": 6},
         "cue": {"start": 0, "end": 1, "label": "SOURCE"}}]},
     "claims[0].cue.label: expected CUE, got 'SOURCE'"),
    ({"text": "A text.", "answer": "accept", "cats": {"relevance": {"pick": "relevant"}}},
     "cats.relevance: expected a score or an option, got {'pick': 'relevant'}"),
    ({"text": "A text.", "answer": "accept", "cats": {"mood": "happy"}},
     "cats.mood: unknown document label 'happy'"),
    ({"text": "A text.", "answer": "accept", "spans": [
        {"start": 0, "end": 1, "label": "ORG", "answer": {}}]},
     "spans[0].answer: expected accept, reject or ignore, got {}"),
    ({"text": "A text.", "meta": {"title": "Pa\x00ris"}},
     "meta.title: contains a NUL character, which a project cannot keep"),
    ({"text": "A text.", "answer": "accept", "_annotator_id": "al\x00ice"},
     "_annotator_id: contains a NUL character"),
])
def test_hostile_jsonl_records_name_line_and_field(store, tmp_path, record, expected):
    path = _write(tmp_path / "bad.jsonl", record)
    (problem,) = _problems(store, path)
    assert problem.startswith(f"{path}:1: {expected}")


@pytest.mark.parametrize("task, expected", [
    ({"data": {"text": "A text."}, "annotations": 5}, "[0].annotations: expected an array"),
    ({"data": {"text": "A text."}, "annotations": [{"result": 7}]},
     "[0].annotations[0].result: expected an array"),
    ({"data": {"text": "A text."}, "annotations": [{"result": [
        {"type": "choices", "value": {"choices": 3}}]}]},
     "[0].annotations[0].result[0].value.choices: expected an array, got 3"),
    ({"data": {"text": "A text."}, "annotations": [{"result": [
        {"type": "choices", "from_name": {}, "value": {"choices": ["relevant"]}}]}]},
     "[0].annotations[0].result[0].from_name: expected a name, got {}"),
    ({"data": {"text": "A text."}, "predictions": [{"result": [
        {"type": "labels", "value": {"start": 0, "end": 1, "labels": ["ORG"]},
         "score": "high"}]}]},
     "[0].predictions[0].result[0].score: expected a number, got 'high'"),
    ({"data": {"body": "A text.", "summary": "short"}},
     "[0].data.text: missing, and several fields could be the text (body, summary): name "
     "one with --text-key"),
    ({"data": {"text": "A text.", "title": "Pa\x00ris"}},
     "[0].data.title: contains a NUL character, which a project cannot keep"),
    ({"data": {"text": "A text.", "extra": {"k\x00": 1}}},
     "[0].data.extra (a key): contains a NUL character"),
    ({"data": {"text": "A text."}, "annotations": [{"result": [], "completed_by": "a\x00"}]},
     "[0].annotations[0].completed_by: contains a NUL character"),
])
def test_hostile_label_studio_tasks_name_the_field(store, tmp_path, task, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps([task]))
    (problem,) = _problems(store, path)
    assert problem.startswith(f"{path}: {expected}")


def test_an_unreadable_subfolder_is_a_problem_not_a_silent_skip(store, tmp_path, monkeypatch):
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("An article.\n")
    locked = tmp_path / "in" / "locked"
    scandir = os.scandir

    def refusing(path="."):
        if Path(path) == locked:  # what a folder without read permission does for a user
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    assert _problems(store, tmp_path / "in") == [
        f"{locked}: cannot read folder (Permission denied)"]


def test_a_dangling_link_in_a_folder_is_a_problem(store, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("An article.\n")
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    assert _problems(store, tmp_path / "in") == [
        f"{tmp_path / 'in' / 'gone.txt'}: a link to nothing (its target "
        f"{tmp_path / 'nowhere.txt'} is missing)"]


@pytest.mark.parametrize("name, data, expected", [
    ("empty.jsonl", b"\n\n", "{path}: no records: the file holds nothing to import"),
    ("empty.json", b"[]", "{path}: no records: the file holds nothing to import"),
    ("zw.jsonl", '{"text": "\u200b\u200d\u2060 "}\n'.encode(),
     "{path}:1: text: no visible text (only zero-width characters)"),
    ("bad_date.txt", b"Title\ndate 2026-02-31\nBody.\n",
     "{path}:2: date header: '2026-02-31' is not a real date (YYYY-MM-DD)"),
    ("big.jsonl", b'{"text": "A text.", "meta": {"id": 18446744073709551616}}\n',
     "{path}:1: meta.id: the number 18446744073709551616 does not fit in 64 bits; write it "
     "as a string"),
])
def test_small_hostile_files_are_named_not_imported(store, tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert _problems(store, path) == [expected.format(path=path)]
    assert "import" not in [e.action for e in store.events.list()]  # no event of an import
