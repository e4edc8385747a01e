"""Live updates and dropped connections: other people's events reach the feed as the server
announces them, read by key and never by polling; a lost connection or a restarted server
loses no saved action, and the action it broke can be tried again.
See docs/architecture.md, "Live updates and reconnects"."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from annotator.core import ops
from annotator.core.actions import action, feed_of
from annotator.core.history import History
from annotator.core.importers import import_paths
from annotator.core.project import current_schema, open_project
from annotator.core.session import Session
from annotator.core.store import Store, StoreUnreachable
from annotator.core.store.events import Events
from annotator.core.workflow import start_work
from conftest import SEEDS
from test_gui_changes import FINISH_IN_ANOTHER_PROCESS, status_shown
from test_gui_session import open_window


@pytest.fixture
def pg_seeded(pg_project_url) -> Store:
    """A team project on the test server holding the five seed articles."""
    project = open_project(pg_project_url)
    import_paths(project, [SEEDS], annotator="tester")
    yield project
    project.close()


def wait_until(condition, timeout_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.02)


def written_elsewhere(location, n: int) -> list[int]:
    """`n` events written on another connection, as another process writes them (this
    process's feed does not know them)."""
    with Store(location) as other:
        with other.transaction():
            ids = [other.events.append("bob", "status.done", doc_id=None) for _ in range(n)]
        return [event_id() for event_id in ids]


class Reads:
    """Counts the reads of the log after an event id (whoever makes them)."""

    def __init__(self, monkeypatch):
        self.calls: list[int] = []
        after = Events.after

        def counted(events, event_id, limit=1000):
            self.calls.append(event_id)
            return after(events, event_id, limit)
        monkeypatch.setattr(Events, "after", counted)


def test_another_connections_events_reach_the_feed_once_each(store):
    """On a server without asking (announced); on a file when the follower reads the log."""
    feed = feed_of(store)
    received = []
    unsubscribe = feed.subscribe(received.append)
    follower = feed.follow(store)
    try:
        with action(store, Session("ann"), "settings.test"):
            pass
        ids = written_elsewhere(store.location, 3)
        if store.location.is_file:
            assert not follower.live
            follower.catch_up(store.events)
        else:
            assert follower.live
            wait_until(lambda: len(received) >= 4)
        time.sleep(0.3)  # nothing more comes
        remote = [c for c in received if c.remote]
        assert [c.event_id for c in remote] == ids
        assert [c.action for c in received if not c.remote] == ["settings.test"]
    finally:
        unsubscribe()
        feed.unfollow()


def test_the_server_is_read_by_key_only_when_it_announces_something(pg_seeded, monkeypatch):
    reads = Reads(monkeypatch)
    feed = feed_of(pg_seeded)
    received = []
    unsubscribe = feed.subscribe(received.append)
    feed.follow(pg_seeded)
    try:
        wait_until(lambda: len(reads.calls) == 1)  # listening: what came before it is read
        time.sleep(1.5)
        assert len(reads.calls) == 1  # idle: no read at all
        before = pg_seeded.events.last_id()
        ids = written_elsewhere(pg_seeded.location, 3)
        wait_until(lambda: len(received) == 3)
        assert [c.event_id for c in received] == ids
        assert reads.calls[1:] == [before]  # one read, from the first announced id, by key
    finally:
        unsubscribe()
        feed.unfollow()


def terminate(pg_server, store: Store) -> None:
    """End the store's server session as an administrator (or a crash) would."""
    pid = store.conn.raw.info.backend_pid
    database = store.location.value.rsplit("/", 1)[1]
    with pg_server.connect(database) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]


def finish(store: Store, session: Session, doc_id: str) -> None:
    target = start_work(store, session, doc_id, current_schema(store).hash)
    ops.mark_done(session, store, target).apply(store)


def statuses(pg_server, store: Store) -> dict[str, str]:
    """The sets' statuses as the server holds them, read on a connection of its own."""
    database = store.location.value.rsplit("/", 1)[1]
    with pg_server.connect(database) as admin:
        return dict(admin.execute("SELECT doc_id, status FROM annotation_sets "
                                  "WHERE annotator = 'ann'").fetchall())


def test_a_dropped_connection_between_actions_is_reopened_unnoticed(pg_server, pg_seeded):
    ids = pg_seeded.documents.ids_in_order()
    session = Session("ann")
    finish(pg_seeded, session, ids[0])
    terminate(pg_server, pg_seeded)
    finish(pg_seeded, session, ids[1])  # the next action reopens the connection
    assert statuses(pg_server, pg_seeded) == {ids[0]: "done", ids[1]: "done"}


