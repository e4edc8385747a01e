"""The agreement result cut the ways the window shows it (docs/architecture.md,
"Agreement"): an annotator × annotator matrix and a row per entity label."""

from __future__ import annotations

from statistics import fmean
from typing import Any, NamedTuple


def matrix(result: dict[str, Any], kind: str) -> dict[tuple[str, str], float | None]:
    """Entity F1 (`kind` "exact" or "overlap") of every pair, both ways round (F1 is
    symmetric); a pair that shares no finished document is absent."""
    cells: dict[tuple[str, str], float | None] = {}
    for pair in result["pairs"]:
        f1 = pair["entities"][kind]["f1"]
        cells[(pair["a"], pair["b"])] = cells[(pair["b"], pair["a"])] = f1
    return cells


class LabelRow(NamedTuple):
    label: str
    alpha_u: float | None
    exact: float | None  # F1, the mean over the pairs that marked the label
    overlap: float | None


def label_rows(result: dict[str, Any]) -> list[LabelRow]:
    """α_U of every entity label, with its F1 averaged over the pairs."""
    rows = []
    for label, alpha in result["alpha_u"]["per_label"].items():
        found = [pair["entities"]["per_label"][label] for pair in result["pairs"]
                 if label in pair["entities"]["per_label"]]
        rows.append(LabelRow(label, alpha, *(
            fmean(f[kind]["f1"] for f in found) if found else None
            for kind in ("exact", "overlap"))))
    return rows
