"""Token math read through spaCy's arrays: the same tokens as spaCy's own objects, split at
span edges inside a word, cached as the compressed JSONL `tokens` list and read back
unchanged, with span token indices found in that list."""

import orjson
import pytest

from annotator.core.tokens import (DocTokens, Token, aligned_tokens, doc_tokens, split_at,
                                   split_rows, token_dicts, token_table, tokenize, tokenizer,
                                   tokens_json)

TEXT = ("Israeli‑Syrian talks\tin “Paris”,\r\nthe U.S.-brokered deal 🙂 — "
        "said\u00a0Netanyahu’s office.  Done")


def test_tokenize_gives_spacys_own_tokens():
    expected = [Token(t.idx, t.idx + len(t.text), bool(t.whitespace_))
                for t in tokenizer()(TEXT)]
    assert tokenize(TEXT) == expected
    assert "".join(TEXT[t.start:t.end] + " " * t.ws for t in expected) == TEXT


def test_split_at_cuts_inside_a_word_and_only_the_last_piece_keeps_the_space():
    at = TEXT.index("Israeli‑Syrian")
    tokens, n_split = aligned_tokens(TEXT, [(at, at + 7), (at + 8, at + 14)])
    assert n_split == 2
    assert [TEXT[t.start:t.end] for t in tokens[:4]] == ["Israeli", "‑", "Syrian", "talks"]
    assert [t.ws for t in tokens[:3]] == [False, False, True]
    assert split_at(tokens, [at, at + 7]) == (tokens, 0)  # already boundaries: nothing cut


def test_split_rows_returns_the_same_sequences_when_nothing_is_cut():
    table = token_table(TEXT)
    rows = (table.starts, table.ends, table.ws)
    assert split_rows(rows, [0, len(TEXT)]) == (rows, 0)
    (starts, ends, ws), n_split = split_rows(rows, [1, 2])
    assert n_split == 2 and (starts[:3], ends[:3], ws[:3]) == ([0, 1, 2], [1, 2, 14], [0, 0, 1])
    assert starts[3:] == list(table.starts[1:]) and ws[3:] == list(table.ws[1:])


def test_cached_tokens_survive_their_blob_as_the_jsonl_tokens():
    made = doc_tokens(TEXT)
    again = DocTokens.from_blob(made.to_blob())
    assert again.json == made.json == tokens_json(TEXT, token_table(TEXT).rows)
    assert again.tokens() == made.tokens() == tokenize(TEXT)
    assert orjson.loads(again.json) == token_dicts(TEXT, again.table().rows) == [
        {"text": TEXT[t.start:t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(tokenize(TEXT))]


def test_the_cached_blob_is_compact():
    """zstd takes the JSON (some 60 bytes a token) to under a quarter, the offsets its
    numbers spell out being most of what is left."""
    text = " ".join(["The minister said on Tuesday that talks would resume in Geneva."] * 200)
    made = doc_tokens(text)
    assert len(made.to_blob()) < len(made.json) / 4
    assert DocTokens.from_blob(made.to_blob()).tokens() == made.tokens()


def test_empty_tokens_survive_their_blob():
    made = doc_tokens("")
    assert made.json == b"[]"
    assert DocTokens.from_blob(made.to_blob()).tokens() == []
    assert made.locator()(0, 0) is None


def test_a_span_is_located_in_the_json_only_on_token_boundaries():
    """Token indices read from the serialised list are those of the tokens themselves, also
    where a token's text looks like the JSON around it."""
    text = 'He said "start":3, "end":9, "id":1, then 12 "ws":true in Paris.' + " Go on." * 200
    locate = DocTokens.from_blob(doc_tokens(text).to_blob()).locator()
    found = tokenize(text)
    pairs = [(i, j) for i in range(len(found)) for j in range(i, min(i + 4, len(found)))]
    for i, j in pairs + pairs[::-1]:  # in text order, then back against it
        assert locate(found[i].start, found[j].end) == (i, j)
    assert locate(1, found[0].end) is None  # inside the first token
    assert locate(found[0].start, found[0].end + 1) is None  # into the space after
    assert locate(len(text) + 1, len(text) + 2) is None
    assert locate(found[-1].start, found[-1].end) == (len(found) - 1, len(found) - 1)
    assert locate(0, found[-1].end) == (0, len(found) - 1)  # a 1-digit start, a 4-digit end


@pytest.mark.parametrize("boundaries", [
    [1], [1, 2, 5], [len(TEXT) - 1], [3, 17, 40, 41, 60], list(range(0, len(TEXT), 3))])
def test_cut_rows_give_the_json_of_the_cut_tokens(boundaries):
    table = DocTokens.from_blob(doc_tokens(TEXT).to_blob()).table()
    rows, n_split = split_rows(table.rows, boundaries)
    assert n_split > 0
    expected, n_expected = split_at(tokenize(TEXT), boundaries)
    assert n_split == n_expected
    assert list(zip(rows[0], rows[1], map(bool, rows[2]))) == [(t.start, t.end, t.ws)
                                                               for t in expected]
    assert orjson.loads(tokens_json(TEXT, rows)) == [
        {"text": TEXT[t.start:t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(expected)]
