"""The merged picture on hand-made sets: agreement, every conflict kind, the majority rule."""

from __future__ import annotations

import pytest

from annotator.core.review.picture import (BOTH, BOUNDARY, CATS, CLAIM, CLAIM_PART,
                                           DOCUMENT_LABEL, ENTITY, LABEL, ONLY_ONE,
                                           merged_picture)
from annotator.core.review.work import Work
from annotator.core.store.review import ClaimRow

TEXT = ("Kurdistan24 said the US State Department met Reuters in Paris on Monday. "
        '"We will go," the minister told reporters.')


def at(word: str, label: str, text: str = TEXT) -> tuple[int, int, str]:
    start = text.index(word)
    return start, start + len(word), label


def rng(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


QUOTE = '"We will go,"'
CLAIM_A = ClaimRow(*rng(QUOTE), "direct_quote", rng("the minister"), rng("told"))


def kinds(picture) -> dict:
    return {(c.layer, c.kind): c for c in picture.conflicts}


def test_agreed_items_and_every_conflict_kind():
    alice = Work("alice", entities=(at("Kurdistan24", "ORG"), at("the US State Department", "ORG"),
                                    at("Reuters", "ORG"), at("Paris", "GPE"), at("Monday", "DATE")),
                 claims=(CLAIM_A,), cats={"relevance": "relevant", "topics": ["politics"]})
    bob = Work("bob", entities=(at("Kurdistan24", "GPE"), at("US State Department", "ORG"),
                                at("Reuters", "ORG"), at("Paris", "GPE")),
               claims=(CLAIM_A._replace(source=rng("minister"), type="indirect"),),
               cats={"relevance": "not_relevant", "topics": ["politics"]})
    picture = merged_picture([alice, bob])

    assert picture.annotators == ("alice", "bob")
    assert picture.entities == (at("Reuters", "ORG"), at("Paris", "GPE"))
    assert picture.claims == ()
    assert picture.cats == {"topics": ["politics"]}
    found = kinds(picture)
    assert set(found) == {(ENTITY, LABEL), (ENTITY, BOUNDARY), (ENTITY, ONLY_ONE),
                          (CLAIM, CLAIM_PART), (CATS, DOCUMENT_LABEL)}
    assert len(picture.conflicts) == 5
    label = found[(ENTITY, LABEL)]
    assert label.describe(TEXT) == 'ORG "Kurdistan24" (alice) vs GPE "Kurdistan24" (bob)'
    assert [v.holders for v in label.versions] == [("alice",), ("bob",)]
    boundary = found[(ENTITY, BOUNDARY)]
    assert boundary.describe(TEXT) == ('ORG "the US State Department" (alice) vs '
                                       'ORG "US State Department" (bob)')
    assert (boundary.start, boundary.end) == rng("the US State Department")
    only = found[(ENTITY, ONLY_ONE)]
    assert [(v.items, v.holders) for v in only.versions] == [
        ((at("Monday", "DATE"),), ("alice",)), ((), ("bob",))]
    assert only.describe(TEXT) == 'DATE "Monday" (alice) vs nothing (bob)'
    part = found[(CLAIM, CLAIM_PART)]
    assert part.parts == ("type", "source")
    assert 'no cue' not in part.describe(TEXT) and 'source "minister"' in part.describe(TEXT)
    cats = found[(CATS, DOCUMENT_LABEL)]
    assert cats.name == "relevance"
    assert cats.describe(TEXT) == "relevance=relevant (alice) vs relevance=not_relevant (bob)"
    # 2 entities + 1 document label agreed, 5 conflicts
    assert picture.agreed == 3 and picture.agreement == pytest.approx(3 / 8)


def test_mixed_label_and_boundary_and_claim_boundary_and_a_claim_only_one_has():
    alice = Work("alice", entities=(at("the US State Department", "ORG"),),
                 claims=(CLAIM_A,))
    bob = Work("bob", entities=(at("US State", "GPE"), at("Department", "ORG")),
               claims=(CLAIM_A._replace(start=CLAIM_A.start + 1, end=CLAIM_A.end - 1),))
    carol = Work("carol", entities=(at("the US State Department", "ORG"),))
    picture = merged_picture([alice, bob, carol])
    found = kinds(picture)
    mixed = found[(ENTITY, BOTH)]
    assert [v.holders for v in mixed.versions] == [("alice", "carol"), ("bob",)]
    assert mixed.versions[1].items == (at("US State", "GPE"), at("Department", "ORG"))
    claim = found[(CLAIM, ONLY_ONE)]  # carol has no claim there
    assert [v.holders for v in claim.versions] == [("alice",), ("bob",), ("carol",)]
    two = merged_picture([alice, bob])
    assert kinds(two)[(CLAIM, BOUNDARY)].versions[0].items[0].start in (CLAIM_A.start,
                                                                        CLAIM_A.start + 1)


def test_everything_agreed_is_full_agreement_and_nothing_to_compare_too():
    same = {"entities": (at("Paris", "GPE"),), "claims": (CLAIM_A,),
            "cats": {"relevance": "relevant"}}
    picture = merged_picture([Work("a", **same), Work("b", **same), Work("c", **same)])
    assert picture.conflicts == () and picture.agreed == 3 and picture.agreement == 1.0
    assert picture.accepted() == ([at("Paris", "GPE")], [CLAIM_A], {"relevance": "relevant"})
    assert merged_picture([Work("a"), Work("b")]).agreement == 1.0


def test_majority_rule_resolves_and_keeps_the_conflict_reviewable():
    alice = Work("alice", entities=(at("Kurdistan24", "ORG"), at("Monday", "DATE")),
                 cats={"relevance": "relevant"})
    bob = Work("bob", entities=(at("Kurdistan24", "ORG"),), cats={"relevance": "relevant"})
    carol = Work("carol", entities=(at("Kurdistan24", "GPE"), at("Monday", "DATE")),
                 cats={"relevance": "not_relevant"})
    plain = merged_picture([alice, bob, carol])
    assert all(c.resolved is None for c in plain.conflicts)
    assert plain.accepted() == ([], [], {})
    picture = merged_picture([alice, bob, carol], min_agree=2)
    assert len(picture.conflicts) == 3  # still listed
    assert all(c.resolved == 0 for c in picture.conflicts)
    assert picture.accepted() == ([at("Kurdistan24", "ORG"), at("Monday", "DATE")], [],
                                  {"relevance": "relevant"})
    # A version only one person holds is not a majority of 2.
    dan = Work("dan", entities=(at("Kurdistan24", "LOC"),))
    assert merged_picture([alice, carol, dan], min_agree=2).conflicts[0].resolved is None


def test_a_tie_of_two_majorities_stays_for_the_reviewer():
    works = [Work(n, entities=(at("Paris", label),))
             for n, label in (("a", "GPE"), ("b", "GPE"), ("c", "LOC"), ("d", "LOC"))]
    picture = merged_picture(works, min_agree=2)
    assert picture.conflicts[0].kind == LABEL and picture.conflicts[0].resolved is None
    with pytest.raises(ValueError, match="at least 1"):
        merged_picture(works, min_agree=0)


def test_a_set_under_another_schema_is_compared_and_flagged():
    works = [Work("a", entities=(at("Paris", "GPE"),), schema_hash="h1"),
             Work("b", entities=(at("Paris", "GPE"),), schema_hash="h0")]
    picture = merged_picture(works, schema_hash="h1")
    assert picture.flagged == ("b",) and picture.entities == (at("Paris", "GPE"),)
