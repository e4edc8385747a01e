"""Annotations from other tools and from our own export land in the project as spans."""

from pathlib import Path

import orjson
import pytest

from annotator.core.importers import ImportFailed, import_paths
from conftest import ROOT

FORMATS = ROOT / "tests" / "data" / "formats"


def _entities(store, doc_id, annotator, state="accepted"):
    aset = store.sets.find(doc_id, annotator)
    text = store.documents.text(doc_id)
    return [(text[s.start:s.end], s.label) for s in store.spans.for_set(aset.id, layer="entity")
            if s.state == state]


def _doc_id(store, start_of_text):
    return next(d.id for d in store.documents.iter_all() if d.text.startswith(start_of_text))


def _write(path: Path, *objects) -> Path:
    path.write_bytes(b"".join(orjson.dumps(o) + b"\n" for o in objects))
    return path


def test_prodigy_db_out_lands_per_annotator_with_accepts_rejects_and_ignores(store):
    report = import_paths(store, [FORMATS / "prodigy_db_out.jsonl"], annotator="importer")
    assert report.imported == 2 and report.duplicates == []  # the reject record adds to doc 1
    first = _doc_id(store, "Reuters reported")
    assert _entities(store, first, "news_ner-carol") == [
        ("Reuters", "ORG"), ("Benjamin Netanyahu", "PERSON"), ("Syrian", "NORP"),
        ("Paris", "GPE"), ("Tuesday", "DATE"), ("Netanyahu", "PERSON")]
    assert _entities(store, first, "news_ner-carol", "rejected") == [("officials", "ORG")]
    assert store.sets.find(first, "news_ner-carol").status == "done"
    second = _doc_id(store, "The UN Security Council")
    assert store.sets.find(second, "news_ner-dave").status == "skipped"
    assert store.sets.find(first, "importer") is None
    assert report.annotation_sets == 2 and report.spans == 11


def test_doccano_label_records_map_labels_through_the_schema(store):
    import_paths(store, [FORMATS / "doccano_label.jsonl"], annotator="ana")
    doc = _doc_id(store, "Israeli and Syrian")
    assert _entities(store, doc, "ana") == [("Israeli", "NORP"), ("Syrian", "NORP"),
                                            ("Paris", "GPE"), ("U.S.", "GPE"), ("SANA", "ORG")]
    assert store.sets.find(doc, "ana").status == "done"
    empty = _doc_id(store, "A quiet day")
    assert store.sets.find(empty, "ana").status == "done" and _entities(store, empty, "ana") == []


def test_doccano_relation_variant_imports_entities_and_reports_relations(store):
    report = import_paths(store, [FORMATS / "doccano_relations.jsonl"], annotator="ana")
    doc = _doc_id(store, "Ahmed al-Sharaa")
    assert _entities(store, doc, "ana") == [("Ahmed al-Sharaa", "PERSON"), ("Damascus", "GPE"),
                                            ("Israel", "GPE")]
    assert any("relations are imported only as part of claims" in w for w in report.warnings)


def test_label_studio_export_imports_first_finished_annotation_and_choices(store):
    report = import_paths(store, [FORMATS / "label_studio.json"], annotator="lee")
    doc = _doc_id(store, "The State Department")
    assert _entities(store, doc, "lee") == [("The State Department", "ORG"),
                                            ("Wednesday", "DATE"), ("Washington", "GPE"),
                                            ("Paris", "GPE")]
    aset = store.sets.find(doc, "lee")
    assert aset.status == "done" and aset.cats == {"relevance": "relevant"}
    assert store.documents.get(doc).title == "State Department on Paris talks"
    assert store.documents.get(doc).meta["label_studio_id"] == 101
    other = _doc_id(store, "Kurdistan24")
    assert _entities(store, other, "lee") == [("Kurdistan24", "ORG"), ("Erbil", "GPE")]
    assert not any("further annotation" in w for w in report.warnings)  # one was cancelled


def test_unknown_label_is_a_problem_naming_line_and_field_and_nothing_is_stored(store, tmp_path):
    path = _write(tmp_path / "d.jsonl", {"text": "Alpha went to Beta."},
                  {"text": "Gamma met Delta.", "label": [[0, 5, "PERSON"], [10, 15, "WIDGET"]]})
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana")
    (problem,) = failed.value.report.problems
    assert str(problem).startswith(f"{path}:2: label[1][2]: unknown label 'WIDGET'")
    assert store.documents.count() == 0 and store.sets.annotators() == []


