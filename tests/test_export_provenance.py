"""An export says where its work came from, and imports again as it was (issues 12 and 14).

- Prodigy's `_input_hash` and `_task_hash` of an imported dataset are written back, and kept
  by a re-import of the export;
- each record names the schema its set was made under, the manifest lists every such
  schema, and an export holding work made under a schema `schema use` has since replaced
  imports again, elsewhere;
- an export made from gold carries the review report.

Every round trip imports into a project on the other backend (a file for a server's export,
a server for a file's).
"""

from __future__ import annotations

import shutil

import orjson
import pytest

from annotator.cli import main
from annotator.core.export import ExportOptions, export_dataset
from annotator.core.importers import ImportFailed, import_paths
from annotator.core.project import current_schema, open_project, use_schema
from annotator.core.schema import SchemaError, parse_schema, schema_hash
from annotator.core.team.merge import merge_projects
from conftest import ROOT
from review_work import finish, two_annotators

FORMATS = ROOT / "tests" / "data" / "formats"


@pytest.fixture
def elsewhere(location, request, tmp_path):
    """A second, empty project on the other backend."""
    other = str(tmp_path / "elsewhere.db") if location.startswith("postgresql") \
        else request.getfixturevalue("pg_project_url")
    project = open_project(other)
    yield project
    project.close()


def _records(path):
    return [orjson.loads(line) for line in path.read_bytes().split(b"\n") if line]


def _write(path, *objects):
    path.write_bytes(b"".join(orjson.dumps(o) + b"\n" for o in objects))
    return path


# --- issue 14, item 8: the source's hashes ---------------------------------------------------

def test_prodigy_hashes_are_written_back_and_kept_by_a_re_import(store, elsewhere, tmp_path):
    import_paths(store, [FORMATS / "prodigy_db_out.jsonl"], annotator="importer")
    options = ExportOptions(include_unfinished=True, with_rejected=True)
    export_dataset(store, options, tmp_path / "one")
    first = _records(tmp_path / "one" / "all.jsonl")
    carol = [r for r in first if r["_annotator_id"] == "news_ner-carol"]
    # carol's set is her manual record (task 678) with a later binary reject of one span
    # (task 999): the set's record keeps the manual record's hash, the reject record is
    # our own (its span's decision, not a set's).
    accepted = next(r for r in carol if r["answer"] == "accept")
    assert (accepted["_input_hash"], accepted["_task_hash"]) == (-12345, 678)
    rejected = [r for r in carol if r["answer"] == "reject"]
    assert [r["spans"][0]["text"] for r in rejected] == ["officials"]
    assert rejected[0]["_task_hash"] not in (678, 999)
    dave = next(r for r in first if r["_annotator_id"] == "news_ner-dave")
    assert (dave["_input_hash"], dave["_task_hash"], dave["answer"]) == (-555, 556, "ignore")

    import_paths(elsewhere, [tmp_path / "one" / "all.jsonl"], annotator="importer")
    export_dataset(elsewhere, options, tmp_path / "two")
    assert _records(tmp_path / "two" / "all.jsonl") == first


def test_a_real_textcat_dataset_exports_with_its_own_hashes(store, elsewhere, tmp_path):
    """explosion/prodigy-recipes' textcat dataset: one binary decision per text, so each
    set is that record, and its record leaves with the record's two hashes."""
    path = FORMATS / "prodigy_textcat_github_issues.jsonl"
    source = {r["text"]: (r["_input_hash"], r["_task_hash"]) for r in _records(path)}
    body = current_schema(store).model_dump(mode="json")
    body["document_labels"].append({"name": "topic", "description": "What it is about",
                                    "exclusive": False, "options": ["documentation"]})
    use_schema(store, parse_schema(body), annotator="lead")
    import_paths(store, [path], annotator="importer")
    options = ExportOptions(include_unfinished=True)
    export_dataset(store, options, tmp_path / "one")
    first = _records(tmp_path / "one" / "all.jsonl")
    assert len(first) == len(source) == 7
    assert {r["text"]: (r["_input_hash"], r["_task_hash"]) for r in first} == source

    # `elsewhere` has the news schema without `topic`: the manifest's schema reads it.
    import_paths(elsewhere, [tmp_path / "one" / "all.jsonl"], annotator="importer")
    doc = next(d for d in elsewhere.documents.iter_all() if d.text.startswith("Describe"))
    assert elsewhere.sets.find(doc.id, "importer").cats == {"topic": ["documentation"]}
    export_dataset(elsewhere, options, tmp_path / "two")
    assert _records(tmp_path / "two" / "all.jsonl") == first


