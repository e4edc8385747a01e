"""Suggestion quality: the model's entities and claims against the hand-annotated dev set.

`python -m benchmarks.suggest_quality [--model NAME] [--misses FILE]` runs
`annotator.core.suggest.suggest_text` on each article of tests/data/devset.jsonl, scores it
with `annotator.core.evaluate` and writes the "suggest_quality" section of docs/benchmarks.md.
`--misses FILE` also lists, for whoever improves the suggester, every gold claim not found,
every claim proposed that is not in the gold standard, content boundaries, types, sources and
cues that differ, and entity errors.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from annotator.core.evaluate import (ClaimScores, Counts, Ratio, Scores, matched_claims,
                                     parts_agree, read_devset, score_documents)
from annotator.core.schema import load_schema
from annotator.core.suggest import load_pipeline, model_key, suggest_text
from benchmarks._report import table, write_section

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "data" / "devset.jsonl"
SCHEMA = ROOT / "schemas" / "news.json"


def _f(value: float) -> str:
    return f"{value:.2f}"


def _prf(name: str, counts: Counts) -> list[object]:
    return [name, counts.gold, counts.predicted, counts.tp,
            _f(counts.precision), _f(counts.recall), _f(counts.f1)]


def _ratio(ratio: Ratio) -> str:
    return f"{_f(ratio.value)} ({ratio.hits}/{ratio.total})"


def report(scores: Scores, model: str, n_docs: int) -> str:
    entity_rows = [_prf(label, counts) for label, counts in scores.entities.items()]
    entity_rows.append(_prf("**micro**", scores.entities_micro))
    entity_rows.append(_prf("micro, overlapping boundaries", scores.entities_overlap))
    claims: ClaimScores = scores.claims
    return "\n\n".join([
        f"Suggestions of `{model.removeprefix('model:')}` on the hand-annotated dev set "
        f"(`tests/data/devset.jsonl`: {n_docs} seed articles, "
        f"{scores.entities_micro.gold} entities, {claims.overlap.gold} claims; "
        "conventions in `tests/data/devset/README.md`). Counts are summed over the articles. "
        "The claim rules and the cue lexicon were developed against these same five articles, "
        "so the claim figures are optimistic: a held-out test set is still to be annotated.",
        "**Entities** (exact match of start, end and label; the last row counts a same-label "
        "prediction that overlaps a gold entity, to show how many errors are boundaries only):",
        table(["label", "gold", "predicted", "correct", "precision", "recall", "F1"],
              entity_rows),
        "**Claims** (content span; overlap = sharing at least one character, paired one-to-one):",
        table(["match", "gold", "predicted", "correct", "precision", "recall", "F1"],
              [_prf("exact", claims.exact), _prf("overlap", claims.overlap)]),
        "Of the overlap-matched claims — source accuracy (predicted source overlaps the gold "
        "source, or both are absent): " + _ratio(claims.source) + "; cue accuracy (same rule "
        "for the cue): " + _ratio(claims.cue) + "; type accuracy (same claim type): "
        + _ratio(claims.type) + ".",
    ])


def _quote(text: str, part: dict | None, limit: int = 90) -> str:
    if part is None:
        return "—"
    snippet = text[part["start"]:part["end"]].replace("\n", " ")
    return repr(snippet if len(snippet) <= limit else snippet[:limit - 10] + " … " + snippet[-8:])


def misses(gold: dict, payload: dict) -> list[str]:
    """Lines for one article: claims missed or invented, then differences on found claims, then
    entity errors."""
    text, name = gold["text"], gold["meta"]["file"]
    pairs = matched_claims(gold["claims"], payload["claims"])
    found = {g for g, _ in pairs}
    used = {p for _, p in pairs}
    lines = []
    for i, claim in enumerate(gold["claims"]):
        if i not in found:
            lines.append(f"- MISSED {claim['type']} — source {_quote(text, claim['source'])}, "
                         f"cue {_quote(text, claim['cue'])}: {_quote(text, claim['content'])}")
    for j, claim in enumerate(payload["claims"]):
        if j not in used:
            lines.append(f"- EXTRA {claim['type']} — source {_quote(text, claim['source'])}, "
                         f"cue {_quote(text, claim['cue'])}: {_quote(text, claim['content'])}")
    for i, j in pairs:
        g, p = gold["claims"][i], payload["claims"][j]
        if (g["content"]["start"], g["content"]["end"]) != (p["content"]["start"],
                                                            p["content"]["end"]):
            lines.append(f"- BOUNDARY — gold {_quote(text, g['content'])}\n"
                         f"  predicted {_quote(text, p['content'])}")
        if g["type"] != p["type"]:
            lines.append(f"- TYPE — gold {g['type']}, predicted {p['type']}: "
                         f"{_quote(text, g['content'], 60)}")
        for part in ("source", "cue"):
            if not parts_agree(g[part], p[part]):
                lines.append(f"- WRONG {part.upper()} — gold {_quote(text, g[part])}, predicted "
                             f"{_quote(text, p[part])}: {_quote(text, g['content'], 60)}")
    gold_spans = Counter((s["start"], s["end"], s["label"]) for s in gold["spans"])
    predicted = Counter((s["start"], s["end"], s["label"]) for s in payload["spans"])
    for key in sorted((gold_spans - predicted) + (predicted - gold_spans)):
        kind = "missed entity" if key in gold_spans else "extra entity"
        lines.append(f"  - {kind} {key[2]} {text[key[0]:key[1]]!r}")
    return [f"### {name}", *lines] if lines else []


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suggest_quality",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="package name or pipeline directory (default: the "
                                        "project default)")
    parser.add_argument("--misses", type=Path, help="also write the list of errors here")
    args = parser.parse_args(argv)

    records = read_devset(DEVSET)
    schema = load_schema(SCHEMA)
    nlp = load_pipeline(args.model)
    payloads = [suggest_text(nlp, record["text"], schema) for record in records]
    scores = score_documents(zip(records, payloads))
    body = report(scores, model_key(nlp), len(records))
    write_section("suggest_quality", "Suggestion quality on the dev set", body)
    print(body)
    if args.misses:
        lines = [line for g, p in zip(records, payloads) for line in misses(g, p)]
        args.misses.write_text("# Suggestion errors on the dev set\n\n" + body + "\n\n"
                               + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"errors listed in {args.misses}")


if __name__ == "__main__":
    main()
