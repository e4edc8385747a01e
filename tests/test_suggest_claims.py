"""Claim suggestions on real sentences of the seed articles, one test per construction."""

from __future__ import annotations

import pytest

from annotator.core.schema import load_schema
from annotator.core.suggest import suggest_text
from tests.conftest import SCHEMA


@pytest.fixture(scope="module")
def schema():
    return load_schema(SCHEMA)


def claims_of(nlp, schema, text):
    """Claims as readable strings: (type, content, source, cue)."""
    def cut(span):
        return text[span["start"]:span["end"]] if span else None

    payload = suggest_text(nlp, text, schema)
    return [(c["type"], cut(c["content"]), cut(c["source"]), cut(c["cue"]))
            for c in payload["claims"]]


def test_source_said_that_content_with_a_parenthetical(nlp, schema):
    text = ("A Syrian official, speaking to Reuters on condition of anonymity, said that the "
            "talks – which took place on Monday and Tuesday – concluded with an initiative to "
            "suspend all Israeli military operations against Syria.")
    assert claims_of(nlp, schema, text) == [(
        "indirect", "the talks – which took place on Monday and Tuesday – concluded with an "
        "initiative to suspend all Israeli military operations against Syria",
        "A Syrian official", "said")]


def test_direct_quote_with_the_source_after_the_verb(nlp, schema):
    text = ("“The Sides reaffirm their commitment to strive toward achieving lasting security "
            "and stability arrangements for both countries,” the statement said.")
    assert claims_of(nlp, schema, text) == [(
        "direct_quote", "The Sides reaffirm their commitment to strive toward achieving lasting "
        "security and stability arrangements for both countries,", "the statement", "said")]


def test_according_to_source_content(nlp, schema):
    text = ("According to SANA, the discussions centered on reactivating the 1974 "
            "disengagement agreement and securing the withdrawal of Israeli forces.")
    (claim,) = claims_of(nlp, schema, text)
    assert claim == ("indirect", "the discussions centered on reactivating the 1974 "
                     "disengagement agreement and securing the withdrawal of Israeli forces",
                     "SANA", "According to")


def test_content_then_according_to(nlp, schema):
    text = ("Syria and Israel have reached an agreement to create a joint mechanism after "
            "meeting in Paris, according to a joint statement.")
    assert claims_of(nlp, schema, text) == [(
        "indirect", "Syria and Israel have reached an agreement to create a joint mechanism "
        "after meeting in Paris", "a joint statement", "according to")]


def test_told_x_that_and_a_participle_inheriting_the_source(nlp, schema):
    text = ("A government source told SANA that the resumption of negotiations confirmed "
            "Syria’s commitment to its national rights, adding that Syrian intelligence chief "
            "Hussein al-Salama was part of the delegation.")
    claims = claims_of(nlp, schema, text)
    assert ("indirect", "the resumption of negotiations confirmed Syria’s commitment to its "
            "national rights", "A government source", "told SANA") in claims
    assert ("indirect", "Syrian intelligence chief Hussein al-Salama was part of the "
            "delegation", "A government source", "adding") in claims


def test_quoted_as_saying(nlp, schema):
    text = ("Axios quoted an American official as saying that the US proposed the "
            "establishment of a joint cell in Amman.")
    assert claims_of(nlp, schema, text) == [(
        "indirect", "the US proposed the establishment of a joint cell in Amman",
        "an American official", "as saying")]


def test_passive_was_quoted_as_saying(nlp, schema):
    text = "The minister was quoted as saying that the talks would resume next week."
    assert claims_of(nlp, schema, text) == [(
        "indirect", "the talks would resume next week", "The minister", "as saying")]


def test_relative_clause_source_and_past_perfect(nlp, schema):
    text = ("The joint statement follows reports published Monday by Syria’s state news "
            "agency SANA, which said a Syrian delegation had taken part in a new round of "
            "negotiations with Israel.")
    assert claims_of(nlp, schema, text) == [(
        "indirect", "a Syrian delegation had taken part in a new round of negotiations with "
        "Israel", "Syria’s state news agency SANA", "said")]


def test_a_quote_over_two_sentences_is_one_claim(nlp, schema):
    text = ("Netanyahu’s office confirmed that “Israel renewed its commitment to regional "
            "stability. It was agreed to continue the talks to advance shared goals.”")
    assert claims_of(nlp, schema, text) == [(
        "direct_quote", "Israel renewed its commitment to regional stability. It was agreed "
        "to continue the talks to advance shared goals.", "Netanyahu’s office", "confirmed")]


