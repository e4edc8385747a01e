"""Schema validation: every problem reported with its field path, in one go."""

import orjson
import pytest

from annotator.core.schema import SchemaError, load_schema, parse_schema
from conftest import SCHEMA


@pytest.fixture
def body():
    return orjson.loads(SCHEMA.read_bytes())


def _problems(body):
    with pytest.raises(SchemaError) as error:
        parse_schema(body, "test.json")
    return error.value.problems


def test_default_schema_is_valid_and_complete():
    schema = load_schema(SCHEMA)
    assert schema.labels == ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "EVENT",
                             "LAW"]
    assert schema.claim_types == ["direct_quote", "indirect", "unattributed"]
    assert {"say", "tell", "announce", "report", "state", "add", "warn", "urge", "confirm",
            "deny"} <= set(schema.cue_lexicon.verbs)
    assert "according to" in schema.cue_lexicon.phrases
    assert schema.hotkeys() == {str(i): label for i, label in enumerate(schema.labels, 1)}
    assert all(len(e.description) > 40 for e in schema.entities)
    assert schema.model_label_map()["GPE"] == "GPE"


def test_hash_is_stable_and_changes_with_content(body):
    assert parse_schema(body).hash == load_schema(SCHEMA).hash
    body["version"] = "1.0.1"
    assert parse_schema(body).hash != load_schema(SCHEMA).hash


def test_all_problems_are_reported_with_paths(body):
    body["entities"][1]["hotkey"] = "1"
    body["entities"][2]["hotkey"] = "x"
    body["entities"][3]["color"] = "red"
    body["entities"][4]["label"] = "PERSON"
    body["entities"][0]["colour"] = "#ffffff"
    body["entities"][5]["model_labels"] = ["PERSON"]
    body["claims"]["types"].append({"name": "indirect", "description": "again"})
    body["extra"] = True
    assert _problems(body) == [
        "claims.types[3].name: duplicate claim type 'indirect' (also claims.types[1])",
        "entities[0].colour: unknown field",
        "entities[1].hotkey: duplicate hotkey '1' (also entities[0])",
        "entities[2].hotkey: 'x' is reserved by the keyboard map (docs/architecture.md)",
        "entities[3].color: color must be '#rrggbb', got 'red'",
        "entities[4].label: duplicate label 'PERSON' (also entities[0])",
        "entities[5].model_labels[0]: model label 'PERSON' is already mapped by entities[0]",
        "extra: unknown field",
    ]


def test_missing_parts_are_named(body):
    del body["cue_lexicon"]
    body["claims"]["colors"].pop("cue")
    assert _problems(body) == [
        "claims.colors: colors needs exactly the keys ['claim', 'source', 'cue'] "
        "(missing ['cue'], unknown [])",
        "cue_lexicon: Field required",
    ]


def test_unreadable_and_malformed_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x",\n "version": }')
    with pytest.raises(SchemaError, match=r"invalid JSON at line 2, column 13"):
        load_schema(broken)
    with pytest.raises(SchemaError, match="cannot read"):
        load_schema(tmp_path / "absent.json")


def test_labels_that_collide_with_claims_and_bad_options_are_refused(body):
    body["entities"][0]["model_labels"] = [["PERSON"]]  # no crash: the type is named
    body["entities"].append({**body["entities"][1], "label": "SOURCE", "hotkey": None,
                             "model_labels": []})
    body["entities"].append({**body["entities"][1], "label": "DIRECT_QUOTE", "hotkey": None,
                             "model_labels": []})
    body["document_labels"][0]["options"] = ["relevant", "relevant", " "]
    body["name"] = "news\x00"
    problems = _problems(body)
    n = len(body["entities"])
    assert f"entities[{n - 2}].label: 'SOURCE' is the name of a claim part or type; imports " \
           "would read such spans as claims" in problems
    assert f"entities[{n - 1}].label: 'DIRECT_QUOTE' is the name of a claim part or type; " \
           "imports would read such spans as claims" in problems
    assert "document_labels[0].options[1]: duplicate option 'relevant'" in problems
    assert "document_labels[0].options[2]: empty option" in problems
    assert "name: contains a NUL character" in problems
    assert any(p.startswith("entities[0].model_labels[0]: ") for p in problems)


def test_a_schema_file_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + SCHEMA.read_bytes())
    assert load_schema(path).hash == load_schema(SCHEMA).hash
