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


def _spans_of(store, doc_id, annotator):
    """(text, label, state, score) of every entity span of a set."""
    aset = store.sets.find(doc_id, annotator)
    text = store.documents.text(doc_id)
    return [(text[s.start:s.end], s.label, s.state, s.score)
            for s in store.spans.for_set(aset.id, layer="entity")]


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
    assert report.annotation_sets == 2 and report.spans == 7  # the ignored record adds none
    assert _spans_of(store, second, "news_ner-dave") == []
    assert any(w.endswith("line(s) 3: answered ignore: the record's annotations not imported")
               for w in report.warnings)


def test_doccano_label_records_map_labels_through_the_schema(store):
    import_paths(store, [FORMATS / "doccano_label.jsonl"], annotator="ana")
    doc = _doc_id(store, "Israeli and Syrian")
    assert _entities(store, doc, "ana") == [("Israeli", "NORP"), ("Syrian", "NORP"),
                                            ("Paris", "GPE"), ("U.S.", "GPE"), ("SANA", "ORG")]
    assert store.sets.find(doc, "ana").status == "done"
    empty = _doc_id(store, "A quiet day")
    assert store.sets.find(empty, "ana").status == "done" and _entities(store, empty, "ana") == []


def test_doccano_relation_variant_keeps_entities_and_notes_other_relation_types(store):
    report = import_paths(store, [FORMATS / "doccano_relations.jsonl"], annotator="ana")
    doc = _doc_id(store, "Ahmed al-Sharaa")
    assert _entities(store, doc, "ana") == [("Ahmed al-Sharaa", "PERSON"), ("Damascus", "GPE"),
                                            ("Israel", "GPE")]
    assert store.claims.for_set(store.sets.find(doc, "ana").id) == []
    assert any(w.endswith("line(s) 1: relations of type 'talks_with' not imported (only source and "
                          "cue relations link a claim to its parts)") for w in report.warnings)


def test_label_studio_export_imports_each_finished_annotation_as_its_annotators(store):
    report = import_paths(store, [FORMATS / "label_studio.json"], annotator="lee")
    doc = _doc_id(store, "The State Department")
    assert _entities(store, doc, "labelstudio:1") == [
        ("The State Department", "ORG"), ("Wednesday", "DATE"), ("Washington", "GPE"),
        ("Paris", "GPE")]
    aset = store.sets.find(doc, "labelstudio:1")
    assert aset.status == "done" and aset.cats == {"relevance": "relevant"}
    assert store.documents.get(doc).title == "State Department on Paris talks"
    assert store.documents.get(doc).meta["label_studio_id"] == 101
    other = _doc_id(store, "Kurdistan24")
    assert _entities(store, other, "labelstudio:2") == [("Kurdistan24", "ORG"), ("Erbil", "GPE")]
    assert store.sets.find(other, "labelstudio:1") is None  # that annotation was cancelled
    assert store.sets.annotators() == ["labelstudio:1", "labelstudio:2", "lee"]
    suggested = store.sets.find(doc, "lee")  # the task's prediction: the importer's to review
    assert suggested.status == "todo"
    assert [(s.label, s.state, s.origin) for s in store.spans.for_set(suggested.id)] == [
        ("LOC", "suggested", "labelstudio:prediction")]
    assert report.annotation_sets == 3 and report.suggestions == 1


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
    _refused(store, tmp_path, record, expected)


def _refused(store, tmp_path, record, expected):
    """Importing `record` fails with one problem that starts with `expected`, and nothing
    is stored."""
    path = _write(tmp_path / "bad.jsonl", record)
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="ana")
    (problem,) = failed.value.report.problems
    assert str(problem).startswith(f"{path}:1: {expected}")
    assert store.documents.count() == 0 and store.sets.annotators() == []


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
                  {"text": text, "spans": [{"start": 0, "end": 5, "label": "PERSON"}],
                   "answer": "accept"},
                  {"text": text, "spans": [{"start": 10, "end": 15, "label": "ORG"}],
                   "answer": "reject"},
                  {"text": text, "spans": [{"start": 10, "end": 21, "label": "ORG"}],
                   "answer": "accept"})
    import_paths(store, [path], annotator="ana")
    (doc,) = store.documents.iter_all()
    assert _entities(store, doc.id, "ana") == [("Gamma", "PERSON"), ("Delta Force", "ORG")]
    assert _entities(store, doc.id, "ana", "rejected") == [("Delta", "ORG")]
    clash = _write(tmp_path / "q.jsonl",
                   {"text": "Alpha Beta.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}],
                    "answer": "accept"},
                   {"text": "Alpha Beta.", "spans": [{"start": 0, "end": 10, "label": "ORG"}],
                    "answer": "accept"})
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


QUOTED = 'Benjamin Netanyahu said "the talks will resume in Paris." Officials claimed that ' \
         'Syria agreed.'


def _at(phrase):
    start = QUOTED.index(phrase)
    return start, start + len(phrase)


