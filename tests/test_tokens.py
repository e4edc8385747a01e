"""Token math read through spaCy's arrays: the same tokens as spaCy's own objects, split at
span edges inside a word, stored in the cache's compact blob and read back unchanged."""

import orjson
import pytest

from annotator.core.tokens import (Token, TokenTable, aligned_tokens, split_at, split_rows,
                                   token_dicts, token_table, tokenize, tokenizer,
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


def test_a_table_survives_its_blob_and_makes_the_jsonl_tokens():
    table = token_table(TEXT)
    again = TokenTable.from_blob(len(table.ws), table.to_blob())
    assert again.tokens() == table.tokens() == tokenize(TEXT)
    made = tokens_json(TEXT, again.rows)
    assert orjson.loads(made) == token_dicts(TEXT, again.rows) == [
        {"text": TEXT[t.start:t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(tokenize(TEXT))]


def test_the_cached_blob_is_compact():
    """Offsets deflated: under 3 bytes a token for this prose (9 raw)."""
    text = " ".join(["The minister said on Tuesday that talks would resume in Geneva."] * 200)
    table = token_table(text)
    assert len(table.to_blob()) < 3 * len(table.ws)
    assert TokenTable.from_blob(len(table.ws), table.to_blob()).tokens() == table.tokens()


def test_an_empty_table_survives_its_blob():
    table = token_table("")
    assert TokenTable.from_blob(0, table.to_blob()).tokens() == []
    assert tokens_json("", table.rows) == b"[]"


@pytest.mark.parametrize("boundaries", [
    [1], [1, 2, 5], [len(TEXT) - 1], [3, 17, 40, 41, 60], list(range(0, len(TEXT), 3))])
def test_cut_rows_give_the_json_of_the_cut_tokens(boundaries):
    table = TokenTable.from_blob(len(token_table(TEXT).ws), token_table(TEXT).to_blob())
    rows, n_split = split_rows(table.rows, boundaries)
    assert n_split > 0
    expected, n_expected = split_at(tokenize(TEXT), boundaries)
    assert n_split == n_expected
    assert list(zip(rows[0], rows[1], map(bool, rows[2]))) == [(t.start, t.end, t.ws)
                                                               for t in expected]
    assert orjson.loads(tokens_json(TEXT, rows)) == [
        {"text": TEXT[t.start:t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(expected)]
