"""Full-text search: user input is always searched as text, never as FTS5 or tsquery syntax
(every test taking `seeded` runs on both backends)."""

import pytest

from annotator.core.store.search import fts_query, tsquery

HOSTILE = ['"a OR', "a OR", "NOT", "AND OR NOT", "*", '"', '""', "NEAR(a b)", "col:val",
           "^start", "a + b - c", "(((", ")", "Syria'", "title:Syria", "-", "\\", "'; DROP TABLE"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(seeded, query):
    """Never an SQL error: a list, or for a key:value term that is no search key (`col:val`)
    the sentence naming it."""
    from annotator.core.store.search import QueryError

    assert isinstance(seeded.documents.search(query), list)
    try:
        assert isinstance(seeded.documents.ids_in_order(search=query), list)
    except QueryError as exc:
        assert str(exc).startswith(f"unknown search key '{query.split(':')[0]}:'")


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


# -- annotation terms: label:ORG state:suggested annotator:alice origin:pattern -------------

def _annotate(store, doc_id, annotator, word, label, state="accepted", origin="human"):
    from annotator.core.project import current_schema

    set_id = store.sets.ensure(doc_id, annotator, current_schema(store).hash).id
    at = store.documents.text(doc_id).index(word)
    store.spans.add(set_id, at, at + len(word), layer="entity", label=label, origin=origin,
                    state=state)


@pytest.fixture
def annotated(seeded):
    ids = seeded.documents.ids_in_order()
    netanyahu = seeded.documents.search("Netanyahu")
    with seeded.transaction():
        _annotate(seeded, netanyahu[0], "alice", "Netanyahu", "PERSON", "suggested",
                  "model:en_core_web_sm@3.8.0")
        _annotate(seeded, netanyahu[1], "alice", "Netanyahu", "ORG", "accepted", "pattern")
        _annotate(seeded, ids[0], "bob", "Syria", "GPE", "rejected", "model:x@1")
    return seeded, ids, netanyahu


def test_a_search_names_annotations_alone_or_with_words(annotated):
    store, ids, (first, second) = annotated
    alice = lambda text: store.documents.ids_in_order(search=text, annotator="alice")  # noqa
    in_order = lambda *docs: [d for d in ids if d in docs]  # noqa: E731
    assert alice("label:ORG") == [second]
    assert alice("label:org") == [second]  # labels are upper case whatever is typed
    assert alice("label:PERSON state:suggested") == [first]
    assert alice("label:PERSON state:accepted") == []  # one annotation holds every term
    assert alice("origin:pattern") == [second]
    assert alice("origin:model") == [first]
    assert alice("annotator:alice") == in_order(first, second)
    assert alice("netanyahu state:suggested") == [first]
    assert alice("Kurdistan24") == [ids[0]]
    assert alice("Kurdistan24 label:ORG") == []  # the words match, no ORG of alice's there
    assert alice("Kurdistan24 annotator:bob") == [ids[0]]
    assert alice("annotator:bob state:rejected origin:model") == [ids[0]]
    assert alice("label:GPE") == []  # bob's GPE: the searching annotator's own by default
    assert store.documents.ids_in_order(search="label:GPE", annotator="bob") == [ids[0]]
    assert alice("label:claim") == []


@pytest.mark.parametrize("query, named", [
    ("lable:ORG", "unknown search key 'lable:' — the known keys are label:, state:, "
                  "annotator:, origin:"),
    ("state:maybe", "'state:maybe' is not known — state is one of suggested, accepted, "
                    "rejected"),
    ("origin:robot", "'origin:robot' is not known — origin is one of model, pattern, human"),
    ("label: ORG", "'label:' needs a value, e.g. label:ORG"),
    ("label:ORG label:GPE", "'label:' is given twice (ORG, GPE); one annotation has one of each"),
])
def test_a_term_named_wrongly_gets_one_sentence_naming_it(seeded, query, named):
    from annotator.core.store.search import QueryError

    with pytest.raises(QueryError) as raised:
        seeded.documents.ids_in_order(search=query, annotator="alice")
    assert str(raised.value) == named


@pytest.mark.parametrize("value", ["'; DROP TABLE spans; --", "%", "_", "ORG' OR '1'='1",
                                   "\\", "*", "ORG)", "a" * 5000])
def test_hostile_values_are_bound_never_spliced(annotated, value):
    store, ids, _ = annotated
    for key in ("label", "annotator"):
        assert store.documents.ids_in_order(search=f"{key}:{value}", annotator="alice") == []
    assert store.documents.count() == len(ids)
