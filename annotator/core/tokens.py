"""Token math (docs/architecture.md, "Offsets"): tokens are derived data, spans are the truth.

Tokens come from spaCy's English tokenizer (rules only, no model). Spans that arrive from
outside keep their exact offsets; where a span boundary falls inside a token, the token is
split there (`Israeli‑Syrian` with a non-breaking hyphen is one spaCy token but two entities).
A user's selection snaps outward to whole tokens.

Tokens are read through spaCy's arrays rather than one Python object per spaCy token (several
times the cost of the tokenizer itself), and a document's tokens can be cached in the project
(`cached_tables`): a `TokenTable` holds them as compact arrays, stored deflated (about 3 bytes
a token); the JSONL export makes its `tokens` list from them (`tokens_json`). The cache row
names the tokenizer that made it (`tokenizer_key`), so a new spaCy version re-tokenizes
instead of trusting old rows.
"""

from __future__ import annotations

import bisect
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import orjson

from annotator.core.store.errors import StoreBusy, StoreReadOnly

LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    ws: bool  # followed by a space (spaCy's `whitespace_`), for the JSONL `tokens` field


class Misaligned(ValueError):
    """A span whose start or end is not a token boundary."""


@lru_cache(maxsize=1)
def tokenizer():
    """spaCy's rule-based English tokenizer (loaded once per process)."""
    import spacy

    return spacy.blank(LANGUAGE).tokenizer


@lru_cache(maxsize=1)
def tokenizer_key() -> str:
    """Names the tokenizer whose output a cache row holds: other rules, other tokens."""
    return f"spacy-{version('spacy')}/{LANGUAGE}"


@dataclass(frozen=True, slots=True, eq=False)
class TokenTable:
    """One document's tokens as parallel sequences: start, end, followed by a space."""

    starts: Sequence[int]
    ends: Sequence[int]
    ws: Sequence[int]

    @property
    def rows(self) -> Rows:
        return self.starts, self.ends, self.ws

    def tokens(self) -> list[Token]:
        return _token_list(self.rows)

    def to_blob(self) -> bytes:
        """The table for the cache: starts and ends as 32-bit little-endian integers, then
        one byte of `ws` per token, deflated (about 3 bytes a token; the §5 JSON the export
        makes from them is some 60 bytes a token)."""
        return zlib.compress(_int32(self.starts) + _int32(self.ends) + bytes(self.ws), 1)

    @classmethod
    def from_blob(cls, n_tokens: int, blob: bytes) -> TokenTable:
        """Read in place where the machine is little-endian: no list of offsets is made."""
        data = memoryview(zlib.decompress(blob))
        return cls(_offsets(data[:4 * n_tokens]), _offsets(data[4 * n_tokens:8 * n_tokens]),
                   data[8 * n_tokens:])


