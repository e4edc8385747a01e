"""Scoring against gold: hand-made cases where a wrong count would show."""

from __future__ import annotations

import pytest

from annotator.core.evaluate import (Counts, InvalidRecord, Ratio, entity_overlap,
                                     match_overlapping, read_devset, score_claims,
                                     score_document, score_documents, score_entities)


def span(start, end, label):
    return {"start": start, "end": end, "label": label}


def claim(content, source=None, cue=None, type_="indirect"):
    def part(interval):
        return None if interval is None else {"start": interval[0], "end": interval[1]}
    return {"type": type_, "content": part(content), "source": part(source), "cue": part(cue)}


def test_entities_count_true_and_false_positives_per_label():
    gold = [span(0, 5, "GPE"), span(10, 15, "ORG")]
    predicted = [span(0, 5, "GPE"), span(10, 15, "GPE"), span(20, 25, "DATE")]
    scores = score_entities(gold, predicted)
    assert scores == {"DATE": Counts(0, 1, 0), "GPE": Counts(1, 2, 1), "ORG": Counts(0, 0, 1)}
    micro = sum(scores.values(), Counts())
    assert (micro.precision, micro.recall) == (pytest.approx(1 / 3), 0.5)
    assert micro.f1 == pytest.approx(0.4)


def test_entity_boundaries_must_match_exactly_and_a_gold_span_is_used_once():
    scores = score_entities([span(0, 5, "GPE")],
                            [span(0, 4, "GPE"), span(0, 5, "GPE"), span(0, 5, "GPE")])
    assert scores["GPE"] == Counts(tp=1, predicted=3, gold=1)


def test_entity_overlap_forgives_boundaries_but_not_labels():
    gold = [span(4, 17, "GPE"), span(20, 30, "ORG"), span(40, 44, "DATE")]
    predicted = [span(0, 17, "GPE"), span(20, 30, "PERSON"), span(41, 43, "DATE"),
                 span(42, 44, "DATE")]
    assert entity_overlap(gold, predicted) == Counts(tp=2, predicted=4, gold=3)
    assert sum(score_entities(gold, predicted).values(), Counts()).tp == 0


def test_empty_inputs_give_zero_scores_without_dividing_by_zero():
    assert score_entities([], []) == {}
    empty = score_document({"spans": [], "claims": []}, {"spans": [], "claims": []})
    assert empty.entities_micro == Counts(0, 0, 0)
    assert (empty.claims.overlap.f1, empty.claims.source.value) == (0.0, 0.0)
    only_gold = score_document({"spans": [span(0, 2, "GPE")], "claims": [claim((3, 9))]}, {})
    assert only_gold.entities_micro == Counts(0, 0, 1)
    assert only_gold.claims.overlap == Counts(0, 0, 1)
    only_predicted = score_claims([], [claim((3, 9))])
    assert only_predicted.overlap == Counts(0, 1, 0)
    assert only_predicted.source == Ratio(0, 0)


def test_overlap_matching_is_one_to_one():
    one_prediction_covering_two_gold = score_claims([claim((0, 10)), claim((12, 20))],
                                                    [claim((0, 20))])
    assert one_prediction_covering_two_gold.overlap == Counts(1, 1, 2)
    two_predictions_inside_one_gold = score_claims([claim((0, 20))],
                                                   [claim((0, 8)), claim((10, 20))])
    assert two_predictions_inside_one_gold.overlap == Counts(1, 2, 1)


def test_overlap_matching_finds_the_largest_pairing_where_greedy_would_not():
    # X overlaps A most, but only X can take B: a greedy pairing by size would leave Y and B out.
    gold = [(0, 10), (10, 20)]               # A, B
    predicted = [(2, 15), (0, 3)]            # X, Y
    assert match_overlapping(gold, predicted) == [(0, 1), (1, 0)]


def test_touching_spans_do_not_overlap():
    assert match_overlapping([(0, 5)], [(5, 9)]) == []
    assert match_overlapping([(3, 8)], [(5, 5)]) == []  # an empty span shares no character


