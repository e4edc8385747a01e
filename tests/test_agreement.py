"""Agreement figures on small cases worked out by hand, on both backends (the `store`
fixture): entities, tokens, claims, document labels, α_U, per document, and which documents
are compared."""

from __future__ import annotations

from fractions import Fraction

import pytest
from agreement_data import add_document, annotate

from annotator.core.team.agreement import AgreementError, measure
from annotator.core.team.pair import PairTally, Side, compare_entities

TEXT = "Alice met Bob Smith in Paris on Monday."
#       0    5    10   14   19   23   28   32    38
ALICE = [(0, 5, "PERSON"), (10, 19, "PERSON"), (23, 28, "GPE")]
BOB = [(0, 5, "PERSON"), (10, 13, "PERSON"), (23, 28, "LOC"), (32, 38, "DATE")]


def approx(value) -> object:
    return pytest.approx(float(value), abs=1e-9)


@pytest.fixture
def two(store):
    doc = add_document(store, TEXT, "Paris")
    annotate(store, doc, "alice", ALICE)
    annotate(store, doc, "bob", BOB)
    return store


def test_entities_exact_and_overlap_micro_and_per_label(two):
    pair, = measure(two)["pairs"]
    assert (pair["a"], pair["b"], pair["documents"]) == ("alice", "bob", 1)
    entities = pair["entities"]
    # exact: only Alice; alice marked 3, bob 4: P = 1/3 (alice against bob), R = 1/4
    assert entities["exact"] == {"p": approx(1 / 3), "r": approx(1 / 4), "f1": approx(2 / 7)}
    # overlap: Alice, and "Bob Smith" / "Bob" (same label); Paris is GPE against LOC
    assert entities["overlap"] == {"p": approx(2 / 3), "r": approx(2 / 4), "f1": approx(4 / 7)}
    per_label = entities["per_label"]
    assert per_label["PERSON"]["exact"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert per_label["PERSON"]["overlap"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert per_label["GPE"]["exact"] == {"p": 0.0, "r": None, "f1": 0.0}
    assert per_label["DATE"]["overlap"] == {"p": None, "r": 0.0, "f1": 0.0}


def test_token_kappa_counts_each_token_with_its_label_or_o(two):
    pair, = measure(two)["pairs"]
    # tokens: Alice met Bob Smith in Paris on Monday .  (9)
    # alice:  PER   O   PER PER   O  GPE   O  O      O
    # bob:    PER   O   PER O     O  LOC   O  DATE   O
    # agreed 6 of 9; chance (3·2 + 5·5) / 81 = 31/81; κ = (54 - 31) / (81 - 31) = 23/50
    assert pair["tokens"] == {"kappa": approx(Fraction(23, 50)), "tokens": 9}


def test_alpha_u_of_one_document_by_hand(two):
    result = measure(two)
    # PERSON, L = 39, two observers. Observed: "Bob Smith" (10, 19) against "Bob" (10, 13)
    # is 0² + 6² = 36, Alice against Alice 0; D_o = 2·36 / (2·1·39²).
    # Expected: units 5, 9 (alice) and 5, 3 (bob); gaps 5, 20 and 5, 26. Per unit,
    # (N-1)(2l³-3l²+l)/3 + l²·Σ(gap - l + 1 over gaps >= l): 1180 + 3654 + 1180 + 462 = 6476;
    # D_e = (2/39)·6476 / (78·77 - (20 + 72 + 20 + 6)).
    observed = Fraction(2 * 36, 2 * 39 * 39)
    expected = Fraction(2, 39) * Fraction(6476, 78 * 77 - 118)
    assert result["alpha_u"]["per_label"]["PERSON"] == approx(1 - observed / expected)
    # a label only one of them used: each unit falls in the other's gap
    assert result["alpha_u"]["per_label"]["DATE"] < 0
    assert set(result["alpha_u"]["per_label"]) == {"PERSON", "GPE", "LOC", "DATE"}


def test_claims_content_overlap_and_shares_on_matched_claims(store):
    text = "Smith said the talks failed. Jones said rain is coming."
    at = text.index
    said2 = (at("said", 20), at("said", 20) + 4)
    doc = add_document(store, text)
    annotate(store, doc, "alice", claims=[
        ((at("the talks"), at(".")), "indirect", (0, 5), (6, 10)),
        ((at("rain"), len(text) - 1), "indirect", (at("Jones"), at("Jones") + 5), said2)])
    annotate(store, doc, "bob", claims=[
        ((at("talks"), at(".")), "direct_quote", (0, 5), None),
        ((at("rain"), len(text) - 1), "indirect", None, said2),
        ((at("Jones"), at("Jones") + 5), "unattributed", None, None)])
    claims = measure(store)["pairs"][0]["claims"]
    # two of alice's two and bob's three contents pair up
    assert claims["overlap"] == {"p": 1.0, "r": approx(2 / 3), "f1": approx(0.8)}
    assert claims["matched"] == 2
    # first pair: same source, cue against none, other type; second: source against
    # none, same cue, same type
    assert (claims["source"], claims["cue"], claims["type"]) == (0.5, 0.5, 0.5)
    # types (indirect, direct_quote), (indirect, indirect): observed 1/2, chance 1/2
    assert claims["type_kappa"] == 0.0


def test_document_labels_kappa_per_pair_and_nominal_alpha(store):
    alice = ["relevant", "relevant", "irrelevant", "irrelevant"]
    bob = ["relevant", "irrelevant", "irrelevant", "irrelevant"]
    for n, (x, y) in enumerate(zip(alice, bob)):
        doc = add_document(store, f"Document number {n} is here.")
        annotate(store, doc, "alice", cats={"relevance": x})
        annotate(store, doc, "bob", cats={"relevance": y})
    result = measure(store)
    labels = result["pairs"][0]["doc_labels"]
    # observed 3/4; chance (2·1 + 2·3) / 16 = 1/2; κ = (3/4 - 1/2) / (1/2)
    assert labels == {"kappa": 0.5, "per_group": {"relevance": 0.5}}
    # α nominal: 8 values (3 relevant, 5 irrelevant), one disagreeing unit:
    # 1 - (n - 1)·Σ o_ck / Σ n_c·n_k = 1 - 7·2 / (2·3·5)
    assert result["doc_labels"]["alpha"] == {"relevance": approx(Fraction(8, 15))}


def test_compared_documents_are_those_two_finished_and_alpha_u_takes_all_of_them(store):
    first = add_document(store, TEXT)
    second = add_document(store, "Bob met Carol in Rome.")
    third = add_document(store, "Nobody met anybody here.")
    for name in ("alice", "bob", "carol"):
        annotate(store, first, name, ALICE)
    annotate(store, second, "alice", [(0, 3, "PERSON")])
    annotate(store, second, "carol", [(0, 3, "PERSON")])
    annotate(store, second, "bob", [(0, 3, "PERSON")], status="in_progress")
    annotate(store, third, "alice")
    result = measure(store)
    assert result["documents"] == 2
    assert [(p["a"], p["b"], p["documents"]) for p in result["pairs"]] == [
        ("alice", "bob", 1), ("alice", "carol", 2), ("bob", "carol", 1)]
    assert result["alpha_u"]["overall"] == 1.0  # everyone who finished agrees
    assert sorted(d["annotators"] for d in result["per_document"]) == [
        ["alice", "bob", "carol"], ["alice", "carol"]]


def test_per_document_score_orders_disagreement_first(two):
    doc = add_document(two, "Carol went home.")
    annotate(two, doc, "alice", [(0, 5, "PERSON")])
    annotate(two, doc, "bob", [(0, 5, "PERSON")])
    per_document = measure(two)["per_document"]
    assert [d["title"] for d in per_document] == ["Paris", "Carol went home."]
    # Paris: 2·(2 overlap matches) / (3 + 4 entities); Carol: full agreement
    assert [d["score"] for d in per_document] == [approx(4 / 7), 1.0]


def test_labels_option_limits_the_entities_compared(two):
    result = measure(two, labels=["PERSON"])
    pair, = result["pairs"]
    assert set(pair["entities"]["per_label"]) == {"PERSON"}
    assert pair["entities"]["exact"]["f1"] == 0.5
    assert set(result["alpha_u"]["per_label"]) == {"PERSON"}


def test_unknown_annotator_or_label_names_the_known_ones(two):
    with pytest.raises(AgreementError, match="unknown annotator zoe; the project knows "
                                             "alice, bob"):
        measure(two, annotators=["alice", "zoe"])
    with pytest.raises(AgreementError, match="unknown label ORGANISATION; the schema has "
                                             "PERSON, ORG"):
        measure(two, labels=["ORGANISATION"])


def test_fewer_than_two_finished_annotators_give_an_empty_result(store):
    doc = add_document(store, TEXT)
    annotate(store, doc, "alice", ALICE)
    annotate(store, doc, "bob", BOB, status="in_progress")
    result = measure(store)
    assert (result["documents"], result["pairs"], result["per_document"]) == (0, [], [])
    assert measure(store, annotators=["alice", "bob"])["documents"] == 0


def test_f1_is_symmetric_and_precision_and_recall_swap():
    forward, backward = PairTally("a", "b"), PairTally("b", "a")
    alice, bob = Side.of(ALICE), Side.of(BOB)
    forward.add_entities(compare_entities(alice, bob), alice, bob)
    backward.add_entities(compare_entities(bob, alice), bob, alice)
    for kind in ("exact", "overlap"):
        there = forward.result(["PERSON"])["entities"][kind]
        back = backward.result(["PERSON"])["entities"][kind]
        assert there["f1"] == back["f1"]
        assert (there["p"], there["r"]) == (back["r"], back["p"])


def test_reading_a_page_at_a_time_gives_the_same_figures(two, monkeypatch):
    from annotator.core.team import agreement

    for n in range(3):
        doc = add_document(two, f"Carol {n} went home to Rome.")
        annotate(two, doc, "alice", [(0, 5, "PERSON"), (22, 26, "GPE")])
        annotate(two, doc, "bob", [(0, 5, "PERSON")])
    alone = measure(two)
    monkeypatch.setattr(agreement, "PAGE", 1)  # a page per document
    assert measure(two) == alone
