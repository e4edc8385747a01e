"""Real files from other tools arrive as they say, or we say exactly what did not (issue 14).

Fixtures are small files published by doccano, Label Studio and explosion/prodigy-recipes,
and hand-made ones in Prodigy's documented shapes (tests/data/formats/README.md says which).
Each test checks what was stored — states, labels, document labels, suggestions and their
scores — and what was reported.
"""

from pathlib import Path

import orjson
import pytest

from annotator.core.export import ExportOptions, export_dataset
from annotator.core.importers import ImportFailed, import_paths
from annotator.core.project import current_schema, open_project, use_schema
from annotator.core.schema import parse_schema
from conftest import ROOT

FORMATS = ROOT / "tests" / "data" / "formats"

# Document labels a user of these tools' projects would add to the news schema.
DOCUMENT_LABELS = [
    {"name": "relevance", "description": "About the event?", "exclusive": True,
     "options": ["relevant", "partly_relevant", "irrelevant"]},
    {"name": "sentiment", "description": "Tone", "exclusive": False,
     "options": ["positive", "negative", "neutral"]},
    {"name": "topic", "description": "What the text is about", "exclusive": False,
     "options": ["documentation"]},
    {"name": "text_class", "description": "Label Studio's test classes", "exclusive": True,
     "options": ["class_A", "class_B", "class_TESTING"]},
]


@pytest.fixture
def project(store):
    """A project whose schema has the document labels the fixtures use."""
    body = current_schema(store).model_dump(mode="json")
    body["document_labels"] = DOCUMENT_LABELS
    use_schema(store, parse_schema(body), annotator="lead")
    return store


def _write(path: Path, *objects) -> Path:
    path.write_bytes(b"".join(orjson.dumps(o) + b"\n" for o in objects))
    return path


def _doc(store, start_of_text):
    return next(d for d in store.documents.iter_all() if d.text.startswith(start_of_text))


def _spans(store, doc, annotator):
    """(text, label, state) of a set's entity spans, in text order."""
    aset = store.sets.find(doc.id, annotator)
    return [(doc.text[s.start:s.end], s.label, s.state)
            for s in store.spans.for_set(aset.id, layer="entity")]


# --- 1. several Prodigy records for one text ---------------------------------------------

TEACH = "Reuters reported that Benjamin Netanyahu met Syrian officials in Paris on Tuesday."


def _teach(phrase, label, answer, ts, **extra):
    start = TEACH.index(phrase)
    span = {"start": start, "end": start + len(phrase), "label": label, "score": 0.5}
    span.update(extra.pop("span", {}))
    return {"text": TEACH, "spans": [span], "answer": answer, "_view_id": "ner",
            "_timestamp": ts, "_annotator_id": "news-ana", "_session_id": "news-ana", **extra}


def test_prodigy_teach_decisions_resolve_by_the_rules_and_conflicts_are_reported(store,
                                                                               tmp_path):
    path = _write(tmp_path / "teach.jsonl",
                  _teach("Paris", "GPE", "accept", 100),
                  _teach("officials", "ORG", "reject", 101),
                  _teach("Tuesday", "DATE", "ignore", 102),
                  _teach("Netanyahu", "PERSON", "reject", 103, span={"answer": "accept"}),
                  _teach("Paris", "GPE", "reject", 104),
                  _teach("Syrian", "NORP", "accept", 90),
                  _teach("Syrian", "NORP", "reject", 80))
    report = import_paths(store, [path], annotator="importer")
    doc = _doc(store, "Reuters")
    assert _spans(store, doc, "news-ana") == [
        ("Netanyahu", "PERSON", "accepted"),  # the span's own answer overrides its record's
        ("Syrian", "NORP", "accepted"),  # the later _timestamp holds, not the later line
        ("officials", "ORG", "rejected"),
        ("Paris", "GPE", "rejected")]  # accepted on line 1, rejected on line 5: the latest
    assert store.sets.find(doc.id, "news-ana").status == "in_progress"  # binary decisions
    assert report.conflicts == 2
    assert f"{path}:1 and {path}:5: GPE 'Paris' (65:70) accepted on the first, rejected on " \
           f"the second; the latest decision holds: rejected ({path}:5)" in report.warnings
    assert f"{path}:6 and {path}:7: NORP 'Syrian' (45:51) accepted on the first, rejected on " \
           f"the second; the latest decision holds: accepted ({path}:6)" in report.warnings
    assert report.spans == 4  # the ignored Tuesday contributes nothing


