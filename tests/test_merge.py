"""`annotator merge OTHER...`: annotators' project files brought into a review project (a
file or a server): documents by id, sets with their work and events, idempotence, the
conflict rule, the schema check, and every bad file refused with nothing merged."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest
from project_rows import DEVSET, SEEDS, rows
from test_store_errors import BAD

from annotator.core.actions import action, feed_of
from annotator.core.errors import RightsError
from annotator.core.importers import import_paths
from annotator.core.jobs import Cancelled
from annotator.core.project import current_schema, open_project, use_schema
from annotator.core.schema import with_entity_labels
from annotator.core.session import Session
from annotator.core.store import Store
from annotator.core.team.copy import copy_project
from annotator.core.team.merge import MergeRefused, merge_projects


def annotate(store: Store, who: str, docs: int, *, label: str | None = None,
             when: str | None = None) -> list[str]:
    """`who` marks the first word of the first `docs` documents (and finishes them)."""
    schema = current_schema(store)
    ids = [d.id for d in store.documents.iter_all()][:docs]
    for doc_id in ids:
        with action(store, Session(who), "span.add", docs=[doc_id]):
            target = store.sets.ensure(doc_id, who, schema.hash)
            start, end = re.search(r"\w+", store.documents.text(doc_id)).span()
            store.spans.add(target.id, start, end, layer="entity", label=label or schema.labels[0],
                            origin="human", state="accepted")
            store.sets.update(target.id, status="done",
                              **({"updated_at": when} if when else {}))
    return ids


def project_file(path, who: str | None, docs: int = 3, *, corpus=(SEEDS,), **kw) -> str:
    with open_project(path) as store:
        import_paths(store, list(corpus), annotator="admin")
        if who:
            annotate(store, who, docs, **kw)
    return str(path)


def work(store: Store, who: str) -> dict[str, list]:
    """Per document, `who`'s status and spans (start, end, label, state)."""
    found = {}
    for doc in store.documents.iter_all():
        mine = store.sets.find(doc.id, who)
        if mine:
            found[doc.id] = [mine.status, [(s.start, s.end, s.label, s.state)
                                           for s in store.spans.for_set(mine.id)]]
    return found


def test_annotators_files_come_together(seeded, tmp_path):
    alice = project_file(tmp_path / "alice.db", "alice", 3)
    bob = project_file(tmp_path / "bob.db", "bob", 2)
    with Store(alice, read_only=True) as a:
        alice_work, alice_events = work(a, "alice"), a.events.list(annotator="alice")
    published = []
    feed_of(seeded).subscribe(published.append)

    reports = merge_projects(seeded, [alice, bob], annotator="admin")

    assert [(r.sets_added, r.documents, r.conflicts) for r in reports] == [(3, 0, []),
                                                                            (2, 0, [])]
    assert work(seeded, "alice") == alice_work and len(work(seeded, "bob")) == 2
    brought = seeded.events.list(annotator="alice")
    assert [(e.ts, e.action, e.doc_id) for e in brought] == \
        [(e.ts, e.action, e.doc_id) for e in alice_events]
    merge = seeded.events.list(action="merge")
    assert len(merge) == 1 and set(merge[0].payload["sources"]) == {alice, bob}
    assert [c.action for c in published] == ["merge"]
    assert set(work(seeded, "alice")) <= published[0].docs


def test_a_document_this_project_lacks_comes_with_its_text(store, tmp_path):
    other = project_file(tmp_path / "other.db", "alice", 5, corpus=(SEEDS, DEVSET))
    with Store(other, read_only=True) as o:
        docs = {d.id: (d.text, d.title, d.meta) for d in o.documents.iter_all()}
    report, = merge_projects(store, [other], annotator="admin")
    assert report.documents == len(docs) == store.documents.count()
    assert {d.id: (d.text, d.title, d.meta) for d in store.documents.iter_all()} == docs


def test_merging_the_same_file_twice_adds_nothing(store, tmp_path):
    import_paths(store, [SEEDS], annotator="admin")
    other = project_file(tmp_path / "alice.db", "alice", 3)
    first, twice = merge_projects(store, [other, other], annotator="admin")
    assert first.sets_added == 3 and twice.already_merged and twice.sets_added == 0
    before = rows(store.location)
    again = merge_projects(store, [other, other], annotator="admin")
    assert all(report.already_merged for report in again)
    assert rows(store.location) == before


def test_a_set_changed_in_both_keeps_the_one_updated_last(seeded, tmp_path):
    ids = annotate(seeded, "alice", 2, when="2026-03-01T00:00:00.000+00:00")
    other = project_file(tmp_path / "alice.db", "alice", 2, label="ORG")
    with Store(other) as o, o.transaction():  # the file's first set is older, its second newer
        first, second = (o.sets.find(i, "alice") for i in ids)
        o.sets.update(first.id, updated_at="2026-02-01T00:00:00.000+00:00")
        o.sets.update(second.id, updated_at="2026-04-01T00:00:00.000+00:00")
        newer = [(s.start, s.end, s.label) for s in o.spans.for_set(second.id)]
    kept_here = [(s.start, s.end, s.label)
                 for s in seeded.spans.for_set(seeded.sets.find(ids[0], "alice").id)]

    report, = merge_projects(seeded, [other], annotator="admin")

    assert report.sets_replaced == 1 and report.sets_added == 0
    assert [(c.doc_id, c.annotator, c.kept, c.set_aside) for c in report.conflicts] == [
        (ids[0], "alice", "this project", other), (ids[1], "alice", other, "this project")]
    first, second = (seeded.sets.find(i, "alice") for i in ids)
    assert [(s.start, s.end, s.label) for s in seeded.spans.for_set(first.id)] == kept_here
    assert [(s.start, s.end, s.label) for s in seeded.spans.for_set(second.id)] == newer
    assert second.updated_at == "2026-04-01T00:00:00.000+00:00"


