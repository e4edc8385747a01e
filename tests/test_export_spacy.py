"""spaCy DocBin and CoNLL exports: read back by spaCy itself, and good enough to train on."""

import subprocess
import sys

import orjson
import pytest
import spacy
from spacy.tokens import DocBin

from annotator.core.export import ExportOptions, export_dataset
from annotator.core.export.docbin import claims_of
from test_export_jsonl import annotate


@pytest.fixture
def exported(seeded, tmp_path):
    """The same annotated sample exported in all three formats."""
    annotate(seeded)
    for fmt in ("jsonl", "spacy", "conll"):
        export_dataset(seeded, ExportOptions(format=fmt, with_rejected=True), tmp_path / fmt)
    return tmp_path


def _records(folder):
    return [r for r in map(orjson.loads, (folder / "all.jsonl").read_bytes().splitlines())
            if r["answer"] == "accept"]


def _docs(path):
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_docbin_holds_entities_claim_groups_links_and_cats(exported):
    records, docs = _records(exported / "jsonl"), _docs(exported / "spacy" / "all.spacy")
    assert len(docs) == len(records) == 5
    for record, doc in zip(records, docs):
        assert doc.text == record["text"]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
            [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        assert doc.cats == {"relevance=relevant": 1.0, "relevance=partly_relevant": 0.0,
                            "relevance=irrelevant": 0.0}
        assert doc.user_data["meta"]["doc_id"] == record["meta"]["doc_id"]
        claims = claims_of(doc)
        assert len(claims) == len(record["claims"])
        for read, written in zip(claims, record["claims"]):
            assert read["type"] == written["type"] and read["content"].label_ == written["type"]
            for role in ("content", "source", "cue"):
                span = read[role]
                assert (None if span is None else (span.start_char, span.end_char)) == \
                    (None if written[role] is None else (written[role]["start"],
                                                         written[role]["end"]))
        assert len(doc.spans["sources"]) == len({(c["source"]["start"], c["source"]["end"])
                                                 for c in record["claims"] if c["source"]})
    manifest = orjson.loads((exported / "spacy" / "manifest.json").read_bytes())
    assert manifest["left_out"] == {"reject records (no place in this format)": 5}


def test_spacy_convert_reads_the_conll_file(exported, tmp_path):
    out = tmp_path / "converted"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "spacy", "convert",
                             str(exported / "conll" / "all.conll"), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    docs = _docs(out / "all.spacy")
    records = _records(exported / "jsonl")
    assert len(docs) == len(records)
    for record, doc in zip(records, docs):
        assert [(e.text, e.label_) for e in doc.ents] == \
            [(s["text"], s["label"]) for s in record["spans"]]
        assert len(list(doc.sents)) > 3


def test_a_tiny_pipeline_trains_on_the_export_and_predicts(exported, tmp_path):
    config = tmp_path / "config.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(config), "--lang", "en",
                    "--pipeline", "ner", "--optimize", "efficiency"], check=True,
                   capture_output=True)
    data = exported / "spacy" / "all.spacy"
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(config), "--output", str(tmp_path / "model"),
         "--paths.train", str(data), "--paths.dev", str(data), "--training.max_steps", "20",
         "--training.eval_frequency", "10", "--system.seed", "1"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    nlp = spacy.load(tmp_path / "model" / "model-last")
    assert set(nlp.get_pipe("ner").labels) == {"GPE", "ORG", "PERSON", "DATE"}
    doc = nlp("Officials in Damascus said on Tuesday that talks with Israel would resume.")
    assert len(doc) == 13 and all(e.label_ in nlp.get_pipe("ner").labels for e in doc.ents)


def test_a_split_larger_than_a_shard_is_a_folder_spacy_reads_as_one_corpus(seeded, tmp_path,
                                                                          monkeypatch):
    """A DocBin is built in memory: past `SHARD` documents a split becomes a folder of
    .spacy files under the single file's name, which spaCy's corpus reader takes alike."""
    from spacy.training import Corpus

    from annotator.core.export import docbin

    annotate(seeded)
    export_dataset(seeded, ExportOptions(format="spacy"), tmp_path / "whole")
    whole = _docs(tmp_path / "whole" / "all.spacy")
    monkeypatch.setattr(docbin, "SHARD", 2)
    result = export_dataset(seeded, ExportOptions(format="spacy"), tmp_path / "out")
    folder = tmp_path / "out" / "all.spacy"
    assert sorted(p.name for p in folder.iterdir()) == [
        "all-0000.spacy", "all-0001.spacy", "all-0002.spacy"]
    assert [f["name"] for f in result.manifest["files"]] == [
        f"all.spacy/all-000{i}.spacy" for i in range(3)]
    read = [example.reference for example in Corpus(folder)(spacy.blank("en"))]
    assert [d.text for d in read] == [d.text for d in whole]
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in read] == \
        [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in whole]