def _doccano_entity(id_, phrase, label):
    start, end = _at(phrase)
    return {"id": id_, "start_offset": start, "end_offset": end, "label": label}


def _claims(store, doc_id, annotator):
    """(type, content, source, cue) of each stored claim, each part as (text, layer, label)."""
    aset = store.sets.find(doc_id, annotator)
    text = store.documents.text(doc_id)

    def part(span_id):
        if span_id is None:
            return None
        span = store.spans.get(span_id)
        return text[span.start:span.end], span.layer, span.label

    return sorted((c.type, part(c.content_span_id), part(c.source_span_id),
                   part(c.cue_span_id)) for c in store.claims.for_set(aset.id))


EXPECTED_CLAIMS = [
    ("direct_quote", ("the talks will resume in Paris.", "claim", "direct_quote"),
     ("Benjamin Netanyahu", "entity", "PERSON"), ("said", "cue", "CUE")),
    ("indirect", ("Syria agreed", "claim", "indirect"), ("Officials", "source", "SOURCE"),
     ("claimed", "cue", "CUE"))]


def test_doccano_relations_between_claim_source_and_cue_spans_land_as_claims(store, tmp_path):
    record = {"text": QUOTED, "entities": [
        _doccano_entity(1, "Benjamin Netanyahu", "PERSON"),
        _doccano_entity(2, "said", "cue"),
        _doccano_entity(3, "the talks will resume in Paris.", "Direct quote"),
        _doccano_entity(4, "Paris", "GPE"),
        _doccano_entity(5, "Officials", "SOURCE"),
        _doccano_entity(6, "claimed", "CUE"),
        _doccano_entity(7, "Syria agreed", "INDIRECT"),
        _doccano_entity(8, "Syria", "GPE")], "relations": [
        {"id": 1, "from_id": 3, "to_id": 1, "type": "source"},  # the source is an entity
        {"id": 2, "from_id": 2, "to_id": 3, "type": "CUE"},  # part -> content works too
        {"id": 3, "from_id": 7, "to_id": 5, "type": "Source"},
        {"id": 4, "from_id": 7, "to_id": 6, "type": "cue"},
        {"id": 5, "from_id": 1, "to_id": 4, "type": "located_in"}]}
    report = import_paths(store, [_write(tmp_path / "rel.jsonl", record)], annotator="ana")
    (doc,) = store.documents.iter_all()
    assert _claims(store, doc.id, "ana") == EXPECTED_CLAIMS
    assert _entities(store, doc.id, "ana") == [("Benjamin Netanyahu", "PERSON"),
                                               ("Paris", "GPE"), ("Syria", "GPE")]
    assert report.claims == 2 and report.spans == 8  # 3 entities, 2 contents, 1 source, 2 cues
    assert [w for w in report.warnings if "not imported" in w] == [
        f"{tmp_path / 'rel.jsonl'}: line(s) 1: relations of type 'located_in' not imported "
        "(only source and cue relations link a claim to its parts)"]


def _ls_label(id_, phrase, label):
    start, end = _at(phrase)
    return {"id": id_, "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "text": phrase, "labels": [label]}}


def _ls_relation(from_id, to_id, *labels):
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right",
            "labels": list(labels)}


def _ls_task(*annotations, text=QUOTED):
    return {"data": {"text": text}, "annotations": list(annotations)}


def _ls_file(tmp_path, *tasks):
    path = tmp_path / "ls.json"
    path.write_bytes(orjson.dumps(list(tasks)))
    return path


def test_label_studio_annotators_land_as_separate_sets_with_their_claims(store, tmp_path):
    claims_by_ana = {"completed_by": {"id": 3, "email": "ana@example.org"}, "result": [
        _ls_label("a", "Benjamin Netanyahu", "PERSON"), _ls_label("b", "said", "CUE"),
        _ls_label("c", "the talks will resume in Paris.", "direct_quote"),
        _ls_label("d", "Officials", "Source"), _ls_label("e", "claimed", "CUE"),
        _ls_label("f", "Syria agreed", "indirect"),
        _ls_relation("c", "a", "source"), _ls_relation("b", "c", "cue"),
        _ls_relation("f", "d"), _ls_relation("e", "f")]}  # untyped: the part says its role
    entities_by_7 = {"completed_by": 7, "result": [
        _ls_label("x", "Paris", "GPE"), _ls_label("w", "Syria", "GPE"), _ls_relation("x", "w")]}
    cancelled = {"completed_by": 8, "was_cancelled": True,
                 "result": [_ls_label("y", "Syria", "GPE")]}
    unnamed = {"result": [_ls_label("z", "Benjamin Netanyahu", "PERSON")]}
    path = _ls_file(tmp_path, _ls_task(claims_by_ana, entities_by_7, cancelled),
                    _ls_task(unnamed, text="Benjamin Netanyahu spoke."))
    report = import_paths(store, [path], annotator="lee")
    doc = _doc_id(store, "Benjamin Netanyahu said")
    assert _claims(store, doc, "labelstudio:3") == EXPECTED_CLAIMS
    assert _entities(store, doc, "labelstudio:3") == [
        ("Benjamin Netanyahu", "PERSON")]
    assert _entities(store, doc, "labelstudio:7") == [("Paris", "GPE"), ("Syria", "GPE")]
    assert _claims(store, doc, "labelstudio:7") == []
    assert _entities(store, _doc_id(store, "Benjamin Netanyahu spoke"), "lee") == [
        ("Benjamin Netanyahu", "PERSON")]
    assert store.sets.annotators() == ["labelstudio:3", "labelstudio:7", "lee"]
    assert {store.sets.find(doc, a).status for a in ("labelstudio:7",
                                                     "labelstudio:3")} == {"done"}
    assert report.annotation_sets == 3 and report.claims == 2
    assert f"{path}: 1 untyped relations not imported (only those between a claim and its " \
           "SOURCE or CUE span link them)" in report.warnings


