"""`store.agreement`, the reads agreement makes, on both backends: which documents are
compared, in pages, and what a finished set brings along."""

from __future__ import annotations

from agreement_data import add_document, annotate

from annotator.core.store.agreement import FinishedSet

TEXT = "Smith said the talks failed in Paris."


def test_documents_two_finished_in_pages_and_excluded_ones_left_out(store):
    ids = [add_document(store, f"Document {n} is about Paris.") for n in range(5)]
    for n, doc in enumerate(ids):
        annotate(store, doc, "alice")
        annotate(store, doc, "bob", status="done" if n != 1 else "in_progress")
        if n == 4:
            annotate(store, doc, "carol")
    with store.transaction():
        store.documents.set_curation(ids[3], "excluded", "off-topic")
    reads = store.agreement
    names = ["alice", "bob", "carol"]
    assert reads.count(names) == 3
    first = reads.documents(names, limit=2)
    rest = reads.documents(names, after=first[-1].num, limit=2)
    assert [d.id for d in first + rest] == [ids[0], ids[2], ids[4]]
    assert reads.documents(names, after=rest[-1].num) == []
    assert first[0].length == len("Document 0 is about Paris.")
    assert reads.count(["alice", "carol"]) == 1
    assert reads.finished_counts() == {"alice": 4, "bob": 3, "carol": 1}


def test_a_finished_set_brings_accepted_entities_claims_and_labels(store):
    doc = add_document(store, TEXT)
    at = TEXT.index
    annotate(store, doc, "alice", [(31, 36, "GPE"), (0, 5, "PERSON")],
             claims=[((at("the"), at(" in")), "indirect", (0, 5), (6, 10))],
             cats={"relevance": "relevant"})
    annotate(store, doc, "bob", [(0, 5, "PERSON")], claims=[
        ((at("talks"), at(" in")), "direct_quote", None, None)])
    with store.transaction():  # an undecided suggestion and a rejected one count for nothing
        bob = store.sets.find(doc, "bob")
        store.spans.add(bob.id, 31, 36, layer="entity", label="GPE", origin="model",
                        state="suggested")
        store.spans.add(bob.id, 11, 16, layer="entity", label="ORG", origin="model",
                        state="rejected")
    alice, bob = store.agreement.finished_sets([doc], ["alice", "bob"])
    assert alice == FinishedSet(doc, "alice", {"relevance": "relevant"},
                                [[0, 5, "PERSON"], [31, 36, "GPE"]],
                                [[at("the"), at(" in"), "indirect", 0, 5, 6, 10]])
    assert bob == FinishedSet(doc, "bob", {}, [[0, 5, "PERSON"]],
                              [[at("talks"), at(" in"), "direct_quote", None, None, None,
                                None]])
    assert store.agreement.finished_sets([doc], ["carol"]) == []
