"""The review report's figures on a hand-computed case, on both backends."""

from __future__ import annotations

import pytest

from annotator.core.review.report import review_report
from annotator.core.review.report_html import render
from review_work import at, finish, two_annotators


@pytest.fixture
def reported(seeded):
    """Gold on the first seed is bob's entities, alice's claim and document labels."""
    doc_id = seeded.documents.ids_in_order()[0]
    made = two_annotators(seeded, doc_id)
    finish(seeded, doc_id, "gold", made["bob"], [made["claim"]],
           {"relevance": "relevant", "genre": "news_report"})
    return seeded, doc_id, made


def figures(counts):
    return (counts["correct"], counts["theirs"], counts["gold"], counts["precision"],
            counts["recall"], counts["f1"])


def test_figures_per_annotator_against_gold(reported):
    store, doc_id, _ = reported
    report = review_report(store).as_json()
    assert (report["documents"], report["reviewed"]) == (1, 1)
    alice, bob = report["annotators"]["alice"], report["annotators"]["bob"]
    # alice: Paris, Tuesday right; Kurdistan24 ORG (gold GPE), "the US …" ORG (gold "US …"),
    # Syria (not in gold): 2 of her 5 are right, 2 of gold's 4 found.
    assert figures(alice["entities"]["all"]) == (2, 5, 4, 0.4, 0.5, 0.4444)
    assert figures(alice["entities"]["labels"]["GPE"]) == (1, 2, 2, 0.5, 0.5, 0.5)
    assert figures(alice["entities"]["labels"]["ORG"]) == (0, 2, 1, 0.0, 0.0, 0.0)
    assert figures(alice["entities"]["labels"]["DATE"]) == (1, 1, 1, 1.0, 1.0, 1.0)
    assert alice["confusions"] == [{"theirs": "ORG", "gold": "GPE", "count": 1,
                                    "examples": [doc_id]}]
    assert {k: v["f1"] for k, v in alice["claims"].items()} == {
        "content": 1.0, "source": 1.0, "cue": 1.0, "type": 1.0}
    assert figures(bob["entities"]["all"]) == (4, 4, 4, 1.0, 1.0, 1.0)
    assert bob["confusions"] == []
    # bob's claim has gold's content, source and cue, but the type direct_quote.
    assert figures(bob["claims"]["type"]) == (0, 1, 1, 0.0, 0.0, 0.0)
    assert figures(bob["claims"]["source"]) == (1, 1, 1, 1.0, 1.0, 1.0)
    # Conflicts: label, boundary, only-one (Syria: gold has nothing, as bob), claim part,
    # relevance. alice's versions kept: the claim and relevance; bob's: the other three.
    assert alice["versions"] == {"kept": 2, "of": 5}
    assert bob["versions"] == {"kept": 3, "of": 5}


def test_a_document_without_gold_is_not_reported_and_the_page_escapes(reported):
    store, _, _ = reported
    other = store.documents.ids_in_order()[1]
    text = store.documents.text(other)
    finish(store, other, "alice", [at(text, "Paris", "GPE")])
    finish(store, other, "<b>", [at(text, "Paris", "LOC")])
    report = review_report(store).as_json()
    assert report["documents"] == 1 and "<b>" not in report["annotators"]
    page = render(report | {"annotators": {"<b>": report["annotators"]["alice"]}}, "R & D")
    assert "&lt;b&gt;" in page and "<b>" not in page and "R &amp; D" in page
    assert "ORG→GPE" in page
