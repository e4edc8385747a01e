"""Cluster ids: the export's near-duplicate / same-story groups, stored on every document."""

import orjson

from annotator.core.curate.clusters import listing, refresh_after_import, refresh_clusters
from annotator.core.export import ExportOptions, export_dataset
from annotator.core.export.grouping import Grouper
from annotator.core.importers import import_paths
from annotator.core.session import Session
from conftest import SEEDS
from test_export_jsonl import annotate
from test_export_splits import OTHER_STORIES

SEED_COPY = "Reprinted with permission.\n" + (SEEDS / "000_ccc925a8ed36d058.txt").read_text(
    encoding="utf-8").replace("Tuesday", "on Tuesday evening")
OTHER_COPY = "From our partners. " + OTHER_STORIES[0]
LEAD = Session("lead")


def _import(store, tmp_path, name, texts):
    lines = b"".join(orjson.dumps({"text": t, "label": []}) + b"\n" for t in texts)
    (tmp_path / name).write_bytes(lines)
    import_paths(store, [tmp_path / name], annotator="alice")  # done sets, no entities


def _clusters(store):
    return {doc.id: doc.cluster_id for doc in store.documents.iter_all()}


def _by_text(store):
    return {doc.text: doc.id for doc in store.documents.iter_all()}


def test_documents_the_export_groups_share_a_cluster_id_and_others_differ(seeded, tmp_path):
    annotate(seeded)
    _import(seeded, tmp_path, "more.jsonl", [*OTHER_STORIES, SEED_COPY, OTHER_COPY])
    assert set(_clusters(seeded).values()) == {None}  # never computed yet

    reported = []
    refresh = refresh_clusters(seeded, LEAD, progress=lambda done, total: reported.append(done))
    clusters = _clusters(seeded)
    ids = _by_text(seeded)
    seed_ids = [ids[p.read_text(encoding="utf-8")] for p in sorted(SEEDS.glob("*.txt"))]

    first_seed = next(d.id for d in seeded.documents.iter_all())  # imported first
    assert {clusters[i] for i in [*seed_ids, ids[SEED_COPY]]} == {first_seed}
    assert clusters[ids[OTHER_COPY]] == clusters[ids[OTHER_STORIES[0]]] == ids[OTHER_STORIES[0]]
    singles = [clusters[ids[text]] for text in OTHER_STORIES[1:]]
    assert singles == [ids[text] for text in OTHER_STORIES[1:]]  # alone: its own cluster
    assert len(set(clusters.values())) == 6 == refresh.clusters
    assert (refresh.documents, refresh.changed) == (12, 12)
    assert reported[-1] == 12 and reported == sorted(reported)

    # The export, grouping the same documents for its splits, finds the same groups.
    result = export_dataset(seeded, ExportOptions(split="50/25/25", seed=3), tmp_path / "out")
    assert result.manifest["grouping"]["groups"] == refresh.clusters
    split_of = {}
    for path in (tmp_path / "out").glob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            split_of[orjson.loads(line)["meta"]["doc_id"]] = path.stem
    assert set(split_of) == set(clusters)
    for cluster in set(clusters.values()):
        members = [doc_id for doc_id, c in clusters.items() if c == cluster]
        assert len({split_of[doc_id] for doc_id in members}) == 1


def test_refreshing_again_writes_nothing_and_a_new_document_gets_its_cluster(seeded, tmp_path):
    first = refresh_clusters(seeded, LEAD)
    before = _clusters(seeded)
    again = refresh_clusters(seeded, LEAD)
    assert again.changed == 0 and _clusters(seeded) == before
    assert (first.clusters, again.clusters) == (1, 1)

    _import(seeded, tmp_path, "more.jsonl", [SEED_COPY, OTHER_STORIES[1]])
    third = refresh_clusters(seeded, LEAD)
    after = _clusters(seeded)
    ids = _by_text(seeded)
    assert third.changed == 2  # only the two new documents were written
    assert {doc_id: after[doc_id] for doc_id in before} == before
    assert after[ids[SEED_COPY]] == next(iter(set(before.values())))
    assert after[ids[OTHER_STORIES[1]]] == ids[OTHER_STORIES[1]]