def test_a_connection_dropped_during_an_action_loses_that_action_only(pg_server, pg_seeded):
    ids = pg_seeded.documents.ids_in_order()
    session = Session("ann")
    finish(pg_seeded, session, ids[0])
    events = pg_seeded.events.last_id()
    with pytest.raises(StoreUnreachable, match="lost"):
        with action(pg_seeded, session, "curation.exclude", docs=[ids[2]]):
            pg_seeded.documents.set_curation(ids[2], "excluded", "off-topic")
            terminate(pg_server, pg_seeded)
            pg_seeded.documents.set_curation(ids[3], "excluded", "off-topic")
    assert not pg_seeded.conn.in_transaction
    finish(pg_seeded, session, ids[1])
    assert statuses(pg_server, pg_seeded) == {ids[0]: "done", ids[1]: "done"}
    assert pg_seeded.documents.curations([ids[2], ids[3]]) == \
        {ids[2]: ("included", None), ids[3]: ("included", None)}
    assert [e.action for e in pg_seeded.events.after(events)] == ["document.start",
                                                                 "status.done"]


def test_a_restarted_server_keeps_every_saved_action_and_the_history_retries(
        pg_server, pg_seeded):
    """The server stops: the follower says so, an undo fails and keeps its step, the
    connection backs off; it starts: the follower says it is back and the undo goes through."""
    ids = pg_seeded.documents.ids_in_order()
    session = Session("ann")
    history = History()
    target = start_work(pg_seeded, session, ids[0], current_schema(pg_seeded).hash)
    history.do(pg_seeded, ops.mark_done(session, pg_seeded, target))
    feed = feed_of(pg_seeded)
    told = []
    follower = feed.follow(pg_seeded)
    unwatch = follower.watch(told.append)
    try:
        pg_server.stop()
        try:
            wait_until(lambda: told and told[-1] is not None, timeout_s=5)
            assert "cannot be reached" in told[-1]
            with pytest.raises(StoreUnreachable):
                history.undo(pg_seeded)
            assert history.depth == 1
            with pytest.raises(StoreUnreachable, match="trying again in"):
                history.undo(pg_seeded)  # backing off: not even tried
        finally:
            pg_server.start()
        wait_until(lambda: told[-1] is None, timeout_s=15)
        pg_seeded.reconnect()  # told it is back, a window reopens its connection at once
        history.undo(pg_seeded)
        assert history.depth == 0
        assert statuses(pg_server, pg_seeded) == {ids[0]: "in_progress"}
    finally:
        unwatch()
        feed.unfollow()


def test_reconnect_reopens_a_servers_project_and_leaves_a_file_alone(store):
    before = store.conn if store.location.is_file else store.conn.raw
    store.reconnect()
    after = store.conn if store.location.is_file else store.conn.raw
    assert (after is before) == store.location.is_file
    assert store.documents.count() == 0


# -- the window ------------------------------------------------------------------------------


@pytest.mark.usefixtures("qapp")
def test_a_document_finished_in_another_process_is_announced_not_polled(qtbot, pg_seeded,
                                                                        monkeypatch):
    reads = Reads(monkeypatch)
    ids = pg_seeded.documents.ids_in_order()
    window = open_window(qtbot, pg_seeded, suggest=False)
    assert not window.changes.polling
    qtbot.wait(1500)
    assert len(reads.calls) == 1  # the read on listening; nothing while nobody writes
    subprocess.run([sys.executable, "-c", FINISH_IN_ANOTHER_PROCESS,
                    pg_seeded.location.value, ids[2]], check=True, timeout=60)
    qtbot.waitUntil(lambda: status_shown(window, ids[2]) == "done", timeout=2000)
    assert window.status.progress_label.text() == "1 / 5 done"
    assert 2 <= len(reads.calls) <= 3  # one read per announcement (start, done)


@pytest.mark.usefixtures("qapp")
def test_the_window_stays_open_while_the_server_is_down_and_retries_the_unsaved_action(
        qtbot, pg_server, pg_seeded):
    ids = pg_seeded.documents.ids_in_order()
    window = open_window(qtbot, pg_seeded, suggest=False)
    window.shortcuts["done"].trigger()  # saved: the first document is done
    assert window.status.saved.text() == "✓ saved"
    pg_server.stop()
    try:
        qtbot.waitUntil(window.status.connection.isVisible, timeout=5000)
        assert "cannot be reached" in window.status.connection.text()
        assert window.status.connection.text().endswith("retrying")
        window.shortcuts["done"].trigger()  # the second one cannot be saved
        assert "cannot be reached" in window.status.message.text()
        assert window.status.message.text().endswith("Retry tries again")
        assert window.status.saved.text() == "✗ not saved"
        assert window.status.retry.isVisible()
        assert window.isVisible()
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: not window.status.connection.isVisible(), timeout=15_000)
    assert window.status.message.text() == "connected to the server again"
    window.status.retry.click()
    assert window.status.saved.text() == "✓ saved"
    assert not window.status.retry.isVisible()
    assert statuses(pg_server, pg_seeded) == {ids[0]: "done", ids[1]: "done"}
