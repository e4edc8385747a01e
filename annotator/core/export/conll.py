"""CoNLL-2003-style IOB2 files for entities, the shape `python -m spacy convert` reads.

One `token TAG` line per token (IOB2: B-LABEL, I-LABEL, O), a blank line between sentences
and a `-DOCSTART- -X- O O` line before each document. Whitespace tokens (line breaks, runs
of spaces) are not written; whitespace inside a token (a non-breaking space) becomes `_` so
a line always has exactly two columns. Sentences end after `.`, `!` or `?` (and the closing
quotes or brackets that follow) and at line breaks, but never inside an entity.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annotator.core.export.hashed_file import SplitFiles
from annotator.core.schema import Schema

DOCSTART = "-DOCSTART- -X- O O"
_ENDS_SENTENCE = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]»")
_SPACE = re.compile(r"\s")


class ConllWriter:
    format = "conll"
    json_tokens = False
    suffix = ".conll"

    def __init__(self, folder: Path, schema: Schema):
        self.files = SplitFiles(folder, self.suffix)

    def write(self, split: str, record: dict[str, Any]) -> bool:
        if record["answer"] == "reject":
            return False
        self.files.write(split, record_to_conll(record).encode("utf-8"))
        return True

    def close(self) -> dict[Path, str]:
        return self.files.close()


def iob_tags(record: dict[str, Any]) -> list[str]:
    tags = ["O"] * len(record["tokens"])
    for span in record["spans"]:
        tags[span["token_start"]] = f"B-{span['label']}"
        for i in range(span["token_start"] + 1, span["token_end"] + 1):
            tags[i] = f"I-{span['label']}"
    return tags


def record_to_conll(record: dict[str, Any]) -> str:
    """One document: its DOCSTART line and its sentences."""
    lines = [DOCSTART, ""]
    sentence: list[str] = []
    closing = False  # the sentence has ended; only closing quotes/brackets may still join
    for token, tag in zip(record["tokens"], iob_tags(record)):
        word = token["text"]
        inside = tag.startswith("I-")
        if word.isspace():
            if "\n" in word and not inside and sentence:
                lines += [*sentence, ""]
                sentence, closing = [], False
            continue
        if closing and not inside and word not in _CLOSERS:
            lines += [*sentence, ""]
            sentence = []
        closing = word in _ENDS_SENTENCE or (closing and word in _CLOSERS)
        sentence.append(f"{_SPACE.sub('_', word)} {tag}")
    if sentence:
        lines += [*sentence, ""]
    return "\n".join(lines) + "\n"