def _reprint(text: str) -> str:
    """The same article under a new headline, its third paragraph dropped."""
    paragraphs = text.split("\n\n")[1:]  # the headline goes
    del paragraphs[2]
    return "\n\n".join(["Syria, Israel and US agree on coordination cell", *paragraphs])


def test_a_reprint_joins_its_original_as_a_duplicate_inside_the_story(seeded, tmp_path):
    original = (SEEDS / "000_ccc925a8ed36d058.txt").read_text(encoding="utf-8")
    _import(seeded, tmp_path, "more.jsonl", [_reprint(original), *OTHER_STORIES])
    refresh_clusters(seeded, LEAD)
    ids = _by_text(seeded)
    docs = {doc.id: doc for doc in seeded.documents.iter_all()}
    reprint, first = docs[ids[_reprint(original)]], docs[ids[original]]

    assert reprint.duplicate_id == first.duplicate_id == first.id
    assert reprint.cluster_id == first.cluster_id
    other_seeds = [d for d in docs.values() if d.cluster_id == first.cluster_id
                   and d.id not in (first.id, reprint.id)]
    assert len(other_seeds) == 4  # the other reports: same story, not duplicates
    assert all(d.duplicate_id == d.id for d in other_seeds)
    for text in OTHER_STORIES:  # unrelated stories join nothing
        doc = docs[ids[text]]
        assert doc.cluster_id == doc.duplicate_id == doc.id

    listed = listing(seeded)
    assert [(c["kind"], c["id"]) for c in listed] == [("duplicate", first.id),
                                                      ("story", first.cluster_id)]
    assert [d["doc_id"] for d in listed[0]["documents"]] == [first.id, reprint.id]
    assert {d["doc_id"] for d in listed[1]["documents"]} == \
        {first.id, reprint.id, *(d.id for d in other_seeds)}
    assert listed[0]["documents"][1]["title"] == reprint.title


def test_stored_clusters_are_the_groupers_stories_and_duplicates(seeded, tmp_path):
    original = (SEEDS / "000_ccc925a8ed36d058.txt").read_text(encoding="utf-8")
    _import(seeded, tmp_path, "more.jsonl", [_reprint(original), SEED_COPY, *OTHER_STORIES,
                                             OTHER_COPY])
    refresh = refresh_clusters(seeded, LEAD)
    grouper = Grouper()
    for doc in seeded.documents.iter_all():
        grouper.add(doc.id, doc.text)
    docs = list(seeded.documents.iter_all())

    def stored(attribute):
        out = {}
        for doc in docs:
            out.setdefault(getattr(doc, attribute), []).append(doc.id)
        return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])

    assert stored("cluster_id") == grouper.groups()
    assert stored("duplicate_id") == grouper.duplicate_groups()
    assert refresh.duplicates == 2  # the seed with its two copies; the other story's copy
    assert [len(g) for g in grouper.duplicate_groups() if len(g) > 1] in ([3, 2], [2, 3])


def test_an_import_refreshes_the_clusters_of_a_project_that_has_them(seeded, tmp_path):
    assert refresh_after_import(seeded, LEAD, imported=5) is None  # never grouped: left alone
    assert not seeded.documents.clusters_computed()
    refresh_clusters(seeded, LEAD)
    _import(seeded, tmp_path, "more.jsonl", [SEED_COPY])
    refresh = refresh_after_import(seeded, LEAD, imported=1)
    assert refresh is not None and refresh.changed == 1
    copy = seeded.documents.get(_by_text(seeded)[SEED_COPY])
    assert copy.cluster_id == next(seeded.documents.iter_all()).id
    assert refresh_after_import(seeded, LEAD, imported=0) is None
