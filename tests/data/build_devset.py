"""Build tests/data/devset.jsonl from the hand-annotated markup in tests/data/devset/*.ann.

Why markup: a reviewer reads each article with its annotations inline and checks them by eye,
instead of checking character offsets. The offsets are computed here, never typed by hand.
Conventions for annotators are in tests/data/devset/README.md.

Markup (the characters ``[ ] | { }`` do not occur in the seed articles):
- ``[Golan Heights|LOC]`` — an entity;
- ``{indirect3: ...}``, ``{direct_quote3: ...}``, ``{unattributed3: ...}`` — the content of
  claim 3, typed; ``{source3: ...}`` and ``{cue3: ...}`` — its source and cue. One source or
  cue shared by several claims lists them all: ``{source5,6: the statement}``.
Claim tags nest and may contain entities. The markup with every tag removed must equal the
seed article exactly (after newline normalisation); the builder refuses it otherwise.

Run: ``python tests/data/build_devset.py`` (from the repository root) rewrites the JSONL.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from annotator.core.identity import normalise_newlines

DATA = Path(__file__).resolve().parent
ROOT = DATA.parent.parent
SEEDS = ROOT / "seeds"
MARKUP = DATA / "devset"
OUTPUT = DATA / "devset.jsonl"

CLAIM_TYPES = ("direct_quote", "indirect", "unattributed")
_OPEN = re.compile(r"\{(direct_quote|indirect|unattributed|source|cue)(\d+(?:,\d+)*): ")
_LABEL = re.compile(r"\|([A-Z]+)\]")


class MarkupError(ValueError):
    """Markup that cannot be read; the message names the file and line."""


@dataclass
class _Tag:
    kind: str          # "entity", a claim type, "source" or "cue"
    ids: tuple[int, ...]
    start: int         # offset in the plain text
    line: int


def parse(markup: str, name: str) -> tuple[str, list[tuple[str, tuple[int, ...], int, int]]]:
    """Plain text and the tags found: (kind or label, claim ids, start, end)."""
    out: list[str] = []
    size = 0
    stack: list[_Tag] = []
    found: list[tuple[str, tuple[int, ...], int, int]] = []
    i, line = 0, 1

    def fail(message: str) -> None:
        raise MarkupError(f"{name}:{line}: {message}")

    while i < len(markup):
        c = markup[i]
        opening = _OPEN.match(markup, i) if c == "{" else None
        if opening:
            ids = tuple(int(x) for x in opening[2].split(","))
            stack.append(_Tag(opening[1], ids, size, line))
            i = opening.end()
        elif c == "}":
            if not stack or stack[-1].kind == "entity":
                fail("'}' closes nothing")
            tag = stack.pop()
            found.append((tag.kind, tag.ids, tag.start, size))
            i += 1
        elif c == "[":
            if any(t.kind == "entity" for t in stack):
                fail("an entity inside an entity")
            stack.append(_Tag("entity", (), size, line))
            i += 1
        elif c == "|":
            label = _LABEL.match(markup, i)
            if not label or not stack or stack[-1].kind != "entity":
                fail("'|' must end an entity as '|LABEL]'")
            found.append((label[1], (), stack.pop().start, size))
            i = label.end()
        elif c in "]{":
            fail(f"stray {c!r}")
        else:
            out.append(c)
            size += 1
            line += c == "\n"
            i += 1
    if stack:
        raise MarkupError(f"{name}:{stack[-1].line}: tag opened here is never closed")
    return "".join(out), found


def _part(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def record(seed: Path, markup_path: Path) -> dict:
    """One dev-set line: the seed's text with the markup's spans and claims as offsets."""
    name = markup_path.name
    text = normalise_newlines(seed.read_bytes().decode("utf-8-sig"))
    plain, tags = parse(markup_path.read_text(encoding="utf-8"), name)
    if plain != text:
        at = next((k for k, (a, b) in enumerate(zip(plain, text)) if a != b),
                  min(len(plain), len(text)))
        raise MarkupError(f"{name}:{plain.count(chr(10), 0, at) + 1}: text differs from "
                          f"{seed.name} at offset {at}: markup {plain[at:at + 30]!r} "
                          f"vs seed {text[at:at + 30]!r}")
    spans = sorted(({"start": s, "end": e, "label": kind, "text": text[s:e]}
                    for kind, ids, s, e in tags if not ids),
                   key=lambda span: (span["start"], span["end"]))
    parts: dict[int, dict] = {}
    for kind, ids, s, e in tags:
        for claim_id in ids:
            slot = "content" if kind in CLAIM_TYPES else kind
            claim = parts.setdefault(claim_id, {})
            if slot in claim:
                raise MarkupError(f"{name}: claim {claim_id} has two {slot} tags")
            claim[slot] = _part(text, s, e)
            if kind in CLAIM_TYPES:
                claim["type"] = kind
    claims = []
    for claim_id in sorted(parts):
        claim = parts[claim_id]
        if "content" not in claim:
            raise MarkupError(f"{name}: claim {claim_id} has no content tag")
        claims.append({"type": claim["type"], "content": claim["content"],
                       "source": claim.get("source"), "cue": claim.get("cue")})
    return {"text": text, "meta": {"file": seed.name}, "spans": spans, "claims": claims}


def build() -> list[dict]:
    """All dev-set records, one per seed article, in file-name order."""
    seeds = sorted(SEEDS.glob("*.txt"))
    missing = [s.name for s in seeds if not (MARKUP / f"{s.stem}.ann").exists()]
    if missing:
        raise MarkupError(f"no markup for seed(s): {', '.join(missing)}")
    return [record(seed, MARKUP / f"{seed.stem}.ann") for seed in seeds]


def dumps(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> int:
    try:
        records = build()
    except MarkupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    OUTPUT.write_text(dumps(records), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(records)} articles, "
          f"{sum(len(r['spans']) for r in records)} entities, "
          f"{sum(len(r['claims']) for r in records)} claims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
