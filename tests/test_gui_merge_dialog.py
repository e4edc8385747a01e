"""File → Merge projects… runs the core merge in the background and sums up what each file
brought and which sets both projects changed; a refused file merges nothing. Waiting is
deterministic (`jobFinished`)."""

from __future__ import annotations

import pytest
from gui_dialogs import open_dialog, run
from test_merge import annotate, project_file

from annotator.core.store import Store
from annotator.core.team.merge import MergeRefused
from annotator.gui.merge_dialog import MergeDialog

pytestmark = pytest.mark.usefixtures("qapp")


def test_merging_two_files_shows_a_summary_and_the_work_arrives(qtbot, seeded, tmp_path):
    alice = project_file(tmp_path / "alice.db", "alice", 3)
    bob = project_file(tmp_path / "bob.db", "bob", 2,
                       when="2030-01-01T00:00:00.000+00:00")
    annotate(seeded, "bob", 1, label="ORG")  # bob's first set changed here too, earlier
    window, dialog = open_dialog(qtbot, seeded, "merge_projects", MergeDialog)
    assert window.shortcuts["merge_projects"].text() == "Merge projects…"
    assert not dialog.run_button.isEnabled()
    dialog.add_paths([alice, bob, alice])  # listed once

    reports = run(qtbot, dialog)

    assert [(r.sets_added, r.sets_replaced) for r in reports] == [(3, 0), (1, 1)]
    shown = dialog.result.toPlainText()
    assert f"{alice}: 0 new document(s); 3 annotation set(s) added" in shown
    assert "Changed in both (1)" in shown
    assert f"bob on “{reports[1].conflicts[0].title}”: kept {bob}'s (updated last)" in shown
    assert set(seeded.sets.annotators()) >= {"alice", "bob"}
    dialog.grab().save(str(tmp_path / "merge-dialog.png"))


def test_a_refused_file_is_shown_and_nothing_is_merged(qtbot, seeded, tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a project" * 100)
    good = project_file(tmp_path / "alice.db", "alice", 1)
    _, dialog = open_dialog(qtbot, seeded, "merge_projects", MergeDialog)
    dialog.add_paths([good, garbage])

    outcome = run(qtbot, dialog)

    assert isinstance(outcome, MergeRefused)
    assert f"Nothing merged: {garbage} is not an Annotator project" in \
        dialog.result.toPlainText()
    with Store(seeded.location, read_only=True) as again:
        assert "alice" not in again.sets.annotators()