def test_a_manual_accept_finishes_the_set_and_outranks_binary_and_ignored_records(store,
                                                                                 tmp_path):
    manual = {"text": TEACH, "spans": [{"start": 74, "end": 81, "label": "DATE"}],
              "answer": "accept", "_view_id": "ner_manual", "_annotator_id": "news-ana"}
    path = _write(tmp_path / "mixed.jsonl", _teach("Tuesday", "DATE", "ignore", 1), manual,
                  _teach("officials", "ORG", "reject", 2))
    import_paths(store, [path], annotator="importer")
    doc = _doc(store, "Reuters")
    assert store.sets.find(doc.id, "news-ana").status == "done"
    assert _spans(store, doc, "news-ana") == [("officials", "ORG", "rejected"),
                                              ("Tuesday", "DATE", "accepted")]


# --- 2. document-level decisions --------------------------------------------------------

def test_prodigy_textcat_decisions_become_document_labels_and_rejections_are_noted(project):
    path = FORMATS / "prodigy_textcat_github_issues.jsonl"
    report = import_paths(project, [path], annotator="importer")
    assert report.imported == 7
    sets = {d.text: project.sets.find(d.id, "importer") for d in project.documents.iter_all()}
    accepted = sets["Describe streaming arguments in docs"]
    assert accepted.cats == {"topic": ["documentation"]}
    assert accepted.status == "in_progress"  # textcat.teach: binary decisions
    rejected = sets["Transition plan for node-github"]
    assert rejected.cats == {} and rejected.status == "in_progress"
    ignored = sets["Email Notification: Add seperate resourcelist class, docs, permissions for "
                   "direct endpoints"]
    assert ignored.cats == {} and ignored.status == "skipped"
    assert f"{path}: line(s) 1, 2, 5, 6: rejected document labels (the text is not LABEL) " \
           "not imported: a set holds the labels chosen" in report.warnings


def test_prodigy_choice_view_and_cats_land_as_document_labels(project, tmp_path):
    path = _write(tmp_path / "choice.jsonl",
                  {"text": "Markets rallied.", "options": [{"id": "positive", "text": "Positive"},
                                                       {"id": "negative", "text": "Negative"}],
                   "accept": ["positive"], "answer": "accept", "_view_id": "choice"},
                  {"text": "Talks resumed.", "cats": {"relevance=relevant": 1.0,
                                                      "relevance=irrelevant": 0.0},
                   "answer": "accept"})
    import_paths(project, [path], annotator="ana")
    assert project.sets.find(_doc(project, "Markets").id, "ana").cats == \
        {"sentiment": ["positive"]}
    talks = project.sets.find(_doc(project, "Talks").id, "ana")
    assert talks.cats == {"relevance": "relevant"} and talks.status == "done"


def test_doccano_text_classification_labels_add_up_on_one_text(project):
    report = import_paths(project, [FORMATS / "doccano_text_classification.jsonl"],
                          annotator="ana")
    (doc,) = project.documents.iter_all()  # four records of the one text "example"
    assert report.imported == 1 and report.duplicates == []
    aset = project.sets.find(doc.id, "ana")
    assert aset.cats == {"sentiment": ["positive", "negative", "neutral"]}
    assert aset.status == "done"


def test_unknown_document_label_is_a_problem_naming_the_field(store):
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [FORMATS / "doccano_text_classification.jsonl"], annotator="ana")
    first = str(failed.value.report.problems[0])
    assert first.startswith(f"{FORMATS / 'doccano_text_classification.jsonl'}:1: labels[0]: "
                            "unknown document label 'positive': schema 'news' has "
                            "relevance=relevant")
    assert store.documents.count() == 0