def test_exact_and_overlap_differ_on_boundaries():
    scores = score_claims([claim((10, 40))], [claim((10, 41)), claim((50, 60))])
    assert scores.exact == Counts(0, 2, 1)
    assert scores.overlap == Counts(1, 2, 1)
    assert scores.overlap.precision == 0.5 and scores.overlap.recall == 1.0


def test_source_cue_and_type_are_judged_on_matched_claims_only():
    gold = [claim((10, 40), source=(0, 9), cue=(41, 45)),
            claim((50, 70), source=(72, 80), cue=(81, 85), type_="direct_quote"),
            claim((90, 99), source=None, cue=(86, 89), type_="unattributed"),
            claim((200, 220), source=(190, 199))]                    # missed: not in the ratios
    predicted = [claim((12, 40), source=(4, 9), cue=(41, 45)),        # source overlaps: right
                 claim((50, 70), source=None, cue=(81, 85)),          # source missing, type wrong
                 claim((90, 99), source=None, cue=None, type_="unattributed"),
                 claim((300, 310), source=(0, 9))]                    # spurious: not in the ratios
    scores = score_claims(gold, predicted)
    assert scores.overlap == Counts(3, 4, 4)
    assert scores.exact == Counts(2, 4, 4)
    assert scores.source == Ratio(2, 3)      # overlap, and both absent
    assert scores.cue == Ratio(2, 3)         # the gold cue of claim 3 was not found
    assert scores.type == Ratio(2, 3)


def test_documents_are_summed_before_ratios_are_taken():
    first = ({"spans": [span(0, 3, "GPE")], "claims": [claim((5, 9))]},
             {"spans": [span(0, 3, "GPE")], "claims": [claim((5, 9))]})
    second = ({"spans": [span(0, 3, "GPE"), span(4, 6, "ORG")], "claims": []},
              {"spans": [], "claims": [claim((1, 2))]})
    total = score_documents([first, second])
    assert total.entities == {"GPE": Counts(1, 1, 2), "ORG": Counts(0, 0, 1)}
    assert total.entities_micro == Counts(1, 1, 3)
    assert total.claims.exact == Counts(1, 2, 1)


def test_malformed_predictions_name_the_field():
    with pytest.raises(InvalidRecord, match=r"predicted spans\[1\]"):
        score_entities([], [span(0, 1, "GPE"), {"start": 3, "label": "GPE"}])
    with pytest.raises(InvalidRecord, match=r"predicted claims\[0\]\.source"):
        score_claims([], [{"type": "indirect", "content": {"start": 0, "end": 4},
                           "source": {"start": 5}}])


def test_read_devset_names_file_and_line(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text('{"text": "Syria", "spans": [], "claims": []}\n'
                    '{"text": "x", "spans": [{"start": 0, "end": 1}], "claims": []}\n',
                    encoding="utf-8")
    with pytest.raises(InvalidRecord, match=r"dev\.jsonl:2: spans\[0\]\.label"):
        read_devset(path)
    path.write_text('{"text": "Syria", "spans": [], "claims": []}\n', encoding="utf-8")
    assert read_devset(path)[0]["text"] == "Syria"


def test_nested_claims_keep_their_own_partners():
    # "Reuters reported that [Damascus believes [any agreement …]]": both predictions are exact,
    # so both sources must be judged right, not swapped between the two claims.
    gold = [claim((30, 200), source=(0, 7), cue=(8, 16)),
            claim((48, 120), source=(30, 38), cue=(39, 47))]
    scores = score_claims(gold, [dict(c) for c in gold])
    assert scores.source == Ratio(2, 2) and scores.cue == Ratio(2, 2)
    shifted = [claim((31, 200), source=(0, 7)), claim((48, 119), source=(30, 38))]
    assert match_overlapping([(30, 200), (48, 120)], [(48, 119), (31, 200)]) == [(0, 1), (1, 0)]
    assert score_claims(gold, shifted).source == Ratio(2, 2)
