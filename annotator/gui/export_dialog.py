"""File → Export dataset…: the `annotator export` command as a form.

The dialog only gathers `ExportOptions` and an output folder; the export itself is the same
core call the command makes (`export_dataset`), run in the background lane of the window's
job runner. Its
refusals — a record that fails validation (naming the document and span), an output folder
that is not empty, nothing to export — come back as the core's own messages, with nothing
written.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLineEdit,
                               QPushButton, QSpinBox, QWidget)

from annotator.core.export import (ExportError, ExportOptions, ExportResult, SplitError,
                                   default_folder, export_dataset)
from annotator.core.export.splits import parse_split
from annotator.core.export.summary import command_line, summary_lines
from annotator.core.progress import Progress
from annotator.core.store import GOLD, Store
from annotator.gui.app import settings as user_settings
from annotator.gui.job_dialog import ERROR_STYLE, STATE_STYLE, Job, JobDialog
from annotator.gui.workers import Cancelled, JobRunner

FORMAT_NAMES = (("jsonl", "JSONL — Prodigy-compatible records"),
                ("spacy", "spaCy DocBin (.spacy) — entities, claim span groups"),
                ("conll", "CoNLL-2003 / IOB2 — entities"))
NO_SPLIT = "none"
SPLITS = (NO_SPLIT, "80/10/10", "90/10")
LAST_FOLDER_KEY = "export/last_folder"


def exports_folder() -> Path:
    """Where exports go unless the person picks a folder: the folder they last exported
    into, else "Annotator exports" in their documents folder (never the working folder the
    app happened to start in)."""
    remembered = str(user_settings().value(LAST_FOLDER_KEY, "") or "")
    if remembered:
        return Path(remembered)
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(documents) / "Annotator exports"


def _export(store: Store, options: ExportOptions, out: Path, command: str,
            progress: Progress) -> ExportResult | ExportError | SplitError:
    """The worker's job: the command's core call; a refusal is returned to be shown."""
    try:
        return export_dataset(store, options, out, command=command, progress=progress)
    except (ExportError, SplitError) as refused:
        return refused


class ExportDialog(JobDialog):
    def __init__(self, parent: QWidget | None, store: Store, runner: JobRunner):
        super().__init__(parent, runner, "Export dataset", "Export", "documents", "export")
        self.location = store.location.display

        self.format = QComboBox()
        for fmt, name in FORMAT_NAMES:
            self.format.addItem(name, fmt)
        self.who = QComboBox()
        self.who.addItem("latest — per document the finished set, gold first", "latest")
        self.who.addItem("gold — the adjudicated sets", GOLD)
        for name in store.sets.annotators():
            if name != GOLD:
                self.who.addItem(name, name)
        self.who.addItem("model — the current model's suggestions", "model")
        self.include_unfinished = QCheckBox("also documents not marked done (answer: ignore)")
        self.with_rejected = QCheckBox("rejected suggestions as answer: reject records")
        self.split = QComboBox(editable=True)
        self.split.addItems(SPLITS)
        self.split.setToolTip("train/dev(/test) percentages, e.g. 80/10/10; near-duplicates "
                              "and reports of the same story stay in one split")
        self.seed = QSpinBox(maximum=2**31 - 1)
        self.seed.setToolTip("the same seed gives the same split")
        self.folder = QLineEdit(placeholderText=f"a new folder in {exports_folder()}")
        self.folder.setClearButtonEnabled(True)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)

        self.form.addRow("Format", self.format)
        self.form.addRow("Whose work", self.who)
        self.form.addRow("", self.include_unfinished)
        self.form.addRow("", self.with_rejected)
        self.form.addRow("Split", self.split)
        self.form.addRow("Seed", self.seed)
        self.form.addRow("Folder", folder_row)
        self.format.currentIndexChanged.connect(self._update_fields)
        self.split.currentTextChanged.connect(self._update_fields)
        self._update_fields()
        self.show_running()

    # -- the form --------------------------------------------------------------------------

    def split_text(self) -> str | None:
        text = self.split.currentText().strip()
        return None if text in ("", NO_SPLIT) else text

    def split_problem(self) -> str | None:
        text = self.split_text()
        if text is None:
            return None
        try:
            parse_split(text)
        except SplitError as exc:
            return str(exc)
        return None

    def options(self) -> ExportOptions:
        fmt = self.format.currentData()
        return ExportOptions(format=fmt, annotator=self.who.currentData(),
                             include_unfinished=self.include_unfinished.isChecked(),
                             with_rejected=self.with_rejected.isChecked() and fmt == "jsonl",
                             split=self.split_text(), seed=self.seed.value())

    def can_run(self) -> bool:
        return self.split_problem() is None

    def _update_fields(self) -> None:
        jsonl = self.format.currentData() == "jsonl"
        self.with_rejected.setEnabled(jsonl)
        self.with_rejected.setToolTip("" if jsonl else "JSONL only: the other formats have no "
                                                       "place for rejected suggestions")
        self.seed.setEnabled(self.split_text() is not None)
        self.refresh_run_button()
        problem = self.split_problem()
        if problem:
            self.show_error(problem)
        elif not self.running:
            self.state.setStyleSheet(STATE_STYLE)
            self.state.setText("")

    def choose_folder(self) -> None:
        start = str(exports_folder())
        chosen = QFileDialog.getExistingDirectory(self, "Export into (an empty or new folder)",
                                                  start)
        if chosen:
            self.folder.setText(chosen)
            user_settings().setValue(LAST_FOLDER_KEY, str(Path(chosen).parent))

    # -- the job ---------------------------------------------------------------------------

    def make_job(self) -> Job | None:
        problem = self.split_problem()
        if problem:
            self.show_error(problem)
            return None
        options = self.options()
        typed = self.folder.text().strip()
        out = (Path(typed).expanduser() if typed else
               default_folder(options, exports_folder())).absolute()
        command = command_line(options, out, self.location)
        return lambda store, progress: _export(store, options, out, command, progress)

    def show_outcome(self, outcome: Any) -> None:
        if isinstance(outcome, ExportResult):
            self.show_html(result_html(outcome))
        elif isinstance(outcome, Cancelled):
            self.show_html("<p><b>Cancelled</b> — nothing written.</p>")
        else:
            self.show_html(f"<p style='{ERROR_STYLE}'><b>Nothing written.</b></p>"
                           f"<p>{html.escape(str(outcome))}</p>")


def result_html(result: ExportResult) -> str:
    """The folder (a link), the summary lines, counts per label and annotator, the files."""
    m = result.manifest
    folder = html.escape(str(result.folder))
    url = QUrl.fromLocalFile(str(result.folder)).toString()
    parts = [f"<p><b>Exported</b> to <a href='{html.escape(url)}'>{folder}</a></p><ul>"]
    parts += [f"<li>{html.escape(line)}</li>" for line in summary_lines(m)]
    parts.append("</ul>")
    if m["labels"]:
        parts.append("<table cellspacing='0' cellpadding='3'><tr><th align='left'>split</th>"
                     "<th align='left'>layer</th><th align='left'>labels</th></tr>")
        for split, layers in m["labels"].items():
            for layer, labels in layers.items():
                counts = ", ".join(f"{html.escape(label)} {n}" for label, n in labels.items())
                parts.append(f"<tr><td>{html.escape(split)}</td><td>{html.escape(layer)}</td>"
                             f"<td>{counts}</td></tr>")
        parts.append("</table>")
    parts.append("<p>Annotators: " + ", ".join(
        f"{html.escape(a)} ({n} record{'s' if n != 1 else ''})"
        for a, n in m["annotators"].items()) + "</p><p>Files: ")
    parts.append(", ".join(f"{html.escape(f['name'])} ({f['bytes']:,} bytes)" for f in m["files"])
                 + ", manifest.json, datasheet.md</p>")
    return "".join(parts)
