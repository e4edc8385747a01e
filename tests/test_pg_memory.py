import psycopg
from annotator.core.store import Location
from annotator.core.store.postgres.team import init
from test_pg_team import team, _set_of, DOC  # noqa


def test_memory_counts_through_spans_for_a_member(team, pg_url):
    member = team["member"]
    me = member.info.user
    mine = _set_of(member, me)
    for state in ("accepted", "accepted", "rejected"):
        member.execute("INSERT INTO spans (set_id, start, \"end\", layer, label, origin, state, created_at, updated_at) VALUES (%s, 0, 3, 'entity', 'PERSON', 'human', %s, 'now', 'now')", (mine, state))
    rows = member.execute("SELECT text, label, annotator, accepted, rejected FROM entity_memory").fetchall()
    assert rows == [("Ana", "PERSON", me, 2, 1)]
    member.execute("UPDATE spans SET state = 'rejected' WHERE state = 'accepted'")
    assert member.execute("SELECT accepted, rejected FROM entity_memory").fetchall() == [(0, 3)]
    member.execute("DELETE FROM annotation_sets WHERE id = %s", (mine,))
    assert member.execute("SELECT count(*) FROM entity_memory").fetchone()[0] == 0
    import pytest
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        member.execute("INSERT INTO entity_memory VALUES ('x', 'Y', %s, 1, 0)", (me,))