def test_document_labels_leave_as_prodigy_cats_and_docbin_cats(project, tmp_path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    path = _write(tmp_path / "in.jsonl",
                  {"text": "Talks resumed in Paris.", "answer": "accept",
                   "spans": [{"start": 17, "end": 22, "label": "GPE"}],
                   "cats": {"relevance": "relevant", "sentiment": ["neutral"]}})
    import_paths(project, [path], annotator="ana")
    out = _export(project, tmp_path, "jsonl")
    (record,) = [orjson.loads(line) for line in (out / "all.jsonl").read_bytes().splitlines()]
    assert record["cats"] == {
        "relevance=relevant": 1.0, "relevance=partly_relevant": 0.0,
        "relevance=irrelevant": 0.0, "sentiment=positive": 0.0, "sentiment=negative": 0.0,
        "sentiment=neutral": 1.0}
    spacy_out = _export(project, tmp_path, "spacy")
    (doc,) = DocBin().from_disk(spacy_out / "all.spacy").get_docs(Vocab())
    assert doc.cats == record["cats"]


def _export(store, tmp_path, fmt):
    folder = tmp_path / f"out-{fmt}"
    export_dataset(store, ExportOptions(format=fmt), folder)
    return folder


# --- 3. and 4. a model's output arrives as suggestions ------------------------------------

def test_label_studio_predictions_arrive_as_suggestions_with_model_and_score(store, tmp_path):
    path = FORMATS / "label_studio_named_entity_predictions.json"
    report = import_paths(store, [path], annotator="lee")
    (doc,) = store.documents.iter_all()
    aset = store.sets.find(doc.id, "lee")
    assert aset.status == "todo"  # never finished work
    (span,) = store.spans.for_set(aset.id)
    assert (doc.text[span.start:span.end], span.label, span.state, span.origin, span.score) == \
        ("February 22", "DATE", "suggested", "labelstudio:model 1", None)
    assert report.suggestions == 1
    scored = tmp_path / "scored.json"
    scored.write_bytes(orjson.dumps([{"data": {"text": "Talks in Paris."}, "predictions": [
        {"model_version": "ner-v2", "score": 0.5, "result": [
            {"type": "labels", "value": {"start": 9, "end": 14, "labels": ["GPE"]},
             "score": 0.91}]}]}]))
    import_paths(store, [scored], annotator="lee")
    doc = _doc(store, "Talks")
    (span,) = store.spans.for_set(store.sets.find(doc.id, "lee").id)
    assert (span.state, span.origin, span.score) == ("suggested", "labelstudio:ner-v2", 0.91)


def test_label_studio_prediction_choices_are_noted_not_imported(store):
    path = FORMATS / "label_studio_text_with_2_predictions.json"
    report = import_paths(store, [path], annotator="lee")
    assert report.imported == 1 and report.annotation_sets == 0  # no empty set of nothing
    assert f"{path}: 2 document label(s) in predictions not imported (a model's document " \
           "labels are no decision)" in report.warnings


def test_records_without_answer_are_suggestions_unless_imported_as_done(store, tmp_path):
    record = {"text": "Gamma met Delta Force.", "spans": [
        {"start": 0, "end": 5, "label": "PERSON", "score": 0.7},
        {"start": 10, "end": 21, "label": "ORG"}]}
    path = _write(tmp_path / "model.jsonl", record)
    report = import_paths(store, [path], annotator="ana")
    doc = _doc(store, "Gamma")
    aset = store.sets.find(doc.id, "ana")
    assert aset.status == "todo" and report.suggestions == 2
    assert [(s.state, s.score) for s in store.spans.for_set(aset.id)] == [
        ("suggested", 0.7), ("suggested", None)]
    import_paths(store, [_write(tmp_path / "done.jsonl", record)], annotator="bo",
                 as_done=True)
    done = store.sets.find(doc.id, "bo")
    assert done.status == "done"
    assert [s.state for s in store.spans.for_set(done.id)] == ["accepted", "accepted"]


# --- 5.–7. what a user expects to work -----------------------------------------------------

def test_identical_spans_in_one_record_collapse_and_are_counted(store):
    path = FORMATS / "doccano_overlapping.jsonl"
    report = import_paths(store, [path], annotator="ana")
    (doc,) = store.documents.iter_all()
    assert _spans(store, doc, "ana") == [("e", "LOC", "accepted")]
    assert f"{path}: line(s) 1: 1 exact duplicate span(s) collapsed into one" in report.warnings


def test_an_unknown_label_is_refused_then_mapped_with_label_map(store):
    path = FORMATS / "doccano_sequence_labeling.jsonl"
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana")
    (problem,) = failed.value.report.problems
    assert str(problem).startswith(f"{path}:1: label[1][2]: unknown label 'MISC'")
    import_paths(store, [path], annotator="ana", label_map={"MISC": "NORP"})
    assert _spans(store, _doc(store, "EU"), "ana") == [("EU", "ORG", "accepted"),
                                                       ("German", "NORP", "accepted")]
    assert _spans(store, _doc(store, "President"), "ana") == [("Obama", "PERSON", "accepted")]


def test_a_label_studio_task_object_alone_is_one_task(store):
    report = import_paths(store, [FORMATS / "label_studio_named_entity_task.json"],
                          annotator="lee")
    (doc,) = store.documents.iter_all()
    assert report.imported == 1 and doc.meta["label_studio_id"] == 1
    assert _spans(store, doc, "lee") == [("February 22", "DATE", "accepted")]
    assert store.sets.find(doc.id, "lee").status == "done"


def test_label_studio_tasks_without_annotations_are_documents_only(store):
    report = import_paths(store, [FORMATS / "label_studio_humor_tasks.json"], annotator="lee")
    assert report.imported == 2 and report.annotation_sets == 0


def test_label_studio_flat_tasks_choices_and_anonymous_annotations(project):
    path = FORMATS / "label_studio_tasks_annotations_predictions.json"
    with pytest.raises(ImportFailed) as failed:
        import_paths(project, [path], annotator="lee")
    assert [str(p) for p in failed.value.report.problems] == [
        f"{path}: [1].annotations[1].completed_by: missing, as in [1].annotations[0]: only "
        "one annotation of a task can be the importing annotator's"]
    assert project.documents.count() == 0
    report = import_paths(project, [path], annotator="lee", skip_invalid=True)
    assert sorted(d.text for d in project.documents.iter_all()) == [
        "Test example phrase 1", "opop", "vivi", "yoyo", "zzz"]  # flat tasks too
    assert project.sets.find(_doc(project, "Test").id, "lee").cats == {"text_class": "class_A"}
    assert project.sets.find(_doc(project, "yoyo").id, "lee").cats == \
        {"text_class": "class_TESTING"}
    assert f"{path}: 2 document label(s) in predictions not imported (a model's document " \
           "labels are no decision)" in report.warnings


def test_text_under_another_data_key_asks_for_text_key_then_imports(store):
    path = FORMATS / "label_studio_sentiment_tasks.json"
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="lee")
    assert str(failed.value.report.problems[0]) == (
        f"{path}: [0].data.text: missing, and several fields could be the text (reviewerID, "
        "asin, reviewerName, reviewText, summary, reviewTime): name one with --text-key")
    report = import_paths(store, [path], annotator="lee", text_key="$reviewText")
    assert report.imported == 2
    doc = _doc(store, "Not much to write about here")
    assert doc.meta["summary"] == "good" and "reviewText" not in doc.meta


