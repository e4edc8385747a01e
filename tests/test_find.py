"""Hits of a corpus search inside one article: the words the document list matched."""

from annotator.core.find import hits

TEXT = "Netanyahu said; netanyahu's aide. Anetanyahu met Syria's envoy, a Syrian."


def test_every_word_is_found_at_word_starts_ignoring_case():
    assert hits(TEXT, "NETANYAHU") == [(0, 9), (16, 25)]  # never inside "Anetanyahu"


def test_the_last_word_is_a_prefix_as_in_the_list_the_others_whole_words():
    syria, syrian = TEXT.index("Syria"), TEXT.index("Syrian")
    assert hits(TEXT, "syria") == [(syria, syria + 5), (syrian, syrian + 5)]
    assert hits(TEXT, "syria envo") == [(syria, syria + 5),
                                        (TEXT.index("envoy"), TEXT.index("envoy") + 4)]


def test_operators_and_punctuation_are_text_and_an_empty_query_finds_nothing():
    said, aide = TEXT.index("said"), TEXT.index("aide")
    assert hits(TEXT, 'said* OR "aide') == [(said, said + 4), (aide, aide + 4)]
    assert hits(TEXT, "") == hits(TEXT, " ,. ") == []


def test_annotation_terms_of_the_query_are_not_searched_as_words():
    envoy = TEXT.index("envoy")
    assert hits(TEXT, "label:GPE envoy state:accepted") == [(envoy, envoy + 5)]
    assert hits(TEXT, "label:said") == []
