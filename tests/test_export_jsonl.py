"""JSONL export: the record (docs/architecture.md), selection, checks, manifest, round trip.

`annotate` builds an annotated project through store calls (one transaction per document,
as the app's ops do); the other export tests use it too.
"""

import re

import orjson
import pytest

from annotator.cli import main
from annotator.core.export import (ExportError, ExportExists, ExportInvalid, ExportOptions,
                                   export_dataset)
from annotator.core.export.record import RecordBuilder
from annotator.core.export.selection import Annotation, Selection, iter_annotations
from annotator.core.importers import import_paths
from annotator.core.project import current_schema, open_project
from annotator.core.store import GOLD
from annotator.core.tokens import aligned_tokens, doc_tokens

GAZETTEER = {"Syria": "GPE", "Israel": "GPE", "Paris": "GPE", "Damascus": "GPE",
             "Reuters": "ORG", "Benjamin Netanyahu": "PERSON", "Tuesday": "DATE"}
_NAME = re.compile(r"(?<![\w‑-])(" + "|".join(map(re.escape, GAZETTEER)) + r")(?![\w‑-])")


def annotate(store, annotator="alice", status="done"):
    """Entities from a small gazetteer, one claim (quote, source, cue) per document, one
    rejected and one undecided suggestion; returns the documents in import order."""
    schema = current_schema(store)
    docs = list(store.documents.iter_all())
    for doc in docs:
        with store.transaction():
            aset = store.sets.ensure(doc.id, annotator, schema.hash)
            found = list(_NAME.finditer(doc.text))
            for m in found:
                store.spans.add(aset.id, m.start(), m.end(), layer="entity",
                                label=GAZETTEER[m[1]], origin="human", state="accepted")
            quote = re.search(r"“([^”]+)”", doc.text)
            cue = re.search(r"\bsaid\b", doc.text)
            if quote:
                content = store.spans.add(aset.id, quote.start(1), quote.end(1), layer="claim",
                                          label="direct_quote", origin="human",
                                          state="accepted")
                source = store.spans.add(aset.id, found[0].start(), found[0].end(),
                                         layer="source", label="SOURCE", origin="human",
                                         state="accepted")
                cue_id = store.spans.add(aset.id, cue.start(), cue.end(), layer="cue",
                                         label="CUE", origin="human", state="accepted").id \
                    if cue else None
                store.claims.add(aset.id, content.id, type="direct_quote",
                                 source_span_id=source.id, cue_span_id=cue_id,
                                 attributes={"confidence": "high"})
            free = [m for m in re.finditer(r"\b(officials|statement)\b", doc.text)
                    if not any(f.start() < m.end() and m.start() < f.end() for f in found)]
            store.spans.add(aset.id, free[0].start(), free[0].end(), layer="entity",
                            label="ORG", origin="model:x@1", state="rejected")
            store.spans.add(aset.id, free[1].start(), free[1].end(), layer="entity",
                            label="ORG", origin="model:x@1", state="suggested")
            store.sets.update(aset.id, status=status, cats={"relevance": "relevant"})
    return docs


