"""Nothing is lost: a window driven by keys in a subprocess is killed with SIGKILL in the
middle of a session; every action it reported as saved must be in the file, which must
pass SQLite's integrity check; reopening returns to the same document."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

from annotator.core.project import current_schema
from annotator.core.store import Store
from annotator.core.workflow import start_document

# The session: Tab to each suggestion, accept or reject it (alternating), Ctrl+Enter at the
# end of a document. After each saved action it prints the newest event id and the span's
# expected state, as the status bar would say "saved".
SESSION = r"""
import sys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.core.store import Store
from annotator.gui.main_window import MainWindow

app = QApplication([])
store = Store(sys.argv[1])
window = MainWindow(store, "ann", suggest=False)
window.show()
window.activateWindow()
app.processEvents()
ws = window.workspace
n = 0
while True:
    canvas = window.article.canvas
    QTest.keyClick(canvas, Qt.Key.Key_Tab)
    span = ws.span(ws.focused)
    if span is None or span.state != "suggested":
        QTest.keyClick(canvas, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        current = ws.annotation_set()
        if ws.doc_id is None or (current is not None and current.status == "done"):
            break
        continue
    key, expected = (Qt.Key.Key_Return, "accepted") if n % 2 == 0 else (Qt.Key.Key_X, "rejected")
    QTest.keyClick(canvas, key)
    n += 1
    assert window.status.saved.text() == "\u2713 saved"
    last = store.events.list(annotator="ann")[-1].id
    print(f"saved event {last} span {span.id} {expected}", flush=True)
print("finished", flush=True)
"""

KILL_AFTER = 40
LINE = re.compile(r"saved event (\d+) span (\d+) (accepted|rejected)")


def add_suggestions(store: Store) -> int:
    """A suggested entity on every capitalised word of every seed: a long session."""
    schema_hash = current_schema(store).hash
    added = 0
    with store.transaction():
        for doc_id in store.documents.ids_in_order():
            set_id = store.sets.ensure(doc_id, "ann", schema_hash).id
            for match in re.finditer(r"\b[A-Z][a-z]{3,}\b", store.documents.text(doc_id)):
                store.spans.add(set_id, match.start(), match.end(), layer="entity",
                                label="ORG", origin="model:test@1", state="suggested")
                added += 1
    return added


def test_killed_mid_session_loses_nothing_it_reported_saved(seeded):
    assert add_suggestions(seeded) > KILL_AFTER * 3
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "-c", SESSION, seeded.location.value],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
    saved = []
    try:
        for line in process.stdout:
            match = LINE.match(line)
            assert match, line
            saved.append((int(match[1]), int(match[2]), match[3]))
            if len(saved) == KILL_AFTER:
                process.send_signal(signal.SIGKILL)
                break
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()
    assert len(saved) == KILL_AFTER

    with Store(seeded.location) as after:
        assert after.integrity_ok()
        event_ids = {e.id for e in after.events.list(annotator="ann")}
        for event_id, span_id, expected in saved:
            assert event_id in event_ids
            assert after.spans.get(span_id).state == expected
        last_doc = after.events.list(annotator="ann", action="document.start")[-1].doc_id
        assert start_document(after, "ann") == last_doc