def test_work_made_here_gets_a_task_hash_that_a_re_import_keeps(seeded, elsewhere, tmp_path):
    doc_id = seeded.documents.ids_in_order()[0]
    text = seeded.documents.text(doc_id)
    start = text.index("Paris")
    finish(seeded, doc_id, "alice", [(start, start + 5, "GPE")])
    export_dataset(seeded, ExportOptions(annotator="alice"), tmp_path / "one")
    (record,) = _records(tmp_path / "one" / "all.jsonl")
    assert isinstance(record["_task_hash"], int) and -2**31 <= record["_task_hash"] < 2**31
    import_paths(elsewhere, [tmp_path / "one" / "all.jsonl"], annotator="importer")
    export_dataset(elsewhere, ExportOptions(annotator="alice"), tmp_path / "two")
    assert _records(tmp_path / "two" / "all.jsonl") == [record]


# --- issue 14, item 14: the schema each set was made under ----------------------------------

LAW_TEXT = "The Patriot Act was debated in Washington on Monday."


def _schemas(store):
    """S1: the news schema as a team adopted it; S2: S1 without the LAW label, with a DRUG
    label and a genre `breaking`."""
    s1 = current_schema(store).model_dump(mode="json")
    s1["version"] = "1.1-team"
    s2 = orjson.loads(orjson.dumps(s1))
    s2["version"] = "2.0-team"
    s2["entities"] = [e for e in s2["entities"] if e["label"] != "LAW"]
    s2["entities"].append({"label": "DRUG", "description": "A medicine or drug.",
                           "color": "#aabbcc", "model_labels": []})
    s2["document_labels"][1]["options"].append("breaking")
    return parse_schema(s1), parse_schema(s2)


def _law_work(store, tmp_path):
    """alice's LAW span under S1; then S2 replaces S1 and bob annotates under it."""
    s1, s2 = _schemas(store)
    use_schema(store, s1, annotator="lead")
    import_paths(store, [_write(tmp_path / "alice.jsonl", {
        "text": LAW_TEXT, "answer": "accept", "_annotator_id": "alice",
        "spans": [{"start": 4, "end": 15, "label": "LAW"},
                  {"start": 31, "end": 41, "label": "GPE"}]})], annotator="lead")
    use_schema(store, s2, annotator="lead")
    import_paths(store, [_write(tmp_path / "bob.jsonl", {
        "text": "Angela Merkel spoke in Berlin.", "answer": "accept", "_annotator_id": "bob",
        "spans": [{"start": 0, "end": 13, "label": "PERSON"}]})], annotator="lead")
    return s1, s2


def test_records_name_the_schema_their_set_was_made_under(store, tmp_path):
    s1, s2 = _law_work(store, tmp_path)
    result = export_dataset(store, ExportOptions(), tmp_path / "out")
    by_annotator = {r["_annotator_id"]: r for r in _records(tmp_path / "out" / "all.jsonl")}
    assert by_annotator["alice"]["schema"] == {"name": "news", "version": "1.1-team",
                                               "hash": s1.hash}
    assert [s["label"] for s in by_annotator["alice"]["spans"]] == ["LAW", "GPE"]
    assert by_annotator["bob"]["schema"]["hash"] == s2.hash
    manifest = result.manifest
    assert manifest["schema"]["hash"] == s2.hash and "LAW" not in manifest["schema"]["labels"]
    assert set(manifest["schemas"]) == {s1.hash, s2.hash}
    assert "LAW" in manifest["schemas"][s1.hash]["labels"]
    assert "LAW" not in manifest["schemas"][s2.hash]["labels"]
    assert (manifest["schemas"][s1.hash]["records"], manifest["schemas"][s2.hash]["records"]) \
        == (1, 1)
    assert parse_schema(manifest["schemas"][s1.hash]["body"]).hash == s1.hash
    sheet = (tmp_path / "out" / "datasheet.md").read_text()
    assert f"**news** 1.1-team (`{s1.hash[:12]}`, 1 records; labels only it has: LAW)" in sheet


