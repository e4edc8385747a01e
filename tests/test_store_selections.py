"""`store.selections.texts`, the lean read of the lint checks, on both backends: it chooses
the same sets as `documents` and brings their ids, texts and entities in text order."""

from __future__ import annotations

import pytest


def _finished(store, doc_id: str, annotator: str, spans, rejected=()) -> int:
    with store.transaction():
        aset = store.sets.ensure(doc_id, annotator, None)
        for start, end, label in spans:
            store.spans.add(aset.id, start, end, layer="entity", label=label, origin="human",
                            state="accepted")
        for start, end, label in rejected:
            store.spans.add(aset.id, start, end, layer="entity", label=label,
                            origin="model:x", state="rejected")
        store.sets.update(aset.id, status="done")
    return aset.id


@pytest.mark.parametrize("annotator", [None, "ana", "bob"])
def test_texts_choose_what_documents_choose(seeded, annotator):
    ids = seeded.documents.ids_in_order()
    _finished(seeded, ids[0], "ana", [(20, 25, "GPE"), (0, 6, "ORG")], [(8, 12, "ORG")])
    _finished(seeded, ids[0], "bob", [(0, 6, "PERSON")])
    _finished(seeded, ids[2], "bob", [(3, 9, "LOC")])
    with seeded.transaction():
        seeded.documents.set_curation(ids[2], "excluded", "off-topic")
    _finished(seeded, ids[1], "bob", [])
    texts = list(seeded.selections.texts(annotator, ("done",)))
    chosen = list(seeded.selections.documents(annotator, ("done",), tokens=False))
    assert [(t.doc_id, t.set_id, t.text, t.entities, t.rejected) for t in texts] == \
        [(c.doc.id, c.set_id, c.doc.text, c.entities, c.rejected) for c in chosen]
    expected = {None: [ids[0], ids[1]], "ana": [ids[0]], "bob": [ids[0], ids[1]]}[annotator]
    assert [t.doc_id for t in texts] == expected
    if annotator == "ana":
        assert texts[0].entities == [[0, 6, "ORG"], [20, 25, "GPE"]]
        assert texts[0].rejected == [[8, 12, "ORG"]]