@pytest.mark.parametrize("record, expected", [
    ({"text": "Gamma met Delta.", "spans": [{"start": 10, "end": 40, "label": "PERSON"}]},
     "spans[0]: offsets 10:40 outside the text"),
    ({"text": "Gamma met Delta.", "spans": [{"start": 0, "end": 5, "label": "PERSON",
                                             "text": "Gamme"}]},
     "spans[0].text: stated text 'Gamme' differs"),
    ({"text": "Gamma met Delta.", "spans": [{"start": 0, "end": 9, "label": "PERSON"},
                                            {"start": 6, "end": 15, "label": "ORG"}]},
     "spans: entity ORG 6:15 overlaps PERSON 0:9"),
    ({"text": "Gamma met Delta.", "answer": "maybe"}, "answer: expected accept, reject or ignore"),
    ({"text": "Gamma said hi.",
      "claims": [{"type": "rumour", "content": {"start": 11, "end": 13}}]},
     "claims[0].type: unknown claim type 'rumour'"),
])
def test_bad_annotations_name_the_field(store, tmp_path, record, expected):
    path = _write(tmp_path / "bad.jsonl", record)
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana")
    (problem,) = failed.value.report.problems
    assert str(problem).startswith(f"{path}:1: {expected}")
    assert store.documents.count() == 0


def test_label_studio_problem_names_the_field_path(store, tmp_path):
    path = tmp_path / "ls.json"
    path.write_bytes(orjson.dumps([{"data": {"text": "Gamma met Delta."}, "annotations": [
        {"result": [{"type": "labels", "value": {"start": 0, "end": 5, "labels": ["ALIEN"]}}]}]}]))
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana")
    assert str(failed.value.report.problems[0]).startswith(
        f"{path}: [0].annotations[0].result[0].value.labels[0]: unknown label 'ALIEN'")


def test_crlf_offsets_move_with_the_normalised_text(store, tmp_path):
    text = "Line one.\r\nGamma met Delta."
    path = _write(tmp_path / "crlf.jsonl",
                  {"text": text, "label": [[text.index("Delta"), text.index("Delta") + 5,
                                            "PERSON"]]})
    import_paths(store, [path], annotator="ana")
    (doc,) = store.documents.iter_all()
    assert _entities(store, doc.id, "ana") == [("Delta", "PERSON")]


def test_existing_work_is_never_merged_into(store, tmp_path):
    path = _write(tmp_path / "a.jsonl", {"text": "Gamma met Delta.",
                                         "label": [[0, 5, "PERSON"]]})
    import_paths(store, [path], annotator="ana")
    again = _write(tmp_path / "b.jsonl", {"text": "Gamma met Delta.",
                                          "label": [[10, 15, "PERSON"]]})
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [again], annotator="ana")
    assert "annotator 'ana' already has work on this document" in \
        str(failed.value.report.problems[0])
    (doc,) = store.documents.iter_all()
    assert _entities(store, doc.id, "ana") == [("Gamma", "PERSON")]


def test_records_for_one_document_merge_but_may_not_overlap(store, tmp_path):
    text = "Gamma met Delta Force."
    path = _write(tmp_path / "p.jsonl",
                  {"text": text, "spans": [{"start": 0, "end": 5, "label": "PERSON"}]},
                  {"text": text, "spans": [{"start": 10, "end": 15, "label": "ORG"}],
                   "answer": "reject"},
                  {"text": text, "spans": [{"start": 10, "end": 21, "label": "ORG"}]})
    import_paths(store, [path], annotator="ana")
    (doc,) = store.documents.iter_all()
    assert _entities(store, doc.id, "ana") == [("Gamma", "PERSON"), ("Delta Force", "ORG")]
    assert _entities(store, doc.id, "ana", "rejected") == [("Delta", "ORG")]
    clash = _write(tmp_path / "q.jsonl",
                   {"text": "Alpha Beta.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}]},
                   {"text": "Alpha Beta.", "spans": [{"start": 0, "end": 10, "label": "ORG"}]})
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [clash], annotator="ana")
    assert str(failed.value.report.problems[0]) == (
        f"{clash}:2: entity ORG 0:10 overlaps an entity of an earlier record for the same "
        "document and annotator")
    assert store.documents.count() == 1


def test_plain_records_with_empty_annotation_fields_make_no_annotation_set(store, tmp_path):
    path = _write(tmp_path / "plain.jsonl", {"text": "Just an article.", "spans": [], "cats": {}})
    report = import_paths(store, [path], annotator="ana")
    assert report.imported == 1 and report.annotation_sets == 0
    assert store.sets.annotators() == []
