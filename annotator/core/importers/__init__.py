"""Bringing articles into a project, all or nothing: plain text and JSONL, with the
annotations of our JSONL export, Prodigy, doccano and Label Studio files."""

from annotator.core.importers.records import DocumentRecord, Problem, grouped
from annotator.core.importers.run import ImportFailed, ImportReport, import_paths

__all__ = ["DocumentRecord", "ImportFailed", "ImportReport", "Problem", "grouped",
           "import_paths"]