def test_an_export_with_work_under_a_replaced_schema_imports_again(store, elsewhere,
                                                                   tmp_path):
    s1, s2 = _law_work(store, tmp_path)
    export_dataset(store, ExportOptions(), tmp_path / "out")
    first = _records(tmp_path / "out" / "all.jsonl")
    use_schema(elsewhere, s2, annotator="lead")
    assert elsewhere.settings.schema_body(s1.hash) is None  # known only from the manifest

    report = import_paths(elsewhere, [tmp_path / "out" / "all.jsonl"], annotator="lead")
    assert report.annotation_sets == 2 and not report.problems
    doc = next(d for d in elsewhere.documents.iter_all() if d.text == LAW_TEXT)
    aset = elsewhere.sets.find(doc.id, "alice")
    assert aset.schema_hash == s1.hash  # made under S1, as in the project it came from
    assert [(s.label, s.state) for s in elsewhere.spans.for_set(aset.id, layer="entity")] == \
        [("LAW", "accepted"), ("GPE", "accepted")]
    assert current_schema(elsewhere).hash == s2.hash  # the import did not change the schema
    assert parse_schema(elsewhere.settings.schema_body(s1.hash)).hash == s1.hash
    export_dataset(elsewhere, ExportOptions(), tmp_path / "again")
    assert _records(tmp_path / "again" / "all.jsonl") == first


def test_a_set_edited_under_the_new_schema_round_trips_too(store, elsewhere, tmp_path):
    """alice's set, made under S1, gets a DRUG span and genre `breaking` (S2 only): its
    record still names S1, keeps both, and imports again (S2's labels sit beside S1's)."""
    s1, s2 = _law_work(store, tmp_path)
    doc = next(d for d in store.documents.iter_all() if d.text == LAW_TEXT)
    aset = store.sets.find(doc.id, "alice")
    with store.transaction():
        store.spans.add(aset.id, 20, 27, layer="entity", label="DRUG", origin="human",
                        state="accepted")
        store.sets.update(aset.id, cats={"genre": "breaking"})
    export_dataset(store, ExportOptions(), tmp_path / "out")
    first = _records(tmp_path / "out" / "all.jsonl")
    alice = next(r for r in first if r["_annotator_id"] == "alice")
    assert alice["schema"]["hash"] == s1.hash
    assert [s["label"] for s in alice["spans"]] == ["LAW", "DRUG", "GPE"]
    assert alice["cats"]["genre=breaking"] == 1.0 and alice["cats"]["genre=analysis"] == 0.0
    use_schema(elsewhere, s2, annotator="lead")
    import_paths(elsewhere, [tmp_path / "out" / "all.jsonl"], annotator="lead")
    moved = elsewhere.sets.find(doc.id, "alice")
    assert moved.cats == {"genre": "breaking"} and moved.schema_hash == s1.hash
    export_dataset(elsewhere, ExportOptions(), tmp_path / "again")
    assert _records(tmp_path / "again" / "all.jsonl") == first


