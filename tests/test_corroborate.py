"""Corroboration: the claims a story's reports share, grouped across outlets with their
sources and cues (every test taking `seeded` runs on both backends)."""

from __future__ import annotations

import orjson
import pytest

from annotator.cli import main
from annotator.core import ops
from annotator.core.curate.clusters import refresh_clusters
from annotator.core.curate.corroborate import StoryClaim, claim_version, corroboration, \
    group_claims
from annotator.core.project import current_schema
from annotator.core.session import Session
from annotator.core.suggest.batch import suggest_corpus
from annotator.core.workflow import start_work

LEAD = Session("lead")
FUSION = "joint fusion mechanism"


def _claim(doc: str, content: str) -> StoryClaim:
    return StoryClaim(doc, f"outlet {doc}", "ann", "indirect", content, None, None)


def test_alike_claims_of_different_reports_group_and_unlike_ones_do_not():
    claims = [_claim("a", "Syria and Israel agreed to set up a joint fusion mechanism"),
              _claim("b", "the sides agreed to establish a joint fusion mechanism"),
              _claim("c", "a joint fusion mechanism will be set up, the sides agreed"),
              _claim("a", "the talks were held in Paris on Monday"),
              _claim("d", "oil prices rose sharply in early trading on Friday")]
    (group,) = group_claims(claims)
    assert [c.doc_id for c in group] == ["a", "b", "c"]


def test_claims_of_one_report_alone_are_no_corroboration():
    claims = [_claim("a", "the sides agreed to a joint fusion mechanism"),
              _claim("a", "the sides agreed to a joint fusion mechanism, it said")]
    assert list(group_claims(claims)) == []


def test_a_chain_of_likenesses_does_not_pull_an_unrelated_claim_in():
    """Average linkage: c shares words with b only, and is not like the group on average."""
    claims = [_claim("a", "leaders agreed a ceasefire in Gaza"),
              _claim("b", "leaders agreed a ceasefire in Gaza, and markets rallied"),
              _claim("c", "and markets rallied")]
    assert [[c.doc_id for c in g] for g in group_claims(claims)] == [["a", "b"]]


@pytest.fixture
def story(seeded, nlp):
    """The five seed reports of one story, with the model's suggested claims cached."""
    suggest_corpus(seeded, nlp, current_schema(seeded))
    refresh_clusters(seeded, LEAD)
    return seeded


def test_the_seeds_fusion_mechanism_claims_group_across_outlets(story):
    groups = corroboration(story)
    fusion = [g for g in groups if sum(FUSION in c.content for c in g.claims) >= 2]
    assert len(fusion) == 1
    (group,) = fusion
    assert len({c.doc_id for c in group.claims}) >= 3
    assert {c.version for c in group.claims} == {"model"}
    assert all(c.source and c.cue for c in group.claims)  # on whose word, for each outlet
    assert all(FUSION in c.content or "mechanism" in c.content for c in group.claims)
    every = [c for g in groups for c in g.claims]
    assert len(every) == len(set(every))  # a claim is in one group only


def test_a_finished_set_is_the_version_read_before_the_model(story):
    doc_id = story.documents.ids_in_order()[2]
    text = story.documents.text(doc_id)
    session = Session("ana")
    target = start_work(story, session, doc_id, current_schema(story).hash)
    start = text.index("the sides agreed")
    end = text.index("mechanism", start) + len("mechanism")
    ops.make_claim(session, story, target, text, start, end, ["indirect"]).apply(story)
    ops.mark_done(session, story, target).apply(story)
    mine = claim_version(story, doc_id, None)
    assert {c.version for c in mine} == {"ana"}
    assert FUSION in " ".join(c.content for c in mine)
    assert {c.version for c in claim_version(story, doc_id, "model")} == {"model"}
    assert claim_version(story, doc_id, "gold") == []


def test_the_command_line_prints_the_groups_as_json(story, location, capsys):
    assert main(["curate", "claims", "--json", "--db", location]) == 0
    groups = orjson.loads(capsys.readouterr().out)["groups"]
    assert any(sum(FUSION in c["content"] for c in g["claims"]) >= 2 for g in groups)
    claim = groups[0]["claims"][0]
    assert {"doc_id", "content", "source", "cue", "outlet", "version"} <= set(claim)
    assert main(["curate", "claims", "--annotator", "gold", "--db", location]) == 0
    assert capsys.readouterr().out == "no claim is carried by more than one report of a story\n"


def test_claims_before_any_clustering_say_what_to_run(seeded, location, capsys):
    assert main(["curate", "claims", "--db", location]) == 1
    assert "run `annotator curate clusters` first" in capsys.readouterr().err
