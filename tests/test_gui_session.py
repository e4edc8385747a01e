"""A full annotation session driven through the real window (offscreen), keys only, with the
real suggestion pipeline; then the database is compared row by row with what was done."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.core import tokens as tokens_module
from annotator.core.export import ExportOptions, export_dataset
from annotator.core.store import Store
from annotator.core.tokens import tokenizer_key
from annotator.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qapp")


def open_window(qtbot, store: Store, annotator: str = "ann", **kwargs) -> MainWindow:
    window = MainWindow(store, annotator, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    return window


def wait_for_suggestions(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.workspace.suggesting_now and window.status.busy.isHidden(),
                    timeout=60_000)


def press(qtbot, window: MainWindow, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.article.canvas, key, modifier)


def answer_next_question(qtbot, key=Qt.Key.Key_Return, *, tick: bool = False,
                         asked: list | None = None) -> None:
    """Answer the next modal question (Ctrl+Enter's) with a real key, once it is shown;
    `tick` checks its box first, `asked` collects what it said."""
    def answer():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, answer)
            return
        if asked is not None:
            asked.append(box.text())
        if tick:
            box.checkBox().setChecked(True)
        qtbot.keyClick(box, key)
    QTimer.singleShot(0, answer)


def rows(store: Store, set_id: int):
    """Spans as (start, end, layer, label, origin kind, state) and claims by offsets."""
    spans = store.spans.for_set(set_id)
    where = {s.id: (s.start, s.end, s.layer) for s in spans}
    kind = lambda origin: "human" if origin == "human" else "model"  # noqa: E731
    return (sorted((s.start, s.end, s.layer, s.label, kind(s.origin), s.state) for s in spans),
            sorted((where[c.content_span_id], where.get(c.source_span_id),
                    where.get(c.cue_span_id), c.type) for c in store.claims.for_set(set_id)))


def shown(spans, claims):
    """What the window shows, in the form of `rows`."""
    where = {s.id: (s.start, s.end, s.layer) for s in spans}
    kind = lambda origin: "human" if origin == "human" else "model"  # noqa: E731
    return (sorted((s.start, s.end, s.layer, s.label, kind(s.origin), s.state) for s in spans),
            sorted((where[c.content_span_id], where.get(c.source_span_id),
                    where.get(c.cue_span_id), c.type) for c in claims))


def test_a_full_session_by_keyboard(qtbot, seeded, tmp_path, monkeypatch):
    ids = seeded.documents.ids_in_order()
    window = open_window(qtbot, seeded)
    ws = window.workspace
    assert ws.doc_id == ids[0]  # first start: the first document to do
    wait_for_suggestions(qtbot, window)
    text = ws.text
    # Viewing creates nothing: the suggestions are a preview until the first edit.
    assert ws.target is None and seeded.sets.find(ids[0], "ann") is None
    initial_spans, initial_claims = shown(ws.spans, ws.claims)
    assert initial_spans and {s[5] for s in initial_spans} == {"suggested"}

    # Tab focuses the first suggestion in text order; Enter accepts (starting the work: the
    # set with the previewed suggestions) and moves on.
    press(qtbot, window, Qt.Key.Key_Tab)
    first = ws.span(ws.focused)
    press(qtbot, window, Qt.Key.Key_Return)
    target = ws.target
    assert rows(seeded, target.set_id)[1] == initial_claims
    accepted = next(s for s in ws.spans
                    if (s.layer, s.start, s.end, s.label) == (first.layer, first.start,
                                                              first.end, first.label))
    assert accepted.state == "accepted" and seeded.spans.get(accepted.id).state == "accepted"
    suggested = [accepted, *sorted((s for s in ws.spans if s.state == "suggested"),
                                   key=lambda s: (s.start, s.end, s.id))]
    assert ws.focused == suggested[1].id
    press(qtbot, window, Qt.Key.Key_X)  # reject the second
    third = suggested[2]
    assert ws.focused == third.id
    press(qtbot, window, Qt.Key.Key_4)  # relabel the third as LOC
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert seeded.spans.get(third.id).label == third.label
    press(qtbot, window, Qt.Key.Key_Z,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seeded.spans.get(third.id).label == "LOC"

    # Draw an entity: a partial selection snaps outward to the whole token.
    covered = [(s.start, s.end) for s in ws.spans if s.layer == "entity"]
    word = next(m for m in re.finditer(r"\b[A-Z][A-Za-z0-9]{4,}\b", text)
                if not any(a < m.end() and m.start() < b for a, b in covered))
    start, word = word.start(), word.group()
    window.article.select_range(start + 1, start + 4)
    press(qtbot, window, Qt.Key.Key_2)  # ORG
    drawn = ws.span(ws.focused)
    assert (drawn.start, drawn.end, drawn.label, drawn.origin) == \
        (start, start + len(word), "ORG", "human")
    assert window.article.selected_range() is None

    # Overlap is refused with a message, and nothing is written.
    standing = next(s for s in ws.spans if s.layer == "entity" and s.state == "suggested")
    before = rows(seeded, target.set_id)
    window.article.select_range(standing.start, standing.end + 3)
    press(qtbot, window, Qt.Key.Key_2)
    assert window.status.message.text().startswith("overlaps ")
    assert rows(seeded, target.set_id) == before
    window.article.clear_selection()

    # A claim with a source and a cue, its type cycled, undone and redone.
    content = "an agreement to establish a US-supervised coordination cell for intelligence sharing"
    source, cue = "The US, Syria, and Israel", "announcing"
    made = {(text.index(f), text.index(f) + len(f)) for f in (content, source, cue)}
    assert not [s for s in ws.spans if s.layer != "entity" and (s.start, s.end) in made], \
        "the suggester now proposes one of these parts: pick others for this test"
    for fragment, key in ((content, Qt.Key.Key_C), (source, Qt.Key.Key_S), (cue, Qt.Key.Key_U)):
        at = text.index(fragment)
        window.article.select_range(at, at + len(fragment))
        press(qtbot, window, key)
    claim = ws.claim(ws.active_claim)
    assert claim.type == "indirect"
    press(qtbot, window, Qt.Key.Key_T)
    assert ws.claim(claim.id).type == "unattributed"
    assert window.claim_panel.type.currentData() == "unattributed"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert seeded.claims.get(claim.id).type == "indirect"
    press(qtbot, window, Qt.Key.Key_Z,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seeded.claims.get(claim.id).type == "unattributed"
    assert window.status.saved.text() == "✓ saved"

    # Ctrl+Enter: done (leftover suggestions accepted), and the next document opens.
    leftover = sum(1 for s in ws.spans if s.state == "suggested")
    assert window.status.undecided.text() == f"{leftover} undecided left"
    asked = []
    answer_next_question(qtbot, asked=asked)  # Enter confirms
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked == [f"Accept the {leftover} suggestions still undecided and finish?"]
    assert ws.doc_id == ids[1]
    assert f"done — {leftover} suggestions accepted" in window.status.message.text()
    assert seeded.sets.get(target.set_id).status == "done"
    assert window.status.progress_label.text() == "1 / 5 done"
    wait_for_suggestions(qtbot, window)

    # The database holds exactly what was done.
    def final(row):
        start_, end_, layer, label, origin, _ = row
        if (start_, end_) == (suggested[1].start, suggested[1].end) and layer == "entity":
            return (start_, end_, layer, label, origin, "rejected")
        if (start_, end_) == (third.start, third.end) and layer == third.layer:
            return (start_, end_, layer, "LOC", origin, "accepted")
        return (start_, end_, layer, label, origin, "accepted")
    at = {f: text.index(f) for f in (content, source, cue)}
    added = [(start, start + len(word), "entity", "ORG", "human", "accepted"),
             (at[content], at[content] + len(content), "claim", "indirect", "human", "accepted"),
             (at[source], at[source] + len(source), "source", "SOURCE", "human", "accepted"),
             (at[cue], at[cue] + len(cue), "cue", "CUE", "human", "accepted")]
    added[1] = added[1][:3] + ("unattributed",) + added[1][4:]
    spans, claims = rows(seeded, target.set_id)
    assert spans == sorted([final(r) for r in initial_spans] + added)
    new_claim = ((at[content], at[content] + len(content), "claim"),
                 (at[source], at[source] + len(source), "source"),
                 (at[cue], at[cue] + len(cue), "cue"), "unattributed")
    assert claims == sorted(initial_claims + [new_claim])
    actions = [e.action for e in seeded.events.list(doc_id=ids[0], annotator="ann")]
    assert actions == ["document.start", "span.accept", "span.reject",
                       "span.relabel", "span.relabel.undo", "span.relabel", "span.add",
                       "claim.add", "claim.source", "claim.cue", "claim.type",
                       "claim.type.undo", "claim.type", "status.done"]

    # The worker cached the tokens of both opened documents: exporting the finished one
    # tokenizes nothing (a tokenizer call would fail here).
    assert seeded.tokens.count(tokenizer_key()) == 2
    monkeypatch.setattr(tokens_module, "tokenizer", lambda: pytest.fail("tokenized again"))
    result = export_dataset(seeded, ExportOptions(annotator="ann"), tmp_path / "export")
    assert result.manifest["splits"]["all"]["records"] == 1
