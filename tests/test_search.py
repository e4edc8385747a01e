"""Full-text search: user input is always searched as text, never as FTS5 or tsquery syntax
(every test taking `seeded` runs on both backends)."""

import pytest

from annotator.core.store.search import fts_query, tsquery

HOSTILE = ['"a OR', "a OR", "NOT", "AND OR NOT", "*", '"', '""', "NEAR(a b)", "col:val",
           "^start", "a + b - c", "(((", ")", "Syria'", "title:Syria", "-", "\\", "'; DROP TABLE"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(seeded, query):
    assert isinstance(seeded.documents.search(query), list)
    assert isinstance(seeded.documents.ids_in_order(search=query), list)


def test_words_match_documents_and_operators_are_plain_words(seeded):
    assert len(seeded.documents.search("Netanyahu")) == 2
    assert seeded.documents.search("Netanyahu OR Kurdistan24") == []  # OR is a word, not a union
    assert len(seeded.documents.search("Kurdistan24")) == 1


def test_last_word_matches_as_a_prefix_while_typing(seeded):
    assert seeded.documents.search("Netany") == seeded.documents.search("Netanyahu")


def test_accents_are_folded(seeded):
    assert seeded.documents.search("Damascus") != []
    assert seeded.documents.search("Dámascus") == seeded.documents.search("Damascus")


def test_query_text_is_quoted_word_by_word():
    assert fts_query('"a OR') == '"a" "OR"*'
    assert fts_query("  ") == ""
    assert tsquery("'; DROP a:* & !b") == "'DROP' & 'a' & 'b':*"
    assert tsquery("  ") == ""


def test_a_pasted_paragraph_is_cut_to_its_first_distinct_words(seeded):
    from annotator.core.store.search import MAX_TERMS

    text = seeded.documents.text(seeded.documents.search("Kurdistan24")[0])
    long_query = " ".join([text] * 40)  # thousands of characters, words repeated
    query = fts_query(long_query)
    assert query.count('"') == 2 * MAX_TERMS and not query.endswith("*")
    assert seeded.documents.search(long_query) == seeded.documents.search("Kurdistan24")
    assert fts_query("Paris paris PARIS talks") == '"Paris" "talks"*'
