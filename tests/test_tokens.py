"""Token math read through spaCy's arrays: the same tokens as spaCy's own objects, split at
span edges inside a word, stored in the cache's blobs and read back unchanged."""

import orjson
import pytest

from annotator.core.tokens import (Token, TokenTable, aligned_tokens, split_at, split_rows,
                                   token_dicts, token_table, tokenize, tokenizer)

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


def test_a_table_survives_its_blobs_and_holds_the_jsonl_tokens():
    table = token_table(TEXT)
    blobs = table.to_blobs()
    assert len(blobs[0]) == len(blobs[1]) == 4 * len(blobs[2])
    again = TokenTable.from_blobs(*blobs)
    assert again.tokens() == table.tokens() == tokenize(TEXT)
    rows = zip(again.starts, again.ends, again.ws)
    assert orjson.loads(again.json) == token_dicts(TEXT, rows) == [
        {"text": TEXT[t.start:t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(tokenize(TEXT))]


@pytest.mark.parametrize("boundaries", [
    [1], [1, 2, 5], [len(TEXT) - 1], [3, 17, 40, 41, 60], list(range(0, len(TEXT), 3))])
def test_a_cut_table_gives_the_json_of_its_cut_rows(boundaries):
    """Only the cut tokens are serialised again; every later id is renumbered."""
    table = TokenTable.from_blobs(*token_table(TEXT).to_blobs())
    (starts, ends, ws), json, n_split = table.split(TEXT, boundaries)
    assert n_split > 0
    assert json == orjson.dumps(token_dicts(TEXT, zip(starts, ends, ws)))
    expected, n_expected = split_at(tokenize(TEXT), boundaries)
    assert n_split == n_expected
    assert list(zip(starts, ends, map(bool, ws))) == [(t.start, t.end, t.ws) for t in expected]


def test_an_uncut_table_gives_its_own_json():
    table = token_table(TEXT)
    assert table.split(TEXT, [0, 14, len(TEXT)]) == ((table.starts, table.ends, table.ws),
                                                     table.json, 0)
