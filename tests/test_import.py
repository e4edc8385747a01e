"""Import of plain text, folders and JSONL: metadata, duplicates, and all-or-nothing errors."""

import threading
from pathlib import Path

import orjson
import pytest

from annotator.core.identity import doc_id_for
from annotator.core.importers import ImportFailed, import_paths
from annotator.core.jobs import Cancelled
from conftest import SEEDS


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _jsonl(*objects) -> str:
    return "".join(orjson.dumps(o).decode() + "\n" for o in objects)


def test_seed_folder_imports_five_articles_with_titles_dates_and_file_names(store):
    report = import_paths(store, [SEEDS], annotator="ana")
    assert (report.imported, report.files, report.duplicates) == (5, 5, [])
    docs = list(store.documents.iter_all())
    assert [d.meta["file"] for d in docs] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert docs[0].title.startswith("US, Syria, and Israel Issue Joint Statement")
    # 001 starts with a blank line: the title is the first line with text.
    assert docs[1].title.startswith("The US, Israel, and Syria announced")
    # 004 starts with a ' date 2026-01-07 403' header line, which stays in the text.
    assert docs[4].date == "2026-01-07"
    assert docs[4].title == "Syria, Israel agree to establish joint fusion mechanism"
    assert docs[4].text.startswith(" date 2026-01-07 403\n")
    for doc in docs:
        raw = (SEEDS / doc.meta["file"]).read_text(encoding="utf-8")
        assert doc.text == raw and doc.id == doc_id_for(raw)
    assert store.events.list(action="import")[0].payload["imported"] == 5


def test_reimport_skips_exact_duplicates_and_reports_them(store):
    import_paths(store, [SEEDS], annotator="ana")
    report = import_paths(store, [SEEDS], annotator="ana")
    assert report.imported == 0
    assert [d.first_seen for d in report.duplicates] == ["the project"] * 5
    assert store.documents.count() == 5


def test_newlines_are_normalised_and_nothing_else(store, tmp_path):
    text = "Title line\r\nSyria said\ttalks\u00a0went “well”. 😀\r\nLast\rline  \n"
    _write(tmp_path / "in" / "crlf.txt", text)
    _write(tmp_path / "in" / "lf.txt", text.replace("\r\n", "\n").replace("\r", "\n"))
    report = import_paths(store, [tmp_path / "in"], annotator="ana")
    assert report.imported == 1
    assert [(d.origin.endswith("lf.txt"), d.first_seen.endswith("crlf.txt"))
            for d in report.duplicates] == [(True, True)]
    [doc] = store.documents.iter_all()
    assert doc.text == "Title line\nSyria said\ttalks\u00a0went “well”. 😀\nLast\nline  \n"


def test_header_lines_give_date_source_and_url(store, tmp_path):
    _write(tmp_path / "a.txt", "date: 2025-12-09\nsource: Reuters\nurl: https://example.org/a\n"
                               "Syria and Israel meet in Paris\n\nBody text.\n")
    import_paths(store, [tmp_path / "a.txt"], annotator="ana")
    [doc] = store.documents.iter_all()
    assert (doc.title, doc.date, doc.source, doc.url) == (
        "Syria and Israel meet in Paris", "2025-12-09", "Reuters", "https://example.org/a")


def test_jsonl_promotes_meta_fields_and_keeps_all_meta(store, tmp_path):
    path = _write(tmp_path / "docs.jsonl", _jsonl(
        {"text": "First article.", "meta": {"title": "One", "source": "AP",
                                            "date": "2025-12-09T10:00:00Z", "lang": "en"}},
        {"text": "Second article.\nMore."}) + "\n")
    report = import_paths(store, [path], annotator="ana")
    assert report.imported == 2
    first, second = store.documents.iter_all()
    assert (first.title, first.source, first.date, first.meta["lang"]) == (
        "One", "AP", "2025-12-09", "en")
    assert second.title == "Second article."


def test_folder_import_reads_txt_and_jsonl_below_it_and_names_ignored_files(store, tmp_path):
    folder = tmp_path / "corpus"
    _write(folder / "a.txt", "Alpha\nbody")
    _write(folder / "sub" / "b.jsonl", _jsonl({"text": "Beta"}))
    _write(folder / "notes.md", "not an article")
    report = import_paths(store, [folder], annotator="ana")
    assert report.imported == 2
    assert "1 file(s) without a .txt or .jsonl ending ignored (e.g. notes.md)" in \
        report.warnings[0]