def _doccano(entities, relations):
    return {"text": QUOTED, "entities": [_doccano_entity(*e) for e in entities],
            "relations": [{"id": i, "from_id": f, "to_id": t, "type": k}
                          for i, (f, t, k) in enumerate(relations)]}


CONTENT = (1, "Syria agreed", "indirect")


@pytest.mark.parametrize("record, expected", [
    (_doccano([CONTENT, (2, "Officials", "SOURCE")], [(1, 9, "source")]),
     "relations[0].to_id: no span has the id 9"),
    (_doccano([CONTENT, (2, "Officials", "SOURCE"), (3, "Benjamin Netanyahu", "PERSON")],
              [(1, 2, "source"), (3, 1, "source")]),
     "relations[1].from_id: indirect claim entities[0] already has the source SOURCE span "
     "entities[1]; a claim has one source"),
    (_doccano([CONTENT, (2, "Officials", "SOURCE"), (3, "claimed", "CUE")], [(1, 3, "cue")]),
     "entities[1]: SOURCE span 58:67 is linked to no claim"),
    (_doccano([(1, "Benjamin Netanyahu", "PERSON"), (2, "Officials", "SOURCE")],
              [(1, 2, "source")]),
     "relations[0]: a source relation links a claim span to its source; this one links "
     "PERSON entity entities[0] and SOURCE span entities[1]"),
    (_doccano([CONTENT, (2, "Syria", "GPE")], [(1, 2, "cue")]),
     "relations[0].to_id: a cue relation must end at a CUE span, got GPE entity entities[1]"),
    (_doccano([CONTENT, (1, "Syria", "GPE")], []),
     "entities[1].id: id 1 is also the id of entities[0]"),
    (_doccano([CONTENT, ([2], "Syria", "GPE")], []),
     "entities[1].id: expected a number or a string, got [2]"),
    (_doccano([CONTENT, (2, "Syria", "GPE")], [(1, [2], "cue")]),
     "relations[0].to_id: no span has the id [2]"),
    (_doccano([CONTENT, (2, "Syria", "WIDGET")], []),
     "entities[1].label: unknown label 'WIDGET'"),
])
def test_doccano_relations_that_make_no_claim_name_the_field(store, tmp_path, record, expected):
    _refused(store, tmp_path, record, expected)


@pytest.mark.parametrize("annotations, expected", [
    ([{"completed_by": {"id": 3}, "result": []}, {"completed_by": 3, "result": []}],
     "[0].annotations[1].completed_by: annotator 'labelstudio:3' also made "
     "[0].annotations[0]"),
    ([{"result": []}, {"was_cancelled": True, "result": []}, {"result": []}],
     "[0].annotations[2].completed_by: missing, as in [0].annotations[0]"),
    ([{"completed_by": [3], "result": []}],
     "[0].annotations[0].completed_by: expected a user id or an object with email or id"),
    ([{"completed_by": {"username": "ana"}, "result": []}],
     "[0].annotations[0].completed_by: expected a user id or an object with email or id"),
    ([{"result": [_ls_label("c", "Syria agreed", "indirect"), _ls_relation("c", "zz", "source")]}],
     "[0].annotations[0].result[1].to_id: no span has the id 'zz'"),
    ([{"result": [_ls_label("c", "Syria agreed", "indirect"), _ls_label("d", "Officials", "SOURCE"),
                  _ls_relation("c", "d", "source", "cue")]}],
     "[0].annotations[0].result[2].labels: expected at most one relation label"),
])
def test_label_studio_annotators_and_relations_name_the_field(store, tmp_path, annotations,
                                                              expected):
    path = _ls_file(tmp_path, _ls_task(*annotations))
    with pytest.raises(ImportFailed) as failed:
        import_paths(store, [path], annotator="lee")
    (problem,) = failed.value.report.problems
    assert str(problem).startswith(f"{path}: {expected}")
    assert store.documents.count() == 0
