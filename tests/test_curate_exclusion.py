"""Excluding with a reason, keeping one of a duplicate cluster: undoable ops, never exported,
counted by reason in the datasheet; the CLI's bad input changes nothing."""

import orjson
import pytest

from annotator.cli import main
from annotator.core.curate.clusters import refresh_clusters
from annotator.core.curate.exclusion import (REASONS, by_reason, choices, exclude, keep_one,
                                             op_for, reason_text)
from annotator.core.export import ExportOptions, export_dataset
from annotator.core.history import History
from annotator.core.importers import import_paths
from annotator.core.ops import OpError
from annotator.core.session import Session
from annotator.core.store import Store
from conftest import SEEDS
from test_export_jsonl import annotate

LEAD = Session("lead")
ORIGINAL = (SEEDS / "000_ccc925a8ed36d058.txt").read_text(encoding="utf-8")
LONGER = ORIGINAL + "\n\nThis report was updated with reactions from Damascus."
SHORTER = "Syria, Israel and US agree on a cell\n\n" + "\n\n".join(ORIGINAL.split("\n\n")[1:-2])


def _with_copies(store, tmp_path):
    """The seeds plus a longer and a shorter copy of the first (dated before it), grouped;
    returns the ids of (original, longer, shorter)."""
    lines = [orjson.dumps({"text": LONGER, "meta": {"date": "2025-12-03"}}),
             orjson.dumps({"text": SHORTER, "meta": {"date": "2025-12-01"}})]
    (tmp_path / "copies.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    import_paths(store, [tmp_path / "copies.jsonl"], annotator="lead")
    refresh_clusters(store, LEAD)
    by_text = {d.text: d.id for d in store.documents.iter_all()}
    return by_text[ORIGINAL], by_text[LONGER], by_text[SHORTER]


def _excluded(store):
    return {d.id: d.exclude_reason for d in store.documents.iter_all() if d.curation == "excluded"}


def test_a_reason_comes_from_the_list_and_other_needs_a_note():
    assert reason_text("off-topic") == "off-topic"
    assert reason_text("broken text", " mojibake ") == "broken text: mojibake"
    assert reason_text("other", "a press release") == "other: a press release"
    with pytest.raises(OpError, match="needs a note"):
        reason_text("other")
    with pytest.raises(OpError, match="not one of"):
        reason_text("boring")


def test_exclude_with_a_reason_is_one_undoable_op(seeded):
    ids = seeded.documents.ids_in_order()
    history = History()
    history.do(seeded, exclude(LEAD, seeded, ids[:2], "other", "a press release"))
    assert _excluded(seeded) == {ids[0]: "other: a press release", ids[1]: "other: a press release"}
    history.undo(seeded)
    assert _excluded(seeded) == {}


@pytest.mark.parametrize("keep", ["longest", "earliest", "this"])
def test_keep_one_of_a_duplicate_cluster_excludes_the_rest_as_duplicates(seeded, tmp_path, keep):
    original, longer, shorter = _with_copies(seeded, tmp_path)
    kept = {"longest": longer, "earliest": shorter, "this": original}[keep]
    history = History()
    history.do(seeded, keep_one(LEAD, seeded, original, keep))
    assert _excluded(seeded) == {doc_id: "duplicate" for doc_id in {original, longer, shorter}
                                 - {kept}}
    history.undo(seeded)
    assert _excluded(seeded) == {}


def test_keep_one_refuses_a_document_without_copies(seeded, tmp_path):
    other_seed = seeded.documents.ids_in_order()[1]
    with pytest.raises(OpError, match="no clusters yet"):
        keep_one(LEAD, seeded, other_seed, "longest")
    _with_copies(seeded, tmp_path)
    with pytest.raises(OpError, match="no near-duplicates"):
        keep_one(LEAD, seeded, other_seed, "longest")
    assert _excluded(seeded) == {}


def test_excluded_documents_are_never_exported_and_counted_by_reason(seeded, tmp_path):
    annotate(seeded)
    ids = seeded.documents.ids_in_order()
    exclude(LEAD, seeded, ids[:1], "duplicate").apply(seeded)
    exclude(LEAD, seeded, ids[1:2], "other", "an opinion piece").apply(seeded)
    exclude(LEAD, seeded, ids[2:3], "other", "a listing").apply(seeded)
    result = export_dataset(seeded, ExportOptions(), tmp_path / "out")
    exported = [orjson.loads(line)["meta"]["doc_id"]
                for line in (tmp_path / "out" / "all.jsonl").read_bytes().splitlines()]
    assert exported == ids[3:]
    assert result.manifest["project"]["excluded"] == {"other": 2, "duplicate": 1}
    datasheet = (tmp_path / "out" / "datasheet.md").read_text(encoding="utf-8")
    assert "Excluded by a curator: 3 (other 2, duplicate 1)." in datasheet


def test_reasons_are_counted_by_the_list_entry_they_start_with():
    assert by_reason({"duplicate": 2, "other: a": 1, "other: b": 1, None: 1, "spam": 1}) == \
        {"duplicate": 2, "other": 2, "no reason given": 1, "spam": 1}


def test_cli_names_an_unknown_id_and_an_empty_search_and_changes_nothing(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "import", "--quiet", str(SEEDS)]) == 0
    with Store(db) as store:
        ids = store.documents.ids_in_order()
    capsys.readouterr()
    assert main(["--db", db, "curate", "exclude", ids[0], "ffffffffffff"]) == 2
    assert "ffffffffffff: no such document" in capsys.readouterr().err
    assert main(["--db", db, "curate", "exclude", "--query", "zebrafish"]) == 1
    assert "no document matches 'zebrafish'" in capsys.readouterr().err
    assert main(["--db", db, "curate", "exclude", ids[0], "--reason", "other"]) == 1
    assert "needs a note" in capsys.readouterr().err
    with Store(db) as store:
        assert _excluded(store) == {}
    assert main(["--db", db, "curate", "exclude", ids[0], ids[1], "--reason", "other",
                 "--note", "wire copy"]) == 0
    assert "excluded 2 document(s): other: wire copy" in capsys.readouterr().out
    with Store(db) as store:
        assert _excluded(store) == {ids[0]: "other: wire copy", ids[1]: "other: wire copy"}


def test_the_choices_offer_keeping_one_only_for_a_document_with_copies(seeded, tmp_path):
    original, longer, shorter = _with_copies(seeded, tmp_path)
    other_seed = seeded.documents.ids_in_order()[1]
    assert choices(seeded, other_seed) == list(REASONS)
    assert choices(seeded, shorter) == [*REASONS, "keep the longest", "keep the earliest",
                                        "keep this one"]
    op_for(LEAD, seeded, shorter, "keep this one").apply(seeded)
    assert _excluded(seeded) == {original: "duplicate", longer: "duplicate"}
    op_for(LEAD, seeded, other_seed, "not news", "an advert").apply(seeded)
    assert _excluded(seeded)[other_seed] == "not news: an advert"