def test_straight_quotes_and_a_verb_outside_the_lexicon(nlp, schema):
    text = ('"When sovereign nations cooperate in a respectful and productive way, prosperity '
            'will be unleashed," the statement read.')
    assert claims_of(nlp, schema, text) == [(
        "direct_quote", "When sovereign nations cooperate in a respectful and productive way, "
        "prosperity will be unleashed,", "the statement", "read")]


def test_a_partial_quote_inside_reported_speech_stays_indirect(nlp, schema):
    text = ("A Syrian official said that “it is not possible to move to any strategic files” "
            "in talks with Israel without a clear and binding timetable.")
    ((kind, content, source, _cue),) = claims_of(nlp, schema, text)
    assert kind == "indirect" and source == "A Syrian official"
    assert content.startswith("“it is not possible") and content.endswith("timetable")


def test_scare_quotes_are_not_claims(nlp, schema):
    text = "The sides agreed to establish a “joint fusion mechanism” in Paris on Tuesday."
    assert claims_of(nlp, schema, text) == []


def test_no_source_makes_an_unattributed_claim(nlp, schema):
    text = "It was reported that broader economic proposals were discussed."
    assert claims_of(nlp, schema, text) == [(
        "unattributed", "broader economic proposals were discussed", None, "reported")]


def test_the_source_takes_the_offsets_of_the_entity_covering_it(nlp, schema):
    text = "Reuters reported that Damascus wants the 1974 agreement reactivated."
    payload = suggest_text(nlp, text, schema)
    (claim,) = payload["claims"]
    reuters = next(s for s in payload["spans"] if text[s["start"]:s["end"]] == "Reuters")
    assert claim["source"] == {"start": reuters["start"], "end": reuters["end"]}


def test_a_quotation_closing_reported_speech_keeps_its_marks(nlp, schema):
    text = ("A government source told SANA that the resumption of negotiations confirmed "
            "Syria’s “firm commitment to restoring its non-negotiable national rights,” adding "
            "that Syrian intelligence chief Hussein al-Salama was part of the delegation.")
    claims = claims_of(nlp, schema, text)
    assert ("indirect", "the resumption of negotiations confirmed Syria’s “firm commitment to "
            "restoring its non-negotiable national rights,”", "A government source",
            "told SANA") in claims
    assert ("indirect", "Syrian intelligence chief Hussein al-Salama was part of the "
            "delegation", "A government source", "adding") in claims


def test_a_second_reporting_verb_and_a_concession_end_the_content(nlp, schema):
    warned = ("Last month, Syrian President Ahmed al-Sharaa warned that such a demand would "
              "threaten Syria’s security and urged Israel to adhere to the 1974 disengagement "
              "agreement.")
    assert ("indirect", "such a demand would threaten Syria’s security",
            "Syrian President Ahmed al-Sharaa", "warned") in claims_of(nlp, schema, warned)
    indicated = ("Reporting also indicated that broader economic proposals were discussed, "
                 "though Israeli and U.S. officials have not publicly confirmed project details.")
    contents = [content for _kind, content, _source, _cue in claims_of(nlp, schema, indicated)]
    assert "broader economic proposals were discussed" in contents


def test_a_dateline_is_not_content(nlp, schema):
    text = ("(MENAFN) Syria and Israel have reached an agreement to create a “joint fusion "
            "mechanism” after meeting in Paris, according to a joint statement.")
    ((_kind, content, source, _cue),) = claims_of(nlp, schema, text)
    assert content.startswith("Syria and Israel have reached") and source == "a joint statement"


def test_a_quote_ending_in_a_comma_stays_direct_before_a_participle(nlp, schema):
    text = ("The statement added that “when sovereign nations cooperate in a respectful and "
            "productive way, prosperity will be unleashed,” reflecting the participants’ desire "
            "to open a new chapter in bilateral relations.")
    assert claims_of(nlp, schema, text) == [(
        "direct_quote", "when sovereign nations cooperate in a respectful and productive way, "
        "prosperity will be unleashed,", "The statement", "added")]


def test_inverted_source_and_a_continued_quote(nlp, schema):
    inverted = "“We are ready to resume the talks,” said Foreign Minister Asaad Shaibani."
    assert claims_of(nlp, schema, inverted) == [(
        "direct_quote", "We are ready to resume the talks,", "Foreign Minister Asaad Shaibani",
        "said")]
    continued = ("“This is a turning point,” the official said. “We will meet again in Paris "
                 "next month.”")
    assert claims_of(nlp, schema, continued) == [
        ("direct_quote", "This is a turning point,", "the official", "said"),
        ("direct_quote", "We will meet again in Paris next month.", "the official", "said")]
