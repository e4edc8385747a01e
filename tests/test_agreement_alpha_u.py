"""α_U against Krippendorff's own worked examples, not only against our own numbers.

- Krippendorff, K. (2004). *Content Analysis: An Introduction to Its Methodology*, 2nd ed.,
  Sage, p. 254: two observers (i, j) unitize a continuum from 150 to 450 into units of the
  categories c and k. The book gives cD_o = .0144, cD_e = .0532, cα_U = .7286,
  kD_o = 0, kD_e = .0490, kα_U = 1 and α_U = .8591 over both. The same example and
  figures are the test data of DKPro Agreement (dkpro/dkpro-statistics,
  `unitizing/Krippendorff2004Test.java`), the library INCEpTION reports α_U with.
- Krippendorff, K. (1995). On the reliability of unitizing contiguous data. *Sociological
  Methodology* 25, 47–76, p. 57: four pairs of observers on a continuum of 24; its observed
  disagreements (also DKPro's `Krippendorff1995Test.java`, to 1e-5).
"""

from __future__ import annotations

import pytest

from annotator.core.team.alpha_u import UnitizingAlpha
from annotator.core.team.pair import Side, compare_entities

BEGIN, LENGTH = 150, 300  # the book's continuum: 150 to 450
# (start, length, category) as the book lists them, per observer
OBSERVER_I = [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")]
OBSERVER_J = [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")]


def _entities(units):
    """The book's units as our entities, on a continuum that starts at 0."""
    return sorted((start - BEGIN, start - BEGIN + length, category)
                  for start, length, category in units)


def _alpha(length: int, observers: list[list[tuple[int, int, str]]]) -> UnitizingAlpha:
    """α_U of one text, the observed part from the same pairing the entity figures use."""
    alpha = UnitizingAlpha()
    units: dict[str, list[list[tuple[int, int]]]] = {}
    for spans in observers:
        for category in sorted({label for *_, label in spans}):
            units.setdefault(category, []).append(
                [(start, end) for start, end, label in spans if label == category])
    alpha.add_document(length, len(observers), units)
    for x in range(len(observers)):
        for y in range(x + 1, len(observers)):
            found = compare_entities(Side.of(observers[x]), Side.of(observers[y]))
            for category, disagreement in found.disagreement.items():
                alpha.add_observed(category, disagreement)
    return alpha


def test_krippendorff_2004_worked_example():
    alpha = _alpha(LENGTH, [_entities(OBSERVER_I), _entities(OBSERVER_J)])
    observed, expected = alpha.disagreements("c")
    assert observed == pytest.approx(0.0144, abs=1e-4)
    assert expected == pytest.approx(0.0532, abs=1e-4)
    observed, expected = alpha.disagreements("k")
    assert observed == 0
    assert expected == pytest.approx(0.0490, abs=1e-4)
    overall, per_category = alpha.result()
    assert per_category["c"] == pytest.approx(0.7286, abs=1e-4)
    assert per_category["k"] == 1.0
    # the book rounds D_o and D_e to four places before dividing: 1 - .0144 / .1022
    assert overall == pytest.approx(0.8591, abs=5e-4)


def test_the_observers_order_does_not_matter():
    forward = _alpha(LENGTH, [_entities(OBSERVER_I), _entities(OBSERVER_J)]).result()
    backward = _alpha(LENGTH, [_entities(OBSERVER_J), _entities(OBSERVER_I)]).result()
    assert forward == backward


def _pair(first: list[tuple[int, int]], second: list[tuple[int, int]], category: str):
    """Units given as (start, length), as in the 1995 paper."""
    return [[(s, s + n, category) for s, n in first], [(s, s + n, category) for s, n in second]]


@pytest.mark.parametrize(("category", "first", "second", "observed"), [
    ("A", [(2, 8), (14, 6)], [(4, 4), (15, 2)], 0.03125),
    ("B", [(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)], 2.26736),
    ("C", [(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)],
     0.02777),
    ("D", [(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
     [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)], 0.38715),
])
def test_krippendorff_1995_observed_disagreements(category, first, second, observed):
    alpha = _alpha(24, _pair(first, second, category))
    assert alpha.disagreements(category)[0] == pytest.approx(observed, abs=1e-5)
