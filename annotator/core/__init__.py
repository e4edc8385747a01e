"""The product: documents, spans, schema, store, suggesters, formats, metrics.

Nothing under ``annotator.core`` may import Qt; the GUI and the CLI are two faces of it.
"""
