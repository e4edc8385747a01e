"""spaCy `DocBin` (`.spacy`) files: what `python -m spacy train` reads.

Entities are `doc.ents`. Claims, their sources and their cues are the span groups
`claims`, `sources` and `cues` (a claim span's label is its type; a source that several
claims share is one span). The links between them live in `doc.user_data["claims"]`: one
dict per claim with indices into those groups, read back with `claims_of(doc)`. Document
labels become `doc.cats` as the record has them (`record.cats_scores`: `name=option`
categories, 1.0 for the chosen option, 0.0 for the others), the shape spaCy's text
classifiers train on. Reject records have no place in a
`Doc` and are left out.

A `DocBin` holds its documents in memory until it is serialised, and serialising takes
several times that again (about 110 KB per 600-word article at its peak), so a split of
more than `SHARD` documents is written as a folder of `.spacy` files of `SHARD` documents
each, named like the single file would be (`train.spacy/train-0000.spacy`, …): spaCy's
corpus reader takes the folder where it takes the file (`--paths.train out/train.spacy`),
and memory stays flat whatever the corpus size. Only the token attributes the export sets
are stored (text, spaces, entities): the default set is three times the memory and the bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from annotator.core.export.hashed_file import write_hashed
from annotator.core.schema import Schema

GROUPS = {"content": "claims", "source": "sources", "cue": "cues"}


SHARD = 1000  # documents per .spacy file of a split that needs more than one
ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"]  # what `record_to_doc` sets


class DocBinWriter:
    format = "spacy"
    json_tokens = False
    suffix = ".spacy"

    def __init__(self, folder: Path, schema: Schema):
        self.folder = folder  # `schema` is the writers' common signature: the records carry cats
        self.vocab = Vocab()
        self.bins: dict[str, DocBin] = {}
        self.shards: dict[str, int] = {}  # shards written so far, by split
        self.digests: dict[Path, str] = {}

    def write(self, split: str, record: dict[str, Any]) -> bool:
        if record["answer"] == "reject":
            return False
        docbin = self.bins.get(split)
        if docbin is None:
            docbin = self.bins[split] = DocBin(attrs=ATTRS, store_user_data=True)
        docbin.add(record_to_doc(self.vocab, record))
        if len(docbin) == SHARD:
            self._flush(split, sharded=True)
        return True

    def close(self) -> dict[Path, str]:
        for split in list(self.bins):
            self._flush(split, sharded=split in self.shards)
        return self.digests

    def _flush(self, split: str, *, sharded: bool) -> None:
        docbin = self.bins.pop(split)
        path = self.folder / f"{split}{self.suffix}"
        if sharded:
            number = self.shards[split] = self.shards.get(split, -1) + 1
            path.mkdir(exist_ok=True)
            path = path / f"{split}-{number:04d}{self.suffix}"
        self.digests[path] = write_hashed(path, docbin.to_bytes())


def record_to_doc(vocab: Vocab, record: dict[str, Any]) -> Doc:
    tokens = record["tokens"]
    doc = Doc(vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
    doc.ents = [Span(doc, s["token_start"], s["token_end"] + 1, label=s["label"])
                for s in record["spans"]]
    groups: dict[str, list[Span]] = {name: [] for name in GROUPS.values()}
    index: dict[tuple[str, int, int], int] = {}
    links = []
    for claim in record["claims"]:
        link: dict[str, Any] = {"id": claim["id"], "type": claim["type"],
                                "attributes": claim["attributes"]}
        for role, group in GROUPS.items():
            part = claim[role]
            if part is None:
                link[role] = None
                continue
            key = (group, part["start"], part["end"])
            if key not in index:
                label = claim["type"] if role == "content" else part["label"]
                index[key] = len(groups[group])
                groups[group].append(Span(doc, part["token_start"], part["token_end"] + 1,
                                          label=label))
            link[role] = index[key]
        links.append(link)
    for name, spans in groups.items():
        doc.spans[name] = spans
    doc.cats = dict(record["cats"])
    doc.user_data["claims"] = links
    doc.user_data["meta"] = record["meta"]
    doc.user_data["annotator"] = record["_annotator_id"]
    return doc


def claims_of(doc: Doc) -> list[dict[str, Any]]:
    """The claims of a Doc read back from a `.spacy` export, each role a `Span` or None."""
    out = []
    for link in doc.user_data.get("claims", []):
        claim = {"id": link["id"], "type": link["type"], "attributes": link["attributes"]}
        for role, group in GROUPS.items():
            claim[role] = None if link[role] is None else doc.spans[group][link[role]]
        out.append(claim)
    return out