def test_without_its_manifest_a_record_under_an_unknown_schema_names_the_label(
        store, elsewhere, tmp_path):
    s1, s2 = _law_work(store, tmp_path)
    export_dataset(store, ExportOptions(), tmp_path / "out")
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(tmp_path / "out" / "all.jsonl", alone / "all.jsonl")
    use_schema(elsewhere, s2, annotator="lead")
    with pytest.raises(ImportFailed) as failed:
        import_paths(elsewhere, [alone / "all.jsonl"], annotator="lead")
    line = 1 + [r["_annotator_id"] for r in _records(alone / "all.jsonl")].index("alice")
    assert str(failed.value.report.problems[0]).startswith(
        f"{alone / 'all.jsonl'}:{line}: spans[0].label: unknown label 'LAW'")
    assert any(f"made under another schema ({s1.hash[:12]}) that neither the project nor a "
               "manifest.json beside the file holds" in w
               for w in failed.value.report.warnings)
    assert elsewhere.documents.count() == 0


def test_a_manifest_schema_whose_body_does_not_match_its_hash_is_not_used(
        store, elsewhere, tmp_path):
    s1, s2 = _law_work(store, tmp_path)
    export_dataset(store, ExportOptions(), tmp_path / "out")
    manifest_path = tmp_path / "out" / "manifest.json"
    manifest = orjson.loads(manifest_path.read_bytes())
    manifest["schemas"][s1.hash]["body"]["entities"][0]["description"] = "changed"
    manifest_path.write_bytes(orjson.dumps(manifest))
    use_schema(elsewhere, s2, annotator="lead")
    with pytest.raises(ImportFailed) as failed:
        import_paths(elsewhere, [tmp_path / "out" / "all.jsonl"], annotator="lead")
    assert any(w.startswith(f"{manifest_path}: schemas.{s1.hash}.body: its content hashes to")
               for w in failed.value.report.warnings)
    assert "unknown label 'LAW'" in str(failed.value.report.problems[0])


# --- issue 14, item 14: `schema check` ----------------------------------------------------------

