"""The Conflicts panel: a legend (a colour and initials per annotator) and one row per
conflict of the merged picture, `ORG "Kurdistan24" (alice) vs GPE "Kurdistan24" (bob)`,
each version behind its holders' initials; the focused conflict and the version shown are
highlighted, settled ones ticked. A click on a row focuses that conflict."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from annotator.gui.review.state import ReviewState

FOCUS_BACKGROUND = "#fef3c7"


class ConflictsPanel(QWidget):
    conflictClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.rows = QTextBrowser()
        self.rows.setOpenLinks(False)
        self.rows.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the article
        self.rows.anchorClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.legend)
        layout.addWidget(self.rows, 1)

    def show_state(self, state: ReviewState | None) -> None:
        if state is None:
            self.legend.setText("")
            self.rows.setHtml("")
            return
        self.legend.setText(legend_html(state))
        self.rows.setHtml(rows_html(state))
        if state.focused is not None:
            self.rows.scrollToAnchor(f"c{state.focused}")

    def _clicked(self, url: QUrl) -> None:
        name = url.toString()
        if name.startswith("conflict:"):
            self.conflictClicked.emit(int(name.split(":", 1)[1]))


def badge(name: str, state: ReviewState) -> str:
    return (f"<b style='color:{state.colors()[name]}'>"
            f"{escape(state.initials()[name])}</b>")


def legend_html(state: ReviewState) -> str:
    people = " &nbsp; ".join(f"{badge(n, state)} {escape(n)}" for n in state.picture.annotators)
    flagged = (f"<br>under another schema: {escape(', '.join(state.picture.flagged))}"
               if state.picture.flagged else "")
    return (f"{people}<br>{len(state.conflicts)} conflicts, {state.open_conflicts} open; "
            f"agreement {state.picture.agreement:.0%}{flagged}")


def rows_html(state: ReviewState) -> str:
    if not state.conflicts:
        return "<p>The annotators agree on everything here.</p>"
    rows = []
    for n, conflict in enumerate(state.conflicts):
        versions = []
        for v, version in enumerate(conflict.versions):
            who = "".join(badge(name, state) for name in version.holders)
            shown = escape(state.version_text(n, v))
            if n == state.focused and v == state.shown[n]:
                shown = f"<u>{shown}</u>"
            versions.append(f"{who} {shown}")
        mark = "✓" if n in state.settled else "●"
        background = f" bgcolor='{FOCUS_BACKGROUND}'" if n == state.focused else ""
        rows.append(f"<tr{background}><td><a name='c{n}'></a>{mark}</td>"
                    f"<td><a href='conflict:{n}'>{escape(conflict.kind)}</a></td>"
                    f"<td>{' <i>vs</i> '.join(versions)}</td></tr>")
    return f"<table cellspacing='0' cellpadding='3'>{''.join(rows)}</table>"
