"""Review on a team server, as the people who log in: a member reads the queue and the
report but writes no gold; a reviewer writes gold under row-level security."""

from __future__ import annotations

import orjson

from annotator.cli import main
from annotator.core.project import command_line_session, current_schema, open_project
from annotator.core.review import decide
from annotator.core.review.picture import merged_picture
from annotator.core.review.queue import REVIEWED, review_queue
from annotator.core.review.work import load_one
from review_work import two_annotators
from test_pg_people import logins  # noqa: F401  (the fixture)


def test_a_member_reads_the_queue_and_a_reviewer_writes_gold(logins, pg_url, capsys):  # noqa: F811
    with open_project(pg_url) as admin:
        doc_id = admin.documents.ids_in_order()[0]
        two_annotators(admin, doc_id)
    assert main(["review", "queue", "--json", "--db", logins["member"]]) == 0
    assert [d["doc_id"] for d in orjson.loads(capsys.readouterr().out)["documents"]] == [doc_id]
    assert main(["review", "accept-agreed", "--db", logins["member"]]) == 1
    err = capsys.readouterr().err
    assert "only a reviewer edits gold" in err and err.count("\n") == 1
    with open_project(logins["reviewer"]) as store:
        assert store.sets.find(doc_id, "gold") is None
    assert main(["review", "accept-agreed", "--db", logins["reviewer"]]) == 0
    assert "gold written for 1 document(s): 2 entities" in capsys.readouterr().out
    with open_project(logins["reviewer"]) as store:
        session = command_line_session(store)
        target = decide.start_review(store, session, doc_id, current_schema(store).hash)
        picture = merged_picture(load_one(store, doc_id).works)
        decide.take(session, store, target, picture.conflicts[0], 0).apply(store)
        decide.mark_reviewed(session, store, target).apply(store)
        assert store.sets.get(target.set_id).reviewed_by == store.user
        assert review_queue(store).documents[0].state == REVIEWED
    assert main(["review", "report", "--json", "--db", logins["member"]]) == 0
    assert orjson.loads(capsys.readouterr().out)["reviewed"] == 1
