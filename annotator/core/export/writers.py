"""Where records go: one writer per format, each with one file per split.

Every writer takes the JSONL record (record.py) as its input, so the three formats can never
disagree about tokens, offsets or labels. Writers write into the export's temporary folder;
`run.py` renames it into place only when everything has been written and checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import orjson

from annotator.core.export.conll import ConllWriter
from annotator.core.export.hashed_file import SplitFiles
from annotator.core.schema import Schema


class Writer(Protocol):
    format: str
    suffix: str
    # True when the writer only serialises records with orjson, so their `tokens` may come
    # pre-serialised (`orjson.Fragment`, see record.py); False when it reads the tokens.
    json_tokens: bool

    def write(self, split: str, record: dict[str, Any]) -> bool:
        """Write one record to a split's file; False when the format has no place for it."""

    def close(self) -> dict[Path, str]:
        """Finish every file; return their SHA-256 by path (hashed as they were written)."""


class JsonlWriter:
    """One orjson line per record, written as it comes: memory stays flat."""

    format = "jsonl"
    suffix = ".jsonl"
    json_tokens = True

    def __init__(self, folder: Path, schema: Schema):
        self.files = SplitFiles(folder, self.suffix)

    def write(self, split: str, record: dict[str, Any]) -> bool:
        self.files.write(split, orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        return True

    def close(self) -> dict[Path, str]:
        return self.files.close()


def writer_for(fmt: str, folder: Path, schema: Schema) -> Writer:
    """The writer of a format. The DocBin writer is imported only when it is asked for: it
    loads spaCy (~0.5 s), which a JSONL or CoNLL export from cached tokens never needs, and
    every `annotator` command imports this package for its options."""
    if fmt == "spacy":
        from annotator.core.export.docbin import DocBinWriter

        return DocBinWriter(folder, schema)
    writers = {w.format: w for w in (JsonlWriter, ConllWriter)}
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; expected one of "
                         f"{sorted([*writers, 'spacy'])}")
    return writers[fmt](folder, schema)