def _int32(values: Sequence[int]) -> bytes:
    packed = array("i", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def _offsets(data: memoryview) -> Sequence[int]:
    if sys.byteorder == "little":
        return data.cast("i")
    values = array("i", data.tobytes())
    values.byteswap()
    return values


Rows = tuple[Sequence[int], Sequence[int], Sequence[int]]  # starts, ends, ws


def token_dicts(text: str, rows: Rows) -> list[dict[str, Any]]:
    """The JSONL `tokens` field (docs/architecture.md, "Imports and exports") of a table's
    rows, built in one flat comprehension (an export makes hundreds a document)."""
    starts, ends, ws = rows
    return [{"text": text[start:end], "start": start, "end": end, "id": i, "ws": space == 1}
            for i, start, end, space in zip(range(len(starts)), starts, ends, ws)]


def tokens_json(text: str, rows: Rows) -> bytes:
    """The JSONL `tokens` field serialised: what an export writes of a table's rows."""
    return orjson.dumps(token_dicts(text, rows))


def cache_rows_of(texts: Sequence[str]) -> list[tuple[int, bytes]]:
    """(n_tokens, offsets) cache rows of texts tokenized now: work for another process."""
    return [(len(table.ws), table.to_blob()) for table in map(token_table, texts)]


def _bounds(text: str) -> tuple[list[int], list[int], list[int]]:
    from spacy.attrs import IDX, LENGTH, SPACY

    rows = tokenizer()(text).to_array([IDX, LENGTH, SPACY])
    starts = rows[:, 0]
    return starts.tolist(), (starts + rows[:, 1]).tolist(), rows[:, 2].tolist()


def _token_list(rows: Rows) -> list[Token]:
    starts, ends, ws = rows
    return [Token(s, e, bool(w)) for s, e, w in zip(starts, ends, ws)]


def tokenize(text: str) -> list[Token]:
    return _token_list(_bounds(text))


def token_table(text: str) -> TokenTable:
    """Tokenize `text` into a table (no cache: see `cached_tables`)."""
    return TokenTable(*_bounds(text))


def table_from_cache(tokenizer: str | None, n_tokens: int | None, blob: bytes | None,
                     text: str) -> TokenTable:
    """The table of a token cache row (its tokenizer, token count and blob) when the
    current tokenizer made it; otherwise `text` tokenized now."""
    if blob is not None and n_tokens is not None and tokenizer == tokenizer_key():
        return TokenTable.from_blob(n_tokens, blob)
    return token_table(text)


def read_tables(store: Any, docs: Sequence[Any]) -> dict[str, TokenTable]:
    """Token tables of documents (anything with `.id` and `.text`), by id: from the
    project's token cache, the missing ones tokenized now and not cached — for readers that
    must not write (the window's UI thread, an export inside its read snapshot)."""
    found = _cached(store, docs)
    return found | {d.id: token_table(d.text) for d in docs if d.id not in found}


def cached_tables(store: Any, docs: Sequence[Any]) -> dict[str, TokenTable]:
    """Token tables of documents (anything with `.id` and `.text`), by id: read from the
    project's token cache, the missing ones tokenized and cached in one transaction.

    A read-only project, or one whose file is locked by a long writer, still gets its
    tables, only uncached: the cache speeds work up, it never stops it."""
    found = _cached(store, docs)
    missing = {d.id: token_table(d.text) for d in docs if d.id not in found}
    keep(store, [(doc_id, len(table.ws), table.to_blob()) for doc_id, table in missing.items()])
    return found | missing


def keep(store: Any, rows: Sequence[tuple[str, int, bytes]]) -> None:
    """Cache (doc_id, n_tokens, offsets) rows made by the current tokenizer, in one
    transaction, unless the project is read-only or locked by a long writer."""
    if not rows or store.read_only:
        return
    try:
        with store.transaction():
            store.tokens.put_many(tokenizer_key(), rows)
    except (StoreBusy, StoreReadOnly):
        pass


def _cached(store: Any, docs: Sequence[Any]) -> dict[str, TokenTable]:
    return {doc_id: TokenTable.from_blob(n, blob) for doc_id, (n, blob)
            in store.tokens.get_many([d.id for d in docs], tokenizer_key()).items()}


def _cuts(starts: Sequence[int], ends: Sequence[int], boundaries: Iterable[int]
          ) -> dict[int, list[int]]:
    """The boundaries strictly inside a token, sorted, by token index (in order)."""
    cuts: dict[int, list[int]] = {}
    for boundary in set(boundaries):
        i = bisect.bisect_right(starts, boundary) - 1
        if i >= 0 and starts[i] < boundary < ends[i]:
            cuts.setdefault(i, []).append(boundary)
    return {i: sorted(cuts[i]) for i in sorted(cuts)}


def _pieces(rows: Rows, i: int, cut: list[int]) -> Rows:
    """Token `i` cut at `cut`: only the last piece keeps the space after the token."""
    starts, ends, ws = rows
    edges = [starts[i], *cut, ends[i]]
    return edges[:-1], edges[1:], [0] * len(cut) + [ws[i]]


def _cut_rows(rows: Rows, cuts: dict[int, list[int]]) -> Rows:
    out: Rows = ([], [], [])
    done = 0
    for i, cut in cuts.items():
        for column, kept, added in zip(out, rows, _pieces(rows, i, cut)):
            column += kept[done:i]
            column += added
        done = i + 1
    for column, kept in zip(out, rows):
        column += kept[done:]
    return out


def split_rows(rows: Rows, boundaries: Iterable[int]) -> tuple[Rows, int]:
    """Cut the tokens (start, end and ws sequences) at every boundary that falls strictly
    inside one. Returns the rows (the same sequences when nothing is cut) and the number
    of cuts."""
    cuts = _cuts(rows[0], rows[1], boundaries)
    if not cuts:
        return rows, 0
    return _cut_rows(rows, cuts), sum(map(len, cuts.values()))


def split_at(tokens: Sequence[Token], boundaries: Iterable[int]) -> tuple[list[Token], int]:
    """Split tokens at every boundary that falls strictly inside one; return (tokens, splits)."""
    rows = ([t.start for t in tokens], [t.end for t in tokens], [t.ws for t in tokens])
    split, n_split = split_rows(rows, boundaries)
    return _token_list(split), n_split


def aligned_tokens(text: str, spans: Iterable[tuple[int, int]]) -> tuple[list[Token], int]:
    """Tokens of `text` split so that every (start, end) falls on token boundaries."""
    return split_at(tokenize(text), (b for span in spans for b in span))


def snap(text: str, tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """Grow a character range outward to whole tokens, leaving out whitespace tokens at
    either edge; None if the range covers no word at all."""
    if not tokens or end <= start:
        return None
    first = bisect.bisect_right([t.end for t in tokens], start)   # first token ending after start
    last = bisect.bisect_left([t.start for t in tokens], end) - 1  # last token starting before end
    while first <= last and text[tokens[first].start:tokens[first].end].isspace():
        first += 1
    while last >= first and text[tokens[last].start:tokens[last].end].isspace():
        last -= 1
    if first > last:
        return None
    return tokens[first].start, tokens[last].end


def token_range(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """(token_start, token_end inclusive) of a span that lies on token boundaries."""
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    i = bisect.bisect_left(starts, start)
    j = bisect.bisect_left(ends, end)
    if i >= len(tokens) or starts[i] != start or j >= len(tokens) or ends[j] != end or j < i:
        raise Misaligned(f"span {start}:{end} does not start and end on token boundaries")
    return i, j


def is_aligned(tokens: Sequence[Token], start: int, end: int) -> bool:
    try:
        token_range(tokens, start, end)
    except Misaligned:
        return False
    return True