def test_labels_missing_from_the_schema_are_refused_by_name(seeded, tmp_path):
    path = tmp_path / "drugs.db"
    with open_project(path) as other:
        import_paths(other, [SEEDS], annotator="admin")
        use_schema(other, with_entity_labels(current_schema(other), ["DRUG"], "test"),
                   annotator="admin")
        annotate(other, "alice", 1, label="DRUG")
    before = rows(seeded.location)
    with pytest.raises(MergeRefused, match="lacks: entity DRUG; add them"):
        merge_projects(seeded, [str(path)], annotator="admin")
    assert rows(seeded.location) == before


def test_another_schema_merges_when_its_labels_exist(seeded, tmp_path):
    path = tmp_path / "wider.db"
    with open_project(path) as other:
        import_paths(other, [SEEDS], annotator="admin")
        wider = with_entity_labels(current_schema(other), ["DRUG"], "test")
        use_schema(other, wider, annotator="admin")
        ids = annotate(other, "alice", 1)
    merge_projects(seeded, [str(path)], annotator="admin")
    assert seeded.sets.find(ids[0], "alice").schema_hash == wider.hash
    assert seeded.settings.schema_body(wider.hash) is not None
    assert current_schema(seeded).hash != wider.hash


def _drift(path) -> None:
    """A document whose text no longer matches its id (changed behind the store's back)."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER documents_text_immutable")
    conn.execute("UPDATE documents SET text = text || '!', n_chars = n_chars + 1 "
                 "WHERE num = 2")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("case", [*BAD, "text hash"])
def test_a_bad_file_is_refused_and_nothing_is_merged(seeded, tmp_path, case):
    good = project_file(tmp_path / "good.db", "alice", 2)
    bad = tmp_path / "bad.db"
    if case == "text hash":
        project_file(bad, "bob", 2)
        _drift(bad)
        sentence = "does not match its id"
    else:
        make, _, sentence = BAD[case]
        make(bad)
    before = rows(seeded.location)
    with pytest.raises(MergeRefused) as refused:
        merge_projects(seeded, [good, str(bad)], annotator="admin")
    message = str(refused.value)
    assert message.startswith(str(bad)) and sentence in message
    assert message.endswith("nothing was merged") and "\n" not in message
    assert rows(seeded.location) == before


def test_only_an_admin_merges(seeded, tmp_path):
    other = project_file(tmp_path / "alice.db", "alice", 1)
    with pytest.raises(RightsError, match="only an admin may merge projects"):
        merge_projects(seeded, [other], annotator="alice", role="member")


def test_an_offline_copy_merges_back(tmp_path, pg_project_url):
    """A server's project taken offline as a file, worked on, and merged back: only the
    new work and its events arrive, nothing twice."""
    with open_project(pg_project_url) as server:
        import_paths(server, [SEEDS], annotator="admin")
        annotate(server, "alice", 1)
    offline = tmp_path / "offline.db"
    copy_project(pg_project_url, offline)
    with Store(offline) as copy:
        annotate(copy, "bob", 2)
        offline_events = len(copy.events.list())
    with Store(pg_project_url) as server:
        events_before = len(server.events.list())
        report, = merge_projects(server, [str(offline)], annotator="admin")
        assert (report.sets_added, report.sets_unchanged, report.conflicts) == (2, 1, [])
        assert report.events == offline_events - events_before
        assert len(server.events.list()) == offline_events + 1  # and the merge's own
        assert len(work(server, "bob")) == 2


def test_merge_command(tmp_path):
    review = project_file(tmp_path / "review.db", None)
    alice = project_file(tmp_path / "alice.db", "alice", 2)
    command = [sys.executable, "-m", "annotator", "merge", alice, "--db", review,
               "--annotator", "admin"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"{alice} merged into {review}: 0 new document(s), 2 annotation set(s) added" \
        in done.stdout
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 0 and "already merged on" in again.stdout
    missing = subprocess.run([*command[:4], str(tmp_path / "none.db"), *command[5:]],
                             capture_output=True, text=True, check=False)
    assert missing.returncode == 1
    assert missing.stderr.startswith("annotator: error: ") and "Traceback" not in missing.stderr
    with Store(review, read_only=True) as store:
        assert store.transfer.count("merges") == 1


def test_a_cancelled_merge_leaves_the_project_as_it_was(seeded, tmp_path):
    other = project_file(tmp_path / "alice.db", "alice", 3)
    before = rows(seeded.location)

    totals = set()

    def cancel_when_writing(done: int, total: int) -> None:
        totals.add(total)  # 0, then the rows read, then those and the rows to write
        if len(totals) == 3 and done * 4 > total * 3:  # half the writes are done
            raise Cancelled("cancelled")

    with pytest.raises(Cancelled):
        merge_projects(seeded, [other], annotator="admin", progress=cancel_when_writing)
    assert rows(seeded.location) == before


def test_a_server_project_merges_into_a_file(file_seeded, pg_project_url):
    with open_project(pg_project_url) as server:
        import_paths(server, [SEEDS, DEVSET], annotator="admin", as_done=True)
        annotate(server, "carol", 2)
        carol = work(server, "carol")
        admin_sets = len(work(server, "admin"))
    report, = merge_projects(file_seeded, [pg_project_url], annotator="admin")
    assert work(file_seeded, "carol") == carol
    assert (report.sets_added, report.documents) == (admin_sets + 2, 0)
    assert report.claims > 0 and report.source == pg_project_url
