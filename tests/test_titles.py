"""A document's title can be corrected (a navigation crumb scraped as a title): one op, one
event, undoable, by a reviewer or an admin; a member is told to flag it instead. The
full-text search follows the new title on both backends."""

from __future__ import annotations

import pytest
from test_pg_people import logins  # noqa: F401  (a fixture, used by name)

from annotator.core import ops
from annotator.core.changes import CURATION
from annotator.core.history import History
from annotator.core.rights import MEMBER, REVIEWER
from annotator.core.session import Session


def test_a_title_is_corrected_undone_and_redone_as_one_step(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    before = seeded.documents.get(doc_id).title
    history = History()
    change = history.do(seeded, ops.set_title(Session("lead", role=REVIEWER), seeded, doc_id,
                                              "  Ceasefire\n talks   resume "))
    assert change.scopes == {CURATION} and change.docs == {doc_id}
    assert seeded.documents.get(doc_id).title == "Ceasefire talks resume"
    assert seeded.documents.ids_in_order(search="Ceasefire talks resume") == [doc_id]
    (event,) = seeded.events.list(action="curation.title")
    assert event.payload == {"title": "Ceasefire talks resume", "before": before}
    history.undo(seeded)
    assert seeded.documents.get(doc_id).title == before
    assert seeded.documents.ids_in_order(search="Ceasefire talks resume") == []
    history.redo(seeded)
    assert seeded.documents.get(doc_id).title == "Ceasefire talks resume"


@pytest.mark.parametrize("title, why", [
    ("   ", "a title cannot be empty"),
    ("x" * 501, "a title has at most 500 characters; this one has 501"),
])
def test_a_bad_title_is_refused_in_one_sentence_and_nothing_is_written(seeded, title, why):
    doc_id = seeded.documents.ids_in_order()[0]
    before = seeded.documents.get(doc_id).title
    with pytest.raises(ops.OpError) as refused:
        ops.set_title(Session("lead"), seeded, doc_id, title)
    assert str(refused.value) == why
    with pytest.raises(ops.OpError, match="the title is already that"):
        ops.set_title(Session("lead"), seeded, doc_id, before)
    assert seeded.documents.get(doc_id).title == before
    assert seeded.events.list(action="curation.title") == []


def test_a_member_may_not_edit_a_title_and_is_told_to_flag(seeded):
    doc_id = seeded.documents.ids_in_order()[0]
    before = seeded.documents.get(doc_id).title
    with pytest.raises(ops.OpError, match=r"only a reviewer or an admin may edit titles; ann "
                                          r"is a member — flag the document"):
        ops.set_title(Session("ann", role=MEMBER), seeded, doc_id, "Better").apply(seeded)
    assert seeded.documents.get(doc_id).title == before


def test_a_reviewers_login_may_edit_a_title_on_a_server(logins):  # noqa: F811
    from annotator.core.project import command_line_session, open_project
    from annotator.core.rights import RightsError

    with open_project(logins["reviewer"]) as store:
        doc_id = store.documents.ids_in_order()[0]
        ops.set_title(command_line_session(store), store, doc_id, "Fixed").apply(store)
        assert store.documents.get(doc_id).title == "Fixed"
    with open_project(logins["member"]) as store, pytest.raises(RightsError):
        ops.set_title(command_line_session(store), store, doc_id, "Mine").apply(store)


def test_a_list_column_that_says_nothing_is_found(seeded):
    ids = seeded.documents.ids_in_order()
    fields = ("title", "source", "date", "cluster")
    sources = {seeded.documents.get(i).source for i in ids}
    dates = {seeded.documents.get(i).date for i in ids}
    assert seeded.documents.varying(fields) == {"title"} | (
        {"source"} if len(sources) > 1 else set()) | ({"date"} if len(dates) > 1 else set())
    with seeded.transaction():
        seeded.documents.set_clusters({ids[0]: "c1", ids[1]: "c1"}, {ids[0]: "d0", ids[1]: "d1"})
    assert "cluster" in seeded.documents.varying(fields)
    with seeded.transaction():
        seeded.documents.set_clusters({i: "c1" for i in ids}, {i: i for i in ids})
    assert "cluster" not in seeded.documents.varying(fields)  # one story: says nothing


def test_an_all_empty_date_says_nothing(store, tmp_path):
    from annotator.core.importers import import_paths

    for name, text in (("a.txt", "Talks resumed in Paris.\n"), ("b.txt", "Rain in Rome.\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    import_paths(store, [tmp_path / "a.txt", tmp_path / "b.txt"], annotator="tester")
    assert store.documents.varying(("title", "source", "date", "url")) == {"title"}
