"""The status bar: who is working, how far the project is, this session's pace, how many
suggestions of the open document are still undecided (what Ctrl+Enter would accept), the last
message, "saved" once an action is committed (else a button to retry it), whether a team's
server can be reached, and the suggestion worker's progress."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from annotator.core.workflow import Pace


class StatusPanel:
    """Fills a QStatusBar; the window owns the bar, this object owns its widgets."""

    def __init__(self, bar: QStatusBar, annotator: str):
        self.who = QLabel(f"<b>{annotator}</b>")
        self.progress_label = QLabel()
        self.pace = QLabel()
        self.undecided = QLabel()
        self.message = QLabel()
        self.saved = QLabel()
        self.retry = QPushButton("Retry", flat=True, visible=False)
        self.retry.setFocusPolicy(self.retry.focusPolicy().NoFocus)
        self.connection = QLabel(visible=False, styleSheet="color: #b91c1c;")
        self.busy = QProgressBar(maximumWidth=120, maximum=0, textVisible=False)
        self.cancel = QPushButton("Cancel", flat=True)
        self.cancel.setFocusPolicy(self.cancel.focusPolicy().NoFocus)
        bar.addWidget(self.who)
        bar.addWidget(self.progress_label)
        bar.addWidget(self.pace)
        bar.addWidget(self.undecided)
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.cancel)
        bar.addPermanentWidget(self.connection)
        bar.addPermanentWidget(self.retry)
        bar.addPermanentWidget(self.saved)
        self.set_busy(False)

    @property
    def cancelClicked(self) -> Signal:
        return self.cancel.clicked

    def set_counts(self, done: int, total: int) -> None:
        self.progress_label.setText(f"{done} / {total} done")

    def set_pace(self, pace: Pace) -> None:
        rate = pace.per_hour
        per_hour = f" · {rate:.1f}/h" if rate is not None and pace.done else ""
        self.pace.setText(f"session: {pace.done} done{per_hour}")

    def follow(self, workspace) -> None:
        """Keep "N undecided left" in step with the open document: it is redrawn from the
        workspace's signals, which follow every change (here, a worker's, another window's)."""
        def show(*_):
            self.set_undecided(sum(s.state == "suggested" for s in workspace.spans),
                               workspace.doc_id is not None)
        workspace.opened.connect(show)
        workspace.changed.connect(show)
        show()

    def set_undecided(self, count: int, open_document: bool = True) -> None:
        self.undecided.setText(f"{count} undecided left" if open_document else "")
        _restyle(self.undecided, "color: #92400e;" if count else "color: #166534;")

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    @property
    def retryClicked(self) -> Signal:
        return self.retry.clicked

    def set_reachable(self, problem: str | None) -> None:
        """A team's server lost (why) or back (None)."""
        self.connection.setVisible(problem is not None)
        self.connection.setText(f"⚠ {problem} — retrying" if problem else "")
        if problem is None:
            self.show_message("connected to the server again")

    def set_saved(self, saved: bool) -> None:
        self.retry.setVisible(not saved)
        self.saved.setText("✓ saved" if saved else "✗ not saved")
        _restyle(self.saved, "color: #166534;" if saved else "color: #b91c1c;")

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.cancel.setVisible(busy)
        self.busy.setToolTip("finding suggestions for this document" if busy else "")


def _restyle(label: QLabel, sheet: str) -> None:
    """Set a style sheet only when it changes: Qt recomputes a widget's style on every
    call, and every saved edit reports its state here (docs/benchmarks.md, "Review")."""
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)
