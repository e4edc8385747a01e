"""The bytes an export writes do not depend on how its inputs were stored or cached.

The speed work on imports (spans stored in bulk as JSON arrays) and exports (tokens cached as
their serialised JSON) must not change a single byte: a first export (tokenizing) and a
later one (from the cache) write the same file, and so does an export of a project imported
from that file.
"""

from annotator.core.export import ExportOptions, export_dataset
from annotator.core.importers import import_paths
from annotator.core.project import current_schema, open_project
from annotator.core.tokens import tokenizer_key
from tests.test_export_jsonl import annotate


def test_a_first_and_a_cached_export_write_the_same_bytes(seeded, tmp_path):
    annotate(seeded)
    seeded.tokens.clear()
    cold = export_dataset(seeded, ExportOptions(with_rejected=True), tmp_path / "cold")
    assert seeded.tokens.count(tokenizer_key()) == 5  # the first export filled the cache
    warm = export_dataset(seeded, ExportOptions(with_rejected=True), tmp_path / "warm")
    assert (tmp_path / "cold" / "all.jsonl").read_bytes() == \
        (tmp_path / "warm" / "all.jsonl").read_bytes()
    assert cold.manifest["files"] == warm.manifest["files"]


def test_an_imported_export_exports_byte_for_byte(seeded, tmp_path):
    annotate(seeded)
    export_dataset(seeded, ExportOptions(with_rejected=True), tmp_path / "one")
    with open_project(tmp_path / "other.db") as other:
        report = import_paths(other, [tmp_path / "one" / "all.jsonl"], annotator="importer")
        assert report.spans > 0 and report.claims > 0
        export_dataset(other, ExportOptions(with_rejected=True), tmp_path / "two")
    assert (tmp_path / "one" / "all.jsonl").read_bytes() == \
        (tmp_path / "two" / "all.jsonl").read_bytes()


def test_spans_stored_in_bulk_keep_every_value_exactly(seeded):
    """Scores go through SQLite's JSON reader in a file: each must come back the same
    float, as a bound parameter would."""
    doc = next(iter(seeded.documents.iter_all()))
    scores = [0.1, 1 / 3, 2 / 3, 0.30000000000000004, 5e-324, 0.9999999999999999, 1.0, 0.0,
              None]
    with seeded.transaction():
        set_id = seeded.sets.ensure(doc.id, "bulk", current_schema(seeded).hash).id
        ids = seeded.spans.new_ids(len(scores))
        seeded.spans.insert_grouped([(set_id, [
            (i, i, i + 1, "entity", "PERSON", "model:ünïcode@1", "suggested", score)
            for i, score in enumerate(scores)])], ids)
    stored = seeded.spans.for_set(set_id)
    assert [(s.id, s.start, s.end, s.label, s.origin, s.state, s.score, s.attributes)
            for s in stored] == [
        (span_id, i, i + 1, "PERSON", "model:ünïcode@1", "suggested", score, {})
        for i, (span_id, score) in enumerate(zip(ids, scores))]
    assert all(type(s.score) is float for s in stored if s.score is not None)