def _records(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@pytest.fixture
def annotated(seeded):
    annotate(seeded)
    return seeded


def test_record_has_every_documented_field_and_spans_match_text_and_tokens(annotated,
                                                                            tmp_path):
    result = export_dataset(annotated, ExportOptions(), tmp_path / "out")
    records = _records(tmp_path / "out" / "all.jsonl")
    assert len(records) == 5
    record = records[0]
    assert list(record) == ["text", "meta", "_input_hash", "_task_hash", "tokens", "spans",
                            "claims", "relations", "cats", "answer", "_annotator_id",
                            "_session_id", "_timestamp", "_view_id", "schema"]
    assert record["answer"] == "accept" and record["_annotator_id"] == "alice"
    assert record["meta"]["file"] == "000_ccc925a8ed36d058.txt"
    assert record["schema"]["hash"] == current_schema(annotated).hash
    assert record["cats"] == {"relevance=relevant": 1.0, "relevance=partly_relevant": 0.0,
                              "relevance=irrelevant": 0.0}  # Prodigy's shape
    text, tokens = record["text"], record["tokens"]
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
    for span in record["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
        assert GAZETTEER[span["text"]] == span["label"]
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    # rejected and undecided suggestions are not part of the accepted record
    assert not {"officials", "statement"} & {s["text"] for s in record["spans"]}
    assert result.manifest["splits"]["all"]["records"] == 5


def test_claims_carry_source_and_cue_and_relations_link_them(annotated, tmp_path):
    export_dataset(annotated, ExportOptions(), tmp_path / "out")
    with_claims = [r for r in _records(tmp_path / "out" / "all.jsonl") if r["claims"]]
    assert with_claims
    for record in with_claims:
        claim = record["claims"][0]
        assert claim["type"] == "direct_quote" and claim["attributes"] == {"confidence": "high"}
        assert record["text"][claim["content"]["start"]:claim["content"]["end"]] == \
            claim["content"]["text"]
        labels = {r["label"]: r for r in record["relations"]}
        assert labels["source"]["head_span"] == claim["content"]
        assert labels["source"]["child_span"] == claim["source"]
        assert labels["source"]["child"] == claim["source"]["token_end"]
        if claim["cue"]:
            assert claim["cue"]["text"] == "said" and labels["cue"]["child_span"] == claim["cue"]


def test_with_rejected_adds_one_reject_record_per_rejected_entity(annotated, tmp_path):
    export_dataset(annotated, ExportOptions(with_rejected=True), tmp_path / "out")
    records = _records(tmp_path / "out" / "all.jsonl")
    rejects = [r for r in records if r["answer"] == "reject"]
    assert len(rejects) == 5 and len(records) == 10
    assert all(len(r["spans"]) == 1 and r["spans"][0]["text"] in ("officials", "statement")
               and r["_view_id"] == "ner" for r in rejects)



def test_hashes_name_the_text_and_the_task(annotated, tmp_path):
    """Prodigy's reading: `_input_hash` is the same for every record of one text, whoever
    made it, and `_task_hash` changes with the annotation."""
    annotate(annotated, "bob")
    with annotated.transaction():  # bob rejects one entity alice accepted, in one document
        bob = annotated.sets.find(next(iter(annotated.documents.iter_all())).id, "bob")
        first = annotated.spans.for_set(bob.id, layer="entity")[0]
        annotated.spans.update(first.id, state="rejected")
    export_dataset(annotated, ExportOptions(annotator="alice", with_rejected=True),
                   tmp_path / "alice")
    export_dataset(annotated, ExportOptions(annotator="bob"), tmp_path / "bob")
    alice = [r for r in _records(tmp_path / "alice" / "all.jsonl") if r["answer"] == "accept"]
    rejects = [r for r in _records(tmp_path / "alice" / "all.jsonl") if r["answer"] == "reject"]
    bob = _records(tmp_path / "bob" / "all.jsonl")
    assert len({r["_input_hash"] for r in alice}) == 5
    assert [r["_input_hash"] for r in alice] == [r["_input_hash"] for r in bob] \
        == [r["_input_hash"] for r in rejects]
    same = [a["_task_hash"] == b["_task_hash"] for a, b in zip(alice, bob)]
    assert same == [False, True, True, True, True]  # only the first document differs
    assert len({r["_task_hash"] for r in alice + rejects}) == 10

def test_selection_by_annotator_gold_latest_unfinished_and_excluded(seeded, tmp_path):
    docs = annotate(seeded, "alice")
    annotate(seeded, "bob", status="in_progress")
    schema = current_schema(seeded)
    with seeded.transaction():
        gold = seeded.sets.ensure(docs[1].id, GOLD, schema.hash)
        seeded.spans.add(gold.id, 0, 2, layer="entity", label="GPE", origin="human",
                         state="accepted")
        seeded.sets.update(gold.id, status="done", reviewed_by="carol")
        seeded.documents.set_curation(docs[4].id, "excluded", "off topic")

    def export(name, **options):
        export_dataset(seeded, ExportOptions(**options), tmp_path / name)
        return [(r["meta"]["doc_id"], r["_annotator_id"], r["answer"], r.get("_status"))
                for r in _records(tmp_path / name / "all.jsonl")]

    ids = [d.id for d in docs]
    assert export("alice", annotator="alice") == [(i, "alice", "accept", None) for i in ids[:4]]
    assert export("gold", annotator="gold") == [(ids[1], "gold", "accept", None)]
    assert export("latest") == [(ids[0], "alice", "accept", None),
                                (ids[1], "gold", "accept", None),
                                (ids[2], "alice", "accept", None),
                                (ids[3], "alice", "accept", None)]
    # finished work first, even where bob changed his unfinished set later
    assert export("latest_unfinished", include_unfinished=True) == export("latest_again")
    with pytest.raises(ExportError, match="nothing to export.*--include-unfinished"):
        export("bob", annotator="bob")
    assert export("bob2", annotator="bob", include_unfinished=True) == \
        [(i, "bob", "ignore", "in_progress") for i in ids[:4]]
    assert not (tmp_path / "bob").exists()


def test_model_selection_exports_cached_suggestions_as_an_annotator(seeded, tmp_path):
    from annotator.core.suggest.materialise import project_model
    from annotator.core.suggest.pipeline import key_for

    doc = next(iter(seeded.documents.iter_all()))
    key = key_for(project_model(seeded))
    at = doc.text.index("Issue Joint Statement")
    payload = {"spans": [{"start": 4, "end": 9, "label": "GPE", "score": 0.9, "origin": key}],
               "claims": [{"type": "indirect", "content": {"start": at, "end": at + 21},
                           "source": {"start": 4, "end": 9}, "cue": None}]}
    with seeded.transaction():
        seeded.suggestions.put_many(key, current_schema(seeded).hash, [(doc.id, payload)])
    result = export_dataset(seeded, ExportOptions(annotator="model"), tmp_path / "m")
    (record,) = _records(tmp_path / "m" / "all.jsonl")
    # issue 15, bug 5: the four documents without cached suggestions are said to be left out
    assert result.manifest["left_out"] == {
        "documents without the model's cached suggestions (annotator suggest computes them)": 4}
    assert record["_annotator_id"] == key and record["answer"] == "accept"
    assert [(s["text"], s["label"]) for s in record["spans"]] == [("Syria", "GPE")]
    assert record["claims"][0]["source"]["text"] == "Syria"
    assert record["claims"][0]["content"]["text"] == "Issue Joint Statement"


def test_validation_failure_names_document_and_span_and_writes_nothing(annotated, tmp_path):
    doc = next(iter(annotated.documents.iter_all()))
    aset = annotated.sets.find(doc.id, "alice")
    first = annotated.spans.for_set(aset.id, layer="entity")[0]
    with annotated.transaction():  # an overlap no op would allow, written behind their back
        annotated.spans.add(aset.id, first.start, first.end + 5, layer="entity", label="ORG",
                            origin="script", state="accepted")
    with pytest.raises(ExportInvalid) as failed:
        export_dataset(annotated, ExportOptions(), tmp_path / "exports" / "out")
    assert str(failed.value) == (
        f"document {doc.id[:12]} ({doc.title!r}), ORG span {first.start}:{first.end + 5}: "
        f"overlaps the {first.label} span {first.start}:{first.end}")
    assert list((tmp_path / "exports").iterdir()) == []


def test_a_read_holds_its_snapshot_until_it_ends_or_is_closed(annotated):
    """The export reads in one read transaction; a reading stopped half-way and closed
    (as the export closes it when a record fails) must not leave the connection inside it,
    or the next action's write would only be a savepoint of it."""
    reading = iter_annotations(annotated, Selection("alice"))
    next(reading)
    assert annotated.conn.in_transaction
    reading.close()
    assert not annotated.conn.in_transaction
    assert len(list(iter_annotations(annotated, Selection("alice")))) == 5
    assert not annotated.conn.in_transaction


def test_span_taking_in_whitespace_fails_alignment_and_writes_nothing(annotated, tmp_path):
    doc = next(iter(annotated.documents.iter_all()))
    aset = annotated.sets.find(doc.id, "alice")
    span = next(s for s in annotated.spans.for_set(aset.id, layer="entity")
                if doc.text[s.end] == " ")
    with annotated.transaction():
        annotated.spans.update(span.id, end=span.end + 1)  # swallows the space after it
    with pytest.raises(ExportInvalid, match=f"{span.start}:{span.end + 1}: a span edge falls "
                                            "in the whitespace between tokens"):
        export_dataset(annotated, ExportOptions(format="spacy"), tmp_path / "exports" / "out")
    assert list((tmp_path / "exports").iterdir()) == []


def test_token_split_inside_a_word_is_counted_not_refused(seeded, tmp_path):
    schema = current_schema(seeded)
    doc = next(d for d in seeded.documents.iter_all() if "Israeli‑Syrian" in d.text)
    at = doc.text.index("Israeli‑Syrian")
    with seeded.transaction():
        aset = seeded.sets.ensure(doc.id, "alice", schema.hash)
        seeded.spans.add(aset.id, at, at + 7, layer="entity", label="NORP", origin="human",
                         state="accepted")
        seeded.spans.add(aset.id, at + 8, at + 14, layer="entity", label="NORP",
                         origin="human", state="accepted")
        seeded.sets.update(aset.id, status="done")
    result = export_dataset(seeded, ExportOptions(), tmp_path / "out")
    assert result.manifest["tokens_split_at_span_edges"] == 2
    (record,) = _records(tmp_path / "out" / "all.jsonl")
    assert [s["text"] for s in record["spans"]] == ["Israeli", "Syrian"]
    expected, n_split = aligned_tokens(doc.text, [(at, at + 7), (at + 8, at + 14)])
    assert n_split == 2
    assert [(t["start"], t["end"], t["ws"]) for t in record["tokens"]] == \
        [(t.start, t.end, t.ws) for t in expected]


def test_an_earlier_export_is_never_overwritten(annotated, tmp_path):
    export_dataset(annotated, ExportOptions(), tmp_path / "out")
    before = (tmp_path / "out" / "all.jsonl").read_bytes()
    with pytest.raises(ExportExists):
        export_dataset(annotated, ExportOptions(with_rejected=True), tmp_path / "out")
    assert (tmp_path / "out" / "all.jsonl").read_bytes() == before


def test_manifest_and_datasheet_describe_the_export(annotated, tmp_path):
    export_dataset(annotated, ExportOptions(split="60/20/20", seed=3), tmp_path / "out",
                   command="annotator export --split 60/20/20 --seed 3")
    manifest = orjson.loads((tmp_path / "out" / "manifest.json").read_bytes())
    assert manifest["command"] == "annotator export --split 60/20/20 --seed 3"
    assert manifest["options"]["seed"] == 3 and manifest["schema"]["name"] == "news"
    assert manifest["project"]["file"] == annotated.location.name and manifest["project"]["documents"] == 5
    assert manifest["annotators"] == {"alice": 5}
    assert sum(layers["entity"]["GPE"] for layers in manifest["labels"].values()) > 0
    assert sum(layers["claim"]["direct_quote"] for layers in manifest["labels"].values()) == \
        sum(counts["records"] for counts in manifest["splits"].values()) - 1  # one has no quote
    assert {f["name"] for f in manifest["files"]} <= {"train.jsonl", "dev.jsonl", "test.jsonl"}
    datasheet = (tmp_path / "out" / "datasheet.md").read_text(encoding="utf-8")
    assert "Schema **news**" in datasheet and "| alice | 5 |" in datasheet


def test_round_trip_export_import_export_gives_the_same_records(annotated, tmp_path):
    export_dataset(annotated, ExportOptions(with_rejected=True), tmp_path / "one")
    with open_project(tmp_path / "empty.db") as other:
        report = import_paths(other, [tmp_path / "one" / "all.jsonl"], annotator="importer")
        assert report.imported == 5 and report.duplicates == []
        assert other.sets.annotators() == ["alice"]
        export_dataset(other, ExportOptions(with_rejected=True), tmp_path / "two")
    first, second = (_records(tmp_path / n / "all.jsonl") for n in ("one", "two"))
    assert first == second  # `_timestamp` too: the import keeps when the work was done


def test_import_without_annotator_id_credits_the_importing_annotator(annotated, tmp_path):
    export_dataset(annotated, ExportOptions(), tmp_path / "one")
    lines = []
    for record in _records(tmp_path / "one" / "all.jsonl"):
        del record["_annotator_id"]
        for token_field in ("token_start", "token_end"):
            for span in record["spans"]:
                del span[token_field]
        del record["tokens"]
        lines.append(orjson.dumps(record))
    (tmp_path / "anon.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    with open_project(tmp_path / "empty.db") as other:
        import_paths(other, [tmp_path / "anon.jsonl"], annotator="zoe")
        assert other.sets.annotators() == ["zoe"]
        assert other.stats.summary()["annotation_sets"] == {"zoe": {"done": 5}}


def test_cli_export_writes_a_new_timestamped_folder_under_exports(annotated, tmp_path,
                                                                  monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    db = annotated.location.value
    assert main(["export", "--db", db, "--annotator", "alice"]) == 0
    assert main(["export", "--db", db, "--format", "conll"]) == 0
    folders = {p.name.split("-", 1)[1]: p for p in (tmp_path / "exports").iterdir()}
    assert sorted(folders) == ["conll-latest", "jsonl-alice"]
    assert "all: 5 record(s) from 5 document(s)" in capsys.readouterr().out
    assert main(["export", "--db", db, "--out", str(folders["jsonl-alice"])]) == 1
    assert "never overwritten" in capsys.readouterr().err


def test_an_export_reads_one_state_of_the_project_while_the_annotator_works(annotated):
    """An edit the window saves (another connection) while an export runs belongs to the
    next export, never half to this one: the export reads one snapshot."""
    docs = list(annotated.documents.iter_all())
    reading = iter_annotations(annotated, Selection("alice"))
    first = next(reading)
    with open_project(annotated.location) as window:
        last = window.sets.find(docs[-1].id, "alice")
        rejected = window.spans.for_set(last.id, layer="entity")[0]
        with window.transaction():
            window.spans.update(rejected.id, state="rejected")
    during = [first, *reading]
    after = list(iter_annotations(annotated, Selection("alice")))
    part = (rejected.start, rejected.end, rejected.label)

    def parts(found):  # (start, end, label) of each, however the sequence is made
        return {tuple(p) for p in found}

    assert part in parts(during[-1].entities) and part not in parts(during[-1].rejected)
    assert part not in parts(after[-1].entities) and part in parts(after[-1].rejected)


def test_a_claim_may_take_an_entity_as_its_source_and_leaves_with_accepted_content(seeded,
                                                                                     tmp_path):
    doc = next(d for d in seeded.documents.iter_all() if "Syrian official" in d.text)
    at = doc.text.index("Syrian official")
    quote = re.search(r"“([^”]+)”", doc.text)
    with seeded.transaction():
        aset = seeded.sets.ensure(doc.id, "alice", current_schema(seeded).hash)
        entity = seeded.spans.add(aset.id, at, at + len("Syrian official"), layer="entity",
                                  label="PERSON", origin="human", state="accepted")
        kept = seeded.spans.add(aset.id, quote.start(1), quote.end(1), layer="claim",
                                label="direct_quote", origin="human", state="accepted")
        seeded.claims.add(aset.id, kept.id, type="direct_quote", source_span_id=entity.id)
        dropped = seeded.spans.add(aset.id, 0, 5, layer="claim", label="indirect",
                                   origin="model:x@1", state="rejected")
        seeded.claims.add(aset.id, dropped.id, type="indirect", source_span_id=entity.id)
        seeded.sets.update(aset.id, status="done")
    export_dataset(seeded, ExportOptions(annotator="alice"), tmp_path / "out")
    (record,) = _records(tmp_path / "out" / "all.jsonl")
    (claim,) = record["claims"]
    assert (claim["content"]["start"], claim["source"]["text"]) == (quote.start(1),
                                                                    "Syrian official")
    assert claim["source"] == record["spans"][0] and claim["cue"] is None
    assert [r["label"] for r in record["relations"]] == ["source"]


@pytest.mark.parametrize("offsets", [(-2, 4), ("end", +4)])
def test_a_span_outside_the_text_is_named_as_such(seeded, offsets):
    """The store's constraints keep such spans out; the model's cached suggestions are
    checked the same way on their way out."""
    doc = next(iter(seeded.documents.iter_all()))
    start, end = offsets
    if start == "end":
        start, end = len(doc.text) - 3, len(doc.text) + end
    ann = Annotation(doc, "model:x@1", "done", {}, None, ((start, end, "ORG"),), (),
                     tokens=doc_tokens(doc.text))
    builder = RecordBuilder(current_schema(seeded), json_tokens=True)
    with pytest.raises(ExportInvalid, match=f"ORG span {start}:{end}: offsets outside the "
                                            rf"text \(0:{len(doc.text)}\)"):
        builder.build(ann)


def test_latest_prefers_finished_then_gold_then_the_most_recent_then_the_oldest_set(seeded,
                                                                                    tmp_path):
    """The `latest` rule, document by document (it is written once, in SQL)."""
    docs = list(seeded.documents.iter_all())[:4]
    schema = current_schema(seeded)

    def set_(doc, annotator, status, updated_at):
        aset = seeded.sets.ensure(doc.id, annotator, schema.hash)
        seeded.sets.update(aset.id, status=status)
        seeded.conn.execute("UPDATE annotation_sets SET updated_at = ? WHERE id = ?",
                            (updated_at, aset.id))

    with seeded.transaction():
        set_(docs[0], "alice", "done", "2026-01-01T10:00:00+00:00")  # both done: the later
        set_(docs[0], "bob", "done", "2026-01-02T10:00:00+00:00")
        set_(docs[1], "bob", "done", "2026-01-05T10:00:00+00:00")  # a tie: the older set
        set_(docs[1], "alice", "done", "2026-01-05T10:00:00+00:00")
        set_(docs[2], GOLD, "in_progress", "2026-01-09T10:00:00+00:00")  # finished first
        set_(docs[2], "alice", "done", "2026-01-01T10:00:00+00:00")
        set_(docs[3], "alice", "done", "2026-01-09T10:00:00+00:00")  # gold before the rest
        set_(docs[3], GOLD, "done", "2026-01-01T10:00:00+00:00")
    export_dataset(seeded, ExportOptions(), tmp_path / "latest")
    chosen = [(r["meta"]["doc_id"], r["_annotator_id"])
              for r in _records(tmp_path / "latest" / "all.jsonl")]
    assert chosen == [(docs[0].id, "bob"), (docs[1].id, "bob"), (docs[2].id, "alice"),
                      (docs[3].id, GOLD)]


def test_unattributed_claims_with_a_source_are_noted_in_the_manifest(annotated, tmp_path):
    """Issue 15, bug 4: an unattributed claim could carry a source and a cue without any word
    at export."""
    from annotator.core.export.summary import summary_lines

    doc = next(iter(annotated.documents.iter_all()))
    aset = annotated.sets.find(doc.id, "alice")
    (claim,) = [c for c in annotated.claims.for_set(aset.id) if c.source_span_id]
    with annotated.transaction():
        annotated.claims.update(claim.id, type="unattributed")
    result = export_dataset(annotated, ExportOptions(annotator="alice"), tmp_path / "out")
    (note, n), = result.manifest["notes"].items()
    assert n == 1 and note.startswith("unattributed claim(s) that name a source")
    assert f"note: 1 {note}" in summary_lines(result.manifest)
    assert "## Notes" in (tmp_path / "out" / "datasheet.md").read_text(encoding="utf-8")
    with annotated.transaction():  # content and cue, as the schema's guideline has it
        annotated.claims.update(claim.id, source_span_id=None)
    assert annotated.claims.get(claim.id).cue_span_id is not None
    result = export_dataset(annotated, ExportOptions(annotator="alice"), tmp_path / "again")
    assert result.manifest["notes"] == {}
