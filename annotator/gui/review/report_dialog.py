"""Project → Review report…: each annotator's finished work against gold, as
`annotator review report` computes it (`core/review/report.py`) — precision, recall and F1
per label and for claims, versions kept, the most frequent confusions — with every example
document a link that opens it. The report is read on the window's worker."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.gui.workers import JobRunner

CONFUSIONS_SHOWN = 10


def _report(store) -> dict[str, Any]:
    from annotator.core.review.report import review_report

    return review_report(store).as_json()


class ReportDialog(QDialog):
    def __init__(self, parent: QWidget, jobs: JobRunner, open_document: Callable[[str], None]):
        super().__init__(parent)
        self.setWindowTitle("Review report")
        self.resize(760, 620)
        self.open_document = open_document
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.anchorClicked.connect(self._clicked)
        self.body.setHtml("<p>reading the report…</p>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        layout.addWidget(buttons)
        self.report: dict[str, Any] | None = None
        self.task = jobs.start(_report, self.show_report, self._failed)

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        self.body.setHtml(report_html(report))

    def _failed(self, error: str) -> None:
        self.body.setHtml(f"<p>The report could not be read: {escape(error)}</p>")

    def _clicked(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith("doc:"):
            self.open_document(link.split(":", 1)[1])


def _figures(what: str, c: dict[str, Any]) -> str:
    return (f"<tr><td>{escape(what)}</td><td>{c['precision']:.2f}</td><td>{c['recall']:.2f}"
            f"</td><td>{c['f1']:.2f}</td><td>{c['correct']}</td><td>{c['theirs']}</td>"
            f"<td>{c['gold']}</td></tr>")


def report_html(report: dict[str, Any]) -> str:
    """The report as the dialog shows it; example documents link as `doc:<id>`."""
    parts = [f"<p>{report['documents']} documents with gold, {report['reviewed']} of them "
             "marked reviewed.</p>"]
    if not report["annotators"]:
        parts.append("<p>No annotator's work has gold to compare with yet.</p>")
    head = ("<tr><th></th><th>P</th><th>R</th><th>F1</th><th>right</th><th>theirs</th>"
            "<th>gold</th></tr>")
    for name, person in report["annotators"].items():
        kept = person["versions"]
        parts.append(f"<h3>{escape(name)}</h3><p>{person['documents']} documents; their "
                     f"version kept in {kept['kept']} of {kept['of']} conflicts.</p>")
        rows = [_figures("all entities", person["entities"]["all"])]
        rows += [_figures(label, c) for label, c in person["entities"]["labels"].items()]
        rows += [_figures(f"claims: {k}", c) for k, c in person["claims"].items()]
        parts.append(f"<table border='1' cellspacing='0' cellpadding='3'>{head}"
                     f"{''.join(rows)}</table>")
        if person["confusions"]:
            items = []
            for c in person["confusions"][:CONFUSIONS_SHOWN]:
                links = ", ".join(f"<a href='doc:{escape(d)}'>{escape(d[:12])}</a>"
                                  for d in c["examples"])
                items.append(f"<li>{escape(c['theirs'])} → {escape(c['gold'])}: "
                             f"{c['count']} times, e.g. {links}</li>")
            parts.append(f"<p>Confusions (theirs → gold):</p><ul>{''.join(items)}</ul>")
    return "".join(parts)
