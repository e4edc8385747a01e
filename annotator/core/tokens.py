"""Token math (docs/architecture.md, "Offsets"): tokens are derived data, spans are the truth.

Tokens come from spaCy's English tokenizer (rules only, no model). Spans that arrive from
outside keep their exact offsets; where a span boundary falls inside a token, the token is
split there (`Israeli‑Syrian` with a non-breaking hyphen is one spaCy token but two entities).
A user's selection snaps outward to whole tokens.

Tokens are read through spaCy's arrays rather than one Python object per spaCy token (several
times the cost of the tokenizer itself), and a document's tokens can be cached in the project
(`cached_tables`): a `TokenTable` holds them as compact arrays and, for the JSONL export, as
the JSONL record's `tokens` list already serialised, so an export embeds them instead of
rebuilding some 700 objects per article. The cache row names the tokenizer that made it
(`tokenizer_key`), so a new spaCy version re-tokenizes instead of trusting old rows.
"""

from __future__ import annotations

import bisect
import re
import sys
import threading
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
    """One document's tokens as parallel sequences (start, end, followed by a space), and
    as the JSONL `tokens` list already serialised."""

    starts: Sequence[int]
    ends: Sequence[int]
    ws: Sequence[int]
    json: bytes

    def tokens(self) -> list[Token]:
        return _token_list((self.starts, self.ends, self.ws))

    def split(self, text: str, boundaries: Iterable[int]) -> tuple[Rows, bytes, int]:
        """`split_at` on the table: (starts, ends, ws) cut at every boundary inside a token,
        their JSONL tokens and the number of cuts; the table's own when nothing is cut."""
        rows = (self.starts, self.ends, self.ws)
        cuts = _cuts(self.starts, self.ends, boundaries)
        if not cuts:
            return rows, self.json, 0
        return _cut_rows(rows, cuts), self._cut_json(text, cuts), sum(map(len, cuts.values()))

    def _cut_json(self, text: str, cuts: dict[int, list[int]]) -> bytes:
        """The cached JSON with each cut token replaced by its pieces and the ids after it
        renumbered: only the pieces are serialised again. (In orjson's output `"id":` and
        `{"text":` can only be keys: a quote inside a string is escaped.)"""
        json, rows = self.json, (self.starts, self.ends, self.ws)
        out, done, shift, kept = [], 0, 0, 0  # kept: the first token not yet copied
        for i, cut in cuts.items():
            at = json.index(b',"id":%d,' % i, done)
            start = json.rindex(b'{"text":', done, at)
            out.append(_renumber(json[done:start], kept + shift) if shift else json[done:start])
            out.append(orjson.dumps(token_dicts(text, zip(*_pieces(rows, i, cut)),
                                                first=i + shift))[1:-1])
            shift += len(cut)
            done, kept = json.index(b"}", at) + 1, i + 1
        out.append(_renumber(json[done:], kept + shift))
        return b"".join(out)

    def to_blobs(self) -> tuple[bytes, bytes, bytes, bytes]:
        """(starts, ends, ws, json) for the cache: 32-bit little-endian offsets."""
        return _offset_bytes(self.starts), _offset_bytes(self.ends), bytes(self.ws), self.json

    @classmethod
    def from_blobs(cls, starts: bytes, ends: bytes, ws: bytes, json: bytes) -> TokenTable:
        return cls(_offsets(starts), _offsets(ends), ws, json)


Rows = tuple[Sequence[int], Sequence[int], Sequence[int]]  # starts, ends, ws


def _offset_bytes(values: Sequence[int]) -> bytes:
    packed = array("i", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def _offsets(blob: bytes) -> Sequence[int]:
    """Offsets read in place where the machine is little-endian (no copy)."""
    if sys.byteorder == "little":
        return memoryview(blob).cast("i")
    values = array("i")
    values.frombytes(blob)
    values.byteswap()
    return values


def token_dicts(text: str, rows: Iterable[tuple[int, int, Any]], first: int = 0
                ) -> list[dict[str, Any]]:
    """JSONL `tokens` (docs/architecture.md) of (start, end, ws) rows, ids from `first`."""
    return [{"text": text[start:end], "start": start, "end": end, "id": i, "ws": bool(ws)}
            for i, (start, end, ws) in enumerate(rows, first)]


_ID = re.compile(rb',"id":(\d+),')
_ID_FIELDS: list[bytes] = []  # b',"id":<k>,' for k = 0, 1, …, made once per process
_ID_FIELDS_GROWING = threading.Lock()  # exports may run on two threads


def _renumber(json: bytes, first: int) -> bytes:
    """Consecutive token objects in serialised JSON, their ids set to first, first + 1, …"""
    parts = _ID.split(json)  # before, id, between, id, …, after
    last = first + len(parts) // 2
    if len(_ID_FIELDS) < last:
        with _ID_FIELDS_GROWING:
            _ID_FIELDS.extend([b',"id":%d,' % k for k in range(len(_ID_FIELDS), last)])
    parts[1::2] = _ID_FIELDS[first:last]
    return b"".join(parts)


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
    starts, ends, ws = _bounds(text)
    return TokenTable(starts, ends, ws, orjson.dumps(token_dicts(text, zip(starts, ends, ws))))


def table_from_cache(tokenizer: str | None, blobs: Sequence[bytes] | None,
                     text: str) -> TokenTable:
    """The table of a token cache row (its tokenizer and its blobs) when the current
    tokenizer made it; otherwise `text` tokenized now."""
    if blobs is not None and tokenizer == tokenizer_key():
        return TokenTable.from_blobs(*blobs)
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
    if missing and not store.read_only:
        try:
            with store.transaction():
                store.tokens.put_many(tokenizer_key(), ((doc_id, *table.to_blobs())
                                                        for doc_id, table in missing.items()))
        except (StoreBusy, StoreReadOnly):
            pass
    return found | missing


def _cached(store: Any, docs: Sequence[Any]) -> dict[str, TokenTable]:
    return {doc_id: TokenTable.from_blobs(*blobs) for doc_id, blobs
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
