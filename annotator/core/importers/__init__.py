"""Bringing articles into a project: plain text and JSONL, all or nothing."""

from annotator.core.importers.records import DocumentRecord, Problem
from annotator.core.importers.run import ImportFailed, ImportReport, import_paths

__all__ = ["DocumentRecord", "ImportFailed", "ImportReport", "Problem", "import_paths"]
