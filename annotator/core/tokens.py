"""Token math (docs/architecture.md, "Offsets"): tokens are derived data, spans are the truth.

Tokens come from spaCy's English tokenizer (rules only, no model). Spans that arrive from
outside keep their exact offsets; where a span boundary falls inside a token, the token is
split there (`Israeli‑Syrian` with a non-breaking hyphen is one spaCy token but two entities).
A user's selection snaps outward to whole tokens.

Tokens are read through spaCy's arrays rather than one Python object per spaCy token (several
times the cost of the tokenizer itself), and a document's tokens can be cached in the project
(`cached_tables`) as the JSONL `tokens` list itself, serialised and zstd-compressed (about
12 bytes a token, a fifth of the JSON): an export embeds those bytes as they are
(`DocTokens`), since making the list again costs more than the rest of an export. The cache
row names the tokenizer that made it (`tokenizer_key`), so a new spaCy version re-tokenizes
instead of trusting old rows.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import orjson
import zstandard

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

    @classmethod
    def from_json(cls, data: bytes) -> TokenTable:
        """The table of a serialised `tokens` list (`tokens_json`)."""
        tokens = orjson.loads(data)
        return cls([t["start"] for t in tokens], [t["end"] for t in tokens],
                   [int(t["ws"]) for t in tokens])


@dataclass(frozen=True, slots=True, eq=False)
class DocTokens:
    """A document's tokens as its JSONL `tokens` list serialised (`json`), which an export
    embeds as it is, with the table when it was just made (otherwise parsed on demand: the
    window, and an export whose span edges cut a token)."""

    json: bytes
    made: TokenTable | None = None

    def table(self) -> TokenTable:
        return self.made if self.made is not None else TokenTable.from_json(self.json)

    def tokens(self) -> list[Token]:
        return self.table().tokens()

    def locator(self) -> Locate:
        """Finds (first, last) token indices of a span start:end, or None unless a token
        starts at `start` and one ends at `end`, in the serialised list without parsing it:
        `"start":S,` and `"end":E,` occur at most once there (a token's own text is escaped,
        so it never holds `"start":`), and a token's `"id"` follows its `"end"`. Each search
        starts where the last one found its token (a record's spans come in text order)."""
        data, hint = self.json, 0

        def locate(start: int, end: int) -> tuple[int, int] | None:
            nonlocal hint
            first = b'"start":%d,"end":' % start
            at = data.find(first, hint)
            if at < 0 and (at := data.find(first, 0, hint + len(first))) < 0:
                return None
            hint = at
            last = b'"end":%d,"id":' % end
            until = data.find(last, at)
            if until < 0:
                return None
            return _id_at(data, data.index(b'"id":', at + len(first)) + 5), \
                _id_at(data, until + len(last))

        return locate

    def to_blob(self) -> bytes:
        """The cache row: `json` zstd-compressed at level 1, smaller and quicker than level 3
        on these lists (docs/benchmarks.md)."""
        return _zstd.compressor.compress(self.json)

    @classmethod
    def from_blob(cls, blob: bytes) -> DocTokens:
        return cls(_zstd.decompressor.decompress(blob))


def _id_at(data: bytes, at: int) -> int:
    return int(data[at:data.index(b",", at)])


class _Zstd(threading.local):
    """zstd contexts, one pair per thread: a context is not for two threads at once (the
    window's and an export's)."""

    def __init__(self) -> None:
        self.compressor = zstandard.ZstdCompressor(level=1)
        self.decompressor = zstandard.ZstdDecompressor()


_zstd = _Zstd()


Rows = tuple[Sequence[int], Sequence[int], Sequence[int]]  # starts, ends, ws
Locate = Callable[[int, int], tuple[int, int] | None]  # (start, end) -> token indices


def token_dicts(text: str, rows: Rows) -> list[dict[str, Any]]:
    """The JSONL `tokens` field (docs/architecture.md, "Imports and exports") of a table's
    rows, built in one flat comprehension (an export makes hundreds a document)."""
    starts, ends, ws = rows
    return [{"text": text[start:end], "start": start, "end": end, "id": i, "ws": space == 1}
            for i, start, end, space in zip(range(len(starts)), starts, ends, ws)]


def tokens_json(text: str, rows: Rows) -> bytes:
    """The JSONL `tokens` field serialised: what an export writes of a table's rows."""
    return orjson.dumps(token_dicts(text, rows))


def doc_tokens(text: str) -> DocTokens:
    """Tokenize `text` now (no cache: see `cached_tables`)."""
    table = token_table(text)
    return DocTokens(tokens_json(text, table.rows), table)


def cache_rows_of(texts: Sequence[str]) -> list[bytes]:
    """Cache rows of texts tokenized now, their JSON made and compressed: work for another
    process (it is most of a first export's work, and the rows are small to send back)."""
    return [doc_tokens(text).to_blob() for text in texts]


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


def from_cache_page(rows: Sequence[tuple[str | None, bytes | None, str]]) -> list[DocTokens]:
    """The tokens of a page of cache rows (tokenizer, blob, text): the rows the current
    tokenizer made unpacked in one zstd call, which holds no GIL however many rows there are
    (an export unpacks the next page on a thread of its own while it writes this one); the
    others' texts tokenized now."""
    key = tokenizer_key()
    cached = [i for i, (tokenizer, blob, _) in enumerate(rows)
              if blob is not None and tokenizer == key]
    unpacked = _zstd.decompressor.multi_decompress_to_buffer(
        [rows[i][1] for i in cached], threads=1) if cached else ()
    found = {i: DocTokens(unpacked[n].tobytes()) for n, i in enumerate(cached)}
    return [found[i] if i in found else doc_tokens(text) for i, (_, _, text) in enumerate(rows)]


def read_tables(store: Any, docs: Sequence[Any]) -> dict[str, DocTokens]:
    """Tokens of documents (anything with `.id` and `.text`), by id: from the project's
    token cache, the missing ones tokenized now and not cached — for readers that must not
    write (the window's UI thread, an export inside its read snapshot)."""
    found = _cached(store, docs)
    return found | {d.id: doc_tokens(d.text) for d in docs if d.id not in found}


def cached_tables(store: Any, docs: Sequence[Any]) -> dict[str, DocTokens]:
    """Tokens of documents (anything with `.id` and `.text`), by id: read from the
    project's token cache, the missing ones tokenized and cached in one transaction.

    A read-only project, or one whose file is locked by a long writer, still gets its
    tokens, only uncached: the cache speeds work up, it never stops it."""
    found = _cached(store, docs)
    missing = {d.id: doc_tokens(d.text) for d in docs if d.id not in found}
    keep(store, [(doc_id, tokens.to_blob()) for doc_id, tokens in missing.items()])
    return found | missing


def keep(store: Any, rows: Sequence[tuple[str, bytes]]) -> bool:
    """Cache (doc_id, blob) rows made by the current tokenizer, in one transaction, unless
    the project is read-only or locked by a long writer; whether they were kept."""
    if store.read_only:
        return False
    if not rows:
        return True
    try:
        with store.transaction():
            store.tokens.put_many(tokenizer_key(), rows)
    except (StoreBusy, StoreReadOnly):
        return False
    return True


def _cached(store: Any, docs: Sequence[Any]) -> dict[str, DocTokens]:
    return {doc_id: DocTokens.from_blob(blob) for doc_id, blob
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
