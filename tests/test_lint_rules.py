"""Consistency checks (`annotator lint`) on small hand-made cases, and their fixes as one
undoable step (every test taking `seeded` runs on both backends)."""

from __future__ import annotations

from dataclasses import asdict

import orjson
import pytest

from annotator.cli import main
from annotator.core.curate.fixes import fix_finding
from annotator.core.curate.lint import _Finder, lint
from annotator.core.errors import OpError
from annotator.core.session import Session

ANA = Session("ana")


def _finished(store, doc_id: str, spans=(), annotator: str = "ana") -> int:
    """`annotator`'s finished set of a document holding accepted entities (start, end, label)
    — made directly, as an import of finished work would."""
    with store.transaction():
        aset = store.sets.ensure(doc_id, annotator, None)
        for start, end, label in spans:
            store.spans.add(aset.id, start, end, layer="entity", label=label, origin="human",
                            state="accepted")
        store.sets.update(aset.id, status="done")
    return aset.id


def _at(store, doc_id: str, words: str, nth: int = 0) -> tuple[int, int]:
    text, start = store.documents.text(doc_id), -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


@pytest.fixture
def docs(seeded):
    return seeded, seeded.documents.ids_in_order()


def _only(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_one_form_labelled_two_ways_is_a_conflict_fixed_to_the_majority(docs):
    store, ids = docs
    for doc_id, label in zip(ids[:3], ("GPE", "GPE", "LOC")):
        _finished(store, doc_id, [(*_at(store, doc_id, "Paris"), label)])
    (conflict,) = _only(lint(store, "ana", ("label_conflict",)), "label_conflict")
    assert (conflict.text, conflict.labels) == ("Paris", {"GPE": 2, "LOC": 1})
    assert conflict.documents == sorted(ids[:3])
    assert "most often GPE" in conflict.message
    fix = fix_finding(ANA, store, conflict, "ana")
    assert fix.left == 0
    fix.op.apply(store)
    assert _only(lint(store, "ana"), "label_conflict") == []
    fix.op.undo(store)  # one step for every document
    assert _only(lint(store, "ana"), "label_conflict")[0].labels == {"GPE": 2, "LOC": 1}


def test_a_labelled_form_left_unlabelled_elsewhere_is_a_missed_mention(docs):
    store, ids = docs
    reuters = ids[1]  # "Reuters" three times in this report
    _finished(store, reuters, [(*_at(store, reuters, "Reuters"), "ORG")])
    (missed,) = [f for f in lint(store, "ana", ("missed_mention",)) if f.text == "Reuters"]
    assert (missed.labels, missed.documents) == ({"ORG": 1}, [reuters])
    assert [(p["start"], p["end"]) for p in missed.spans] == \
        [_at(store, reuters, "Reuters", 1), _at(store, reuters, "Reuters", 2)]
    assert "left unlabelled 2×" in missed.message
    fix_finding(ANA, store, missed, "ana").op.apply(store)
    assert [f for f in lint(store, "ana") if f.text == "Reuters"] == []


def test_a_rejected_occurrence_was_decided_and_is_not_missed(docs):
    store, ids = docs
    reuters = ids[1]
    set_id = _finished(store, reuters, [(*_at(store, reuters, "Reuters"), "ORG")])
    with store.transaction():
        for nth in (1, 2):
            store.spans.add(set_id, *_at(store, reuters, "Reuters", nth), layer="entity",
                            label="ORG", origin="model:x", state="rejected")
    assert [f for f in lint(store, "ana") if f.text == "Reuters"] == []


def test_a_span_cutting_a_word_or_edged_with_space_is_found(docs):
    store, ids = docs
    start, end = _at(store, ids[0], "Israel")
    assert store.documents.text(ids[0])[start - 1] == " "
    _finished(store, ids[0], [(start, end - 2, "GPE"), (start - 1, end, "GPE")])
    edges = _only(lint(store, "ana", ("span_edges",)), "span_edges")
    assert sorted(f.message.split("' ")[-1] for f in edges) == \
        ["begins or ends with a space", "cuts a word"]


def test_claims_need_their_types_parts_near_them(docs):
    store, ids = docs
    doc_id = ids[3]
    text = store.documents.text(doc_id)
    set_id = _finished(store, doc_id)
    content = _at(store, doc_id, "Damascus cannot move forward")
    cue = _at(store, doc_id, "said")
    far = (text.rindex("Israel"), text.rindex("Israel") + len("Israel"))
    with store.transaction():
        def span(start, end, layer):
            return store.spans.add(set_id, start, end, layer=layer, label=layer.upper(),
                                   origin="human", state="accepted").id
        store.claims.add(set_id, span(*content, "claim"), type="indirect",
                         cue_span_id=span(*cue, "cue"))
        store.claims.add(set_id, span(*_at(store, doc_id, "strategic files"), "claim"),
                         type="unattributed", cue_span_id=span(*_at(store, doc_id, "said", 1),
                                                               "cue"))
        store.claims.add(set_id, span(*_at(store, doc_id, "Tuesday"), "claim"), type="indirect",
                         source_span_id=span(*far, "source"),
                         cue_span_id=span(*_at(store, doc_id, "said", 2), "cue"))
    found = {f.text: f.message for f in lint(store, "ana", ("claim_parts",))}
    assert found == {"Damascus cannot move forward": "a indirect claim has no source",
                     "Tuesday": "its source lies outside the claim's sentence and the next ones"}


def test_a_fix_touches_only_sets_the_actor_may_edit(docs):
    store, ids = docs
    for doc_id, label in zip(ids[:3], ("GPE", "GPE", "LOC")):
        _finished(store, doc_id, [(*_at(store, doc_id, "Paris"), label)])
    (conflict,) = _only(lint(store, "ana"), "label_conflict")
    with pytest.raises(OpError, match="nothing to change"):
        fix_finding(ANA, store, conflict, "bob")
    with pytest.raises(OpError, match="this is ana's work"):
        fix_finding(Session("bob"), store, conflict, "ana").op.apply(store)
    assert _only(lint(store, "ana"), "label_conflict")[0].labels == {"GPE": 2, "LOC": 1}


def test_the_command_line_prints_findings_as_json(docs, location, capsys):
    store, ids = docs
    for doc_id, label in zip(ids[:2], ("GPE", "LOC")):
        _finished(store, doc_id, [(*_at(store, doc_id, "Paris"), label)])
    assert main(["lint", "--json", "--annotator", "ana", "--db", location]) == 0
    findings = orjson.loads(capsys.readouterr().out)["findings"]
    (conflict,) = [f for f in findings if f["rule"] == "label_conflict"]
    assert conflict["text"] == "Paris" and conflict["labels"] == {"GPE": 1, "LOC": 1}
    assert {"rule", "text", "labels", "documents", "spans", "message"} <= set(conflict)
    assert main(["lint", "--db", location, "--annotator", "nobody"]) == 0
    assert capsys.readouterr().out == "no finished work of nobody to check\n"


def test_the_json_holds_every_finding_field_for_field(docs, location, capsys):
    store, ids = docs
    for doc_id, label in zip(ids[:3], ("GPE", "LOC", "GPE")):
        _finished(store, doc_id, [(*_at(store, doc_id, "Paris"), label)])
    reuters = ids[1]
    _finished(store, reuters, [(*_at(store, reuters, "Reuters"), "ORG")])
    assert main(["lint", "--json", "--annotator", "ana", "--db", location]) == 0
    printed = orjson.loads(capsys.readouterr().out)["findings"]
    found = lint(store, "ana")
    assert {f.rule for f in found} >= {"label_conflict", "missed_mention"}
    assert printed == [asdict(f) for f in found]


def test_forms_of_several_words_are_found_whole_and_each_on_its_own(store):
    labelled = "Bora Bora and New York and York."
    checked = "XBora Bora Bora, then New York, New Yorker."
    d1, d2 = "1" * 64, "2" * 64
    with store.transaction():
        store.documents.insert_many([{"id": d1, "text": labelled, "title": "labelled"},
                                     {"id": d2, "text": checked, "title": "checked"}])
    _finished(store, d1, [(0, 9, "LOC"), (14, 22, "GPE"), (27, 31, "GPE")])
    _finished(store, d2)
    places = {f.text: [(p["doc_id"], p["start"], p["end"]) for p in f.spans]
              for f in lint(store, "ana", ("missed_mention",))}
    new_york = checked.index("New York")
    # the first "Bora Bora" begins inside a word; the one that overlaps it is still found
    assert places == {"Bora Bora": [(d2, 6, 15)],
                      "New York": [(d2, new_york, new_york + 8)],
                      "York": [(d2, new_york + 4, new_york + 8)]}


def test_the_json_of_no_findings_is_an_empty_list(seeded, location, capsys):
    assert main(["lint", "--json", "--annotator", "nobody", "--db", location]) == 0
    assert capsys.readouterr().out == '{"findings":[]}\n'


def test_forms_sharing_their_first_letters_are_each_found_whole():
    forms = ["Sy", "Syria", "Syrian", "Internationalist", "Internationalisation",
             "Internationalisations"]  # the last two share more letters than the trie nests
    text = ("Syria, Syrians, Syrian Sy Internationalisations Internationalisation "
            "Internationalist Internationalists")
    found = [(form, text[start:end]) for form, start, end in _Finder(forms).occurrences(text)]
    assert found == [(form, form) for form in ("Syria", "Syrian", "Sy", "Internationalisations",
                                               "Internationalisation", "Internationalist")]