def test_repeated_problems_are_one_line_on_the_command_line(store, location, tmp_path, capsys):
    from annotator.cli import main

    records = [{"text": f"Trial {i} of Aspirin.", "answer": "accept",
                "spans": [{"start": 11, "end": 18, "label": "DRUG"}]} for i in range(1, 6)]
    path = _write(tmp_path / "drugs.jsonl", *records)
    assert main(["import", str(path), "--db", location]) == 1
    err = capsys.readouterr().err
    assert f"{path}: lines 1–5: spans[0].label: unknown label 'DRUG'" in err
    assert "(on 5 records)" in err and err.count("unknown label") == 1
    assert main(["import", str(path), "--db", location, "--annotator", "ana",
                 "--map", "DRUG=ORG"]) == 0
    assert _spans(store, _doc(store, "Trial 3"), "ana") == [("Aspirin", "ORG", "accepted")]


def test_prodigy_rel_manual_relations_not_imported_are_named_by_type(store, tmp_path):
    text = "Netanyahu met Sharaa in Paris."
    head = {"start": 0, "end": 9, "label": "PERSON"}
    child = {"start": 14, "end": 20, "label": "PERSON"}
    path = _write(tmp_path / "rel.jsonl", {
        "text": text, "answer": "accept", "_view_id": "relations", "spans": [head, child],
        "relations": [{"head": 0, "child": 2, "head_span": head, "child_span": child,
                       "label": "MET_WITH"}]})
    report = import_paths(store, [path], annotator="ana")
    assert f"{path}: line(s) 1: relations of type 'MET_WITH' are imported only as part of " \
           "claims; these were not imported" in report.warnings
    assert _spans(store, _doc(store, "Netanyahu"), "ana") == [
        ("Netanyahu", "PERSON", "accepted"), ("Sharaa", "PERSON", "accepted")]