def _check(tmp_path, capsys, change, *, bom=False):
    body = orjson.loads((ROOT / "schemas" / "news.json").read_bytes())
    change(body)
    path = tmp_path / "schema.json"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + orjson.dumps(body))
    code = main(["schema", "check", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err, path


def _set(path, value):
    def change(body):
        *parents, last = path
        target = body
        for key in parents:
            target = target[key]
        target[last] = value
    return change


@pytest.mark.parametrize("path, value, message", [
    (("entities", 0, "model_labels"), [["PERSON"]],
     "entities[0].model_labels[0]: Input should be a valid string"),
    (("entities", 0, "model_labels"), [" "], "entities[0].model_labels[0]: empty model label"),
    (("entities", 1, "label"), "SOURCE", "entities[1].label: 'SOURCE' is the name of a claim "
                                         "part or type; imports would read such spans as claims"),
    (("entities", 1, "label"), "CUE", "entities[1].label: 'CUE' is the name of a claim part or "
                                      "type"),
    (("entities", 1, "label"), "DIRECT_QUOTE", "entities[1].label: 'DIRECT_QUOTE' is the name of "
                                               "a claim part or type"),
    (("document_labels", 0, "options"), ["relevant", "relevant"],
     "document_labels[0].options[1]: duplicate option 'relevant'"),
    (("document_labels", 0, "options"), ["relevant", ""],
     "document_labels[0].options[1]: empty option"),
    (("document_labels", 0, "options"), ["partly_relevant", "Partly relevant"],
     "document_labels[0].options[1]: option 'Partly relevant' reads as 'partly_relevant' on "
     "import (case, spaces and hyphens aside)"),
    (("entities", 2, "description"), "a place\x00", "entities[2].description: contains a NUL "
                                                   "character"),
    (("name",), "news\x00", "name: contains a NUL character"),
])
def test_schema_check_names_file_and_field_of_each_problem(tmp_path, capsys, path, value,
                                                           message):
    code, out, err, file = _check(tmp_path, capsys, _set(path, value))
    assert code == 1 and out == ""
    assert f"{file}: {message}" in err


def test_schema_check_accepts_a_byte_order_mark_as_imports_do(tmp_path, capsys):
    code, out, err, file = _check(tmp_path, capsys, lambda body: None, bom=True)
    assert code == 0 and err == ""
    assert out.startswith(f"{file}: ok — schema 'news'")


# --- issue 12, item 5: the review report in a gold export's manifest ---------------------------

@pytest.fixture
def reviewed(seeded):
    """alice and bob on the first seed, gold settled as bob's entities; alice alone on the
    second."""
    ids = seeded.documents.ids_in_order()
    made = two_annotators(seeded, ids[0])
    finish(seeded, ids[0], "gold", made["bob"], [made["claim"]],
           {"relevance": "relevant", "genre": "news_report"})
    text = seeded.documents.text(ids[1])
    start = text.index("Paris")
    finish(seeded, ids[1], "alice", [(start, start + 5, "GPE")])
    return seeded


def _cli_report(store, capsys):
    assert main(["review", "report", "--json", "--db", store.location.value]) == 0
    return orjson.loads(capsys.readouterr().out)


@pytest.mark.parametrize("annotator", ["gold", "latest"])
def test_an_export_made_from_gold_carries_the_review_report(reviewed, capsys, tmp_path,
                                                            annotator):
    result = export_dataset(reviewed, ExportOptions(annotator=annotator), tmp_path / "out")
    assert "gold" in result.manifest["annotators"]
    review = result.manifest["review"]
    assert review == _cli_report(reviewed, capsys)
    alice = review["annotators"]["alice"]
    assert (alice["entities"]["all"]["precision"], alice["entities"]["all"]["recall"]) == \
        (0.4, 0.5)
    assert alice["confusions"][0] | {"examples": None} == {"theirs": "ORG", "gold": "GPE",
                                                           "count": 1, "examples": None}
    assert orjson.loads((tmp_path / "out" / "manifest.json").read_bytes())["review"] == review
    sheet = (tmp_path / "out" / "datasheet.md").read_text()
    assert "## Review" in sheet
    assert "| alice | 1 | 0.40 | 0.50 | 0.44 | 2 of 5 | ORG→GPE 1 |" in sheet


def test_an_export_of_one_annotator_carries_no_review_report(reviewed, tmp_path):
    result = export_dataset(reviewed, ExportOptions(annotator="alice"), tmp_path / "out")
    assert "review" not in result.manifest
    assert "## Review" not in (tmp_path / "out" / "datasheet.md").read_text()


def test_a_merge_brings_the_task_hash_with_the_set(store, elsewhere, tmp_path):
    """A project merged into another (`annotator merge`) keeps its sets' source hashes."""
    import_paths(elsewhere, [FORMATS / "prodigy_db_out.jsonl"], annotator="importer")
    merge_projects(store, [elsewhere.location.value], annotator="admin")
    export_dataset(store, ExportOptions(annotator="news_ner-dave", include_unfinished=True),
                   tmp_path / "out")
    (dave,) = _records(tmp_path / "out" / "all.jsonl")
    assert (dave["_input_hash"], dave["_task_hash"]) == (-555, 556)


def test_a_schema_stored_before_a_newer_check_still_opens_and_exports(seeded, tmp_path):
    """Options that read alike were accepted before the check existed: such a project keeps
    working, and its export lists the schema."""
    body = current_schema(seeded).model_dump(mode="json")
    body["document_labels"][0]["options"] += ["Partly relevant", "partly_relevant"]
    with pytest.raises(SchemaError):
        parse_schema(body)
    with seeded.transaction():
        seeded.settings.add_schema(schema_hash(body), body["name"], body["version"], body)
    assert current_schema(seeded).hash == schema_hash(body)
    finish(seeded, seeded.documents.ids_in_order()[0], "alice")
    export_dataset(seeded, ExportOptions(), tmp_path / "out")
    manifest = orjson.loads((tmp_path / "out" / "manifest.json").read_bytes())
    assert manifest["schema"]["hash"] == schema_hash(body)
