"""The window's curation: the Cluster column and filter, excluded documents hidden then
greyed, the Story tab (click / Enter opens a report), and Ctrl+Shift+E keeping one copy."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from annotator.core.curate.clusters import refresh_clusters
from annotator.core.importers import import_paths
from annotator.core.session import Session
from annotator.gui.models.document_list import COLUMNS, EXCLUDED
from conftest import SEEDS
from test_gui_session import open_window, press

pytestmark = pytest.mark.usefixtures("qapp")

ORIGINAL = (SEEDS / "000_ccc925a8ed36d058.txt").read_text(encoding="utf-8")
REPRINT = "Syria, Israel and US agree\n\n" + "\n\n".join(ORIGINAL.split("\n\n")[1:-1])


@pytest.fixture
def grouped(seeded, tmp_path):
    """The seeds (one story) plus a reprint of the first, grouped; (store, ids, reprint id)."""
    (tmp_path / "reprint.jsonl").write_bytes(orjson.dumps({"text": REPRINT}) + b"\n")
    import_paths(seeded, [tmp_path / "reprint.jsonl"], annotator="lead")
    refresh_clusters(seeded, Session("lead"))
    ids = seeded.documents.ids_in_order()
    return seeded, ids, ids[-1]


def _shown(window) -> list[str]:
    model = window.documents.model
    return [model.doc_id(row) for row in range(model.total())]


def _wait_filtered(qtbot, window, expected: list[str]) -> None:
    qtbot.waitUntil(lambda: _shown(window) == expected, timeout=3000)


def test_the_cluster_column_and_filter_follow_the_stored_clusters(qtbot, grouped):
    store, ids, reprint = grouped
    window = open_window(qtbot, store, suggest=False)
    model, panel = window.documents.model, window.documents
    column = COLUMNS.index("cluster")
    labels = [model.index(row, column).data() for row in range(model.rowCount())]
    assert labels == ["dup 2 · story 6"] + ["story 6"] * 4 + ["dup 2 · story 6"]
    panel.cluster.setCurrentIndex(panel.cluster.findText("near-duplicates"))
    _wait_filtered(qtbot, window, [ids[0], reprint])
    window.workspace.open(ids[2])
    panel.cluster.setCurrentIndex(panel.cluster.findText("these duplicates"))
    _wait_filtered(qtbot, window, [ids[2]])  # a report alone in its duplicate group
    panel.cluster.setCurrentIndex(panel.cluster.findText("this story"))
    _wait_filtered(qtbot, window, ids)


def test_the_story_tab_lists_the_other_reports_and_opens_one(qtbot, grouped):
    store, ids, reprint = grouped
    window = open_window(qtbot, store, suggest=False)
    window.workspace.open(ids[0])
    story = window.story_panel
    assert story.model.rowCount() == 5
    kinds = {story.model.item(row, 0).text(): story.model.item(row, 1).text()
             for row in range(5)}
    assert kinds[store.documents.get(reprint).title] == "duplicate"
    assert sorted(kinds.values()) == ["duplicate"] + ["report"] * 4
    assert "1 of them near-duplicate" in story.summary.text()
    window.side_tabs.setCurrentWidget(story)
    rect = story.view.visualRect(story.model.index(1, 0))
    qtbot.mouseClick(story.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.workspace.doc_id == ids[2]  # the second other report of ids[0]'s story
    story.view.setFocus()
    story.view.setCurrentIndex(story.model.index(0, 0))
    qtbot.keyClick(story.view, Qt.Key.Key_Return)
    assert window.workspace.doc_id == ids[0]


def test_keeping_one_copy_excludes_the_other_which_leaves_the_list_then_shows_greyed(
        qtbot, grouped, monkeypatch):
    store, ids, reprint = grouped
    window = open_window(qtbot, store, suggest=False)
    window.workspace.open(ids[0])
    offered = []
    monkeypatch.setattr(window, "ask_exclusion",
                        lambda choices: offered.append(choices) or ("keep this one", ""))
    press(qtbot, window, Qt.Key.Key_E,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "keep the longest" in offered[0] and "off-topic" in offered[0]
    assert store.documents.curations([reprint]) == {reprint: ("excluded", "duplicate")}
    _wait_filtered(qtbot, window, ids[:-1])  # excluded: out of the list by default
    story = window.story_panel
    assert story.model.item(4, 1).text() == "dup., excluded"  # the last imported
    window.documents.excluded.setChecked(True)
    _wait_filtered(qtbot, window, ids)
    model = window.documents.model
    row = model.row_of(reprint)
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) == EXCLUDED
    assert model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == "excluded: duplicate"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.documents.curations([reprint]) == {reprint: ("included", None)}