def test_add_labels_extends_the_schema_in_the_same_import(store, tmp_path):
    path = FORMATS / "doccano_sequence_labeling.jsonl"
    report = import_paths(store, [path], annotator="ana", add_labels=True)
    schema = current_schema(store)
    assert report.labels_added == ["MISC"] and "MISC" in schema.labels
    assert schema.entity("MISC").description == "added by an import (--add-labels)"
    doc = _doc(store, "EU")
    assert _spans(store, doc, "ana") == [("EU", "ORG", "accepted"),
                                         ("German", "MISC", "accepted")]
    assert {project_set.schema_hash for project_set in
            (store.sets.find(d.id, "ana") for d in store.documents.iter_all())} == {schema.hash}
    assert f"label MISC added to the schema (first seen at {path}:1)" in report.warnings
    bad = _write(tmp_path / "bad.jsonl", {"text": "Drugs: aspirin.", "answer": "accept",
                                          "spans": [{"start": 7, "end": 14, "label": "DRUG"}]},
                 {"text": "Nothing", "answer": "maybe"})
    with pytest.raises(ImportFailed):
        import_paths(store, [bad], annotator="ana", add_labels=True)
    assert "DRUG" not in current_schema(store).labels  # all or nothing, the schema too


def test_a_full_label_studio_export_with_image_work_imports_the_texts_and_says_the_rest(store):
    path = FORMATS / "label_studio_converter_csv_test.json"
    report = import_paths(store, [path], annotator="lee")
    assert report.imported == 2 and report.annotation_sets == 0  # no text work to hold
    doc = _doc(store, "Calif. wildfires")
    assert doc.meta["label_studio_id"] == 1 and doc.meta["image"].endswith(".jpg")
    assert f"{path}: 3 result(s) of type 'rectanglelabels' not imported" in report.warnings
    assert f"{path}: 2 prediction result(s) of type 'rectanglelabels' not imported" in \
        report.warnings
    assert f"{path}: 2 annotation(s) with no text work not imported" in report.warnings


def test_doccano_relation_extraction_keeps_entities_and_names_the_relation_types(store):
    path = FORMATS / "doccano_relation_extraction.jsonl"
    report = import_paths(store, [path], annotator="ana")
    doc = _doc(store, "Google")
    assert _spans(store, doc, "ana") == [
        ("Google", "ORG", "accepted"), ("September 4, 1998", "DATE", "accepted"),
        ("Larry Page", "PERSON", "accepted"), ("Sergey Brin", "PERSON", "accepted")]
    assert store.claims.for_set(store.sets.find(doc.id, "ana").id) == []
    for kind in ("foundedAt", "foundedBy"):
        assert f"{path}: line(s) 1: relations of type {kind!r} not imported (only source and " \
               "cue relations link a claim to its parts)" in report.warnings


def test_add_labels_never_adds_a_claim_part_name(store, tmp_path):
    path = _write(tmp_path / "source.jsonl", {"text": "Officials said so.", "answer": "accept",
                                              "spans": [{"start": 0, "end": 9,
                                                         "label": "source"}]})
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana", add_labels=True)
    assert str(failed.value.report.problems[0]).startswith(
        f"{path}:1: spans[0].label: unknown label 'source'")
    assert "SOURCE" not in current_schema(store).labels


# --- 8. and 15. a round trip keeps the source's hashes and times ---------------------------

def _records(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_an_imported_prodigy_dataset_exports_with_its_hashes_and_times_and_re_imports(
        store, tmp_path):
    import_paths(store, [FORMATS / "prodigy_db_out.jsonl"], annotator="importer")
    export_dataset(store, ExportOptions(include_unfinished=True, with_rejected=True),
                   tmp_path / "one")
    first = _records(tmp_path / "one" / "all.jsonl")
    carol = [r for r in first if r["_annotator_id"] == "news_ner-carol"]
    assert {r["_input_hash"] for r in carol} == {-12345}  # the dataset's, not recomputed
    assert {r["_timestamp"] for r in carol} == {1767780100}  # its latest decision
    dave = next(r for r in first if r["_annotator_id"] == "news_ner-dave")
    assert (dave["_input_hash"], dave["_timestamp"], dave["answer"]) == (-555, 1767780200,
                                                                          "ignore")
    with open_project(tmp_path / "again.db") as again:
        import_paths(again, [tmp_path / "one" / "all.jsonl"], annotator="importer")
        for doc in store.documents.iter_all():
            for who in ("news_ner-carol", "news_ner-dave"):
                old, new = store.sets.find(doc.id, who), again.sets.find(doc.id, who)
                assert (old is None) == (new is None)
                if old is not None:
                    assert (new.status, new.cats, new.updated_at) == \
                        (old.status, old.cats, old.updated_at)
                    assert _spans(again, doc, who) == _spans(store, doc, who)
        export_dataset(again, ExportOptions(include_unfinished=True, with_rejected=True),
                       tmp_path / "two")
    assert _records(tmp_path / "two" / "all.jsonl") == first