BAD_INPUTS = {
    "non_utf8": ("bad.txt", "Caf\xe9".encode("latin-1"), "bad.txt:1: not valid UTF-8"),
    "empty": ("empty.txt", "  \n\n", "empty.txt: empty text"),
    "malformed_json": ("m.jsonl", _jsonl({"text": "ok"}) + '{"text": "broken\n',
                       "m.jsonl:2: malformed JSON"),
    "not_an_object": ("o.jsonl", "[1, 2]\n", "o.jsonl:1: expected a JSON object, got an array"),
    "missing_text": ("t.jsonl", _jsonl({"meta": {}}), "t.jsonl:1: text: missing"),
    "text_not_string": ("n.jsonl", _jsonl({"text": 42}), "n.jsonl:1: text: expected a string"),
    "empty_jsonl_text": ("e.jsonl", _jsonl({"text": " "}), "e.jsonl:1: text: empty text"),
    "meta_not_object": ("mo.jsonl", _jsonl({"text": "a", "meta": "x"}),
                        "mo.jsonl:1: meta: expected an object, got a string"),
    "title_wrong_type": ("tt.jsonl", _jsonl({"text": "a", "meta": {"title": 3}}),
                         "tt.jsonl:1: meta.title: expected a string, got a number"),
    "bad_date": ("d.jsonl", _jsonl({"text": "a", "meta": {"date": "2025-13-40"}}),
                 "d.jsonl:1: meta.date: expected a date YYYY-MM-DD"),
    "unsupported": ("doc.pdf", b"%PDF", "doc.pdf: unsupported file type"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_names_file_line_and_field_and_stores_nothing(store, tmp_path, case):
    name, content, expected = BAD_INPUTS[case]
    good = _write(tmp_path / "good.txt", "A good article\nwith text")
    bad = _write(tmp_path / name, content)
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [good, bad], annotator="ana")
    messages = [str(p) for p in failed.value.report.problems]
    assert len(messages) == 1 and messages[0].startswith(str(tmp_path / expected.split(":")[0]))
    assert expected.split(":", 1)[1] in messages[0]
    assert store.documents.count() == 0
    assert store.events.list(action="import") == []


def test_missing_and_unreadable_files_are_problems(store, tmp_path, monkeypatch):
    locked = _write(tmp_path / "locked.txt", "Secret\ntext")
    original = Path.read_bytes

    def read_bytes(path):
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [locked, tmp_path / "gone.txt"], annotator="ana")
    assert sorted(str(p) for p in failed.value.report.problems) == [
        f"{tmp_path / 'gone.txt'}: no such file or folder",
        f"{locked}: cannot read (Permission denied)"]


def test_every_problem_of_a_run_is_reported_at_once(store, tmp_path):
    path = _write(tmp_path / "many.jsonl", _jsonl({"text": "ok"}, {"text": 1}, {"text": "ok 2"})
                  + "{oops\n")
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana")
    assert [p.line for p in failed.value.report.problems] == [2, 4]


def test_skip_invalid_imports_the_valid_part_and_lists_the_rest(store, tmp_path):
    path = _write(tmp_path / "many.jsonl", _jsonl({"text": "ok"}, {"text": 1}, {"text": "ok 2"}))
    report = import_paths(store, [path], annotator="ana", skip_invalid=True)
    assert report.imported == 2
    assert [str(p) for p in report.problems] == [
        f"{path}:2: text: expected a string, got a number"]
    assert store.events.list(action="import")[0].payload["invalid"] == 1


def test_large_import_reports_progress_to_completion(store, tmp_path):
    path = _write(tmp_path / "big.jsonl", _jsonl(*({"text": f"Article {i}."}
                                                   for i in range(1200))))
    calls = []
    report = import_paths(store, [path], annotator="ana", progress=lambda d, t: calls.append(
        (d, t)))
    assert report.imported == 1200
    assert calls[-1][0] == calls[-1][1] == path.stat().st_size
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_cancelled_import_stores_nothing_and_stops_reading(store, tmp_path):
    path = _write(tmp_path / "big.jsonl", _jsonl(*({"text": f"Article {i}."}
                                                   for i in range(3000))))

    def cancel(done, total):
        if done < total:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_paths(store, [path], annotator="ana", progress=cancel)
    assert store.documents.count() == 0
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
