"""What runs on the window's UI thread or on every export reads an index, never a whole
table (at 100,000 articles a table scan costs the window tens to hundreds of milliseconds).
Each check captures the SQL the store call really runs and asks SQLite for its plan."""

import re

import pytest


def _plans(store, call):
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)
    try:
        call()
    finally:
        store.conn.set_trace_callback(None)
    selects = [sql for sql in ran if sql.lstrip().upper().startswith("SELECT")]
    assert selects, "the call ran no query"
    return [" / ".join(row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in selects]


@pytest.mark.parametrize("call, index", [
    (lambda s: s.documents.count(included_only=True), "documents_by_curation"),
    (lambda s: s.selections.count(None, ("done",), uncached_by="spacy"),
     "document_tokens_by_tokenizer"),
    (lambda s: list(s.selections.documents("ann", ("done",))),
     "COVERING INDEX spans_accepted_entities"),
    (lambda s: list(s.selections.documents(None, ("done",))),
     "COVERING INDEX spans_rejected_entities"),
    (lambda s: s.documents.sources(), "documents_by_source"),
    (lambda s: s.events.session_counts("ana", "s1", ("accept", "reject")), "events_by_session"),
])
def test_window_and_export_queries_read_an_index(file_seeded, call, index):
    for plan in _plans(file_seeded, lambda: call(file_seeded)):
        assert index in plan, plan
        table_scan = re.search(r"SCAN (documents|events|spans)\b(?! USING)", plan)
        assert not table_scan, plan
