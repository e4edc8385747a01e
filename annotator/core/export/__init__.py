"""Datasets out of a project: JSONL (Prodigy), spaCy DocBin and CoNLL/IOB2, with splits,
a manifest and a datasheet, every record checked before anything is written."""

from annotator.core.export.run import (FORMATS, ExportExists, ExportOptions, ExportResult,
                                       default_folder, export_dataset)
from annotator.core.export.splits import SplitError
from annotator.core.export.validate import ExportError, ExportInvalid

__all__ = ["FORMATS", "ExportError", "ExportExists", "ExportInvalid", "ExportOptions",
           "ExportResult", "SplitError", "default_folder", "export_dataset"]
