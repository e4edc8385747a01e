"""Splits: deterministic from the seed, and no story (copy or other report) spans two splits."""

import orjson
import pytest

from annotator.core.export import ExportOptions, SplitError, export_dataset
from annotator.core.export.grouping import Grouper, names_of
from annotator.core.export.splits import assign, parse_split
from annotator.core.importers import import_paths
from annotator.core.project import open_project
from conftest import SEEDS
from test_export_jsonl import annotate

# Short reports of unrelated stories: each names its own people and places.
OTHER_STORIES = [
    "Heavy rain flooded parts of Lisbon on Monday. The Portuguese civil protection agency said "
    "rivers near Coimbra and Porto rose fast, and Mayor Carlos Moedas closed schools in Alfama "
    "and Belém. Firefighters from Setúbal joined crews in Sintra.",
    "Kenyan runner Faith Kipyegon won the Boston Marathon, beating Hellen Obiri and Sifan "
    "Hassan. Organisers at the Boston Athletic Association praised volunteers from Hopkinton "
    "and Newton. Coach Patrick Sang watched from Copley Square.",
    "Shares of Toyota rose in Tokyo after the carmaker raised its forecast. Analysts at Nomura "
    "and Mizuho said demand in Osaka and Nagoya stayed strong, while Honda and Nissan lagged "
    "on the Nikkei. Chief executive Koji Sato spoke in Aichi.",
    "The Louvre in Paris reopened its Egyptian wing. Curators from the British Museum and the "
    "Rijksmuseum lent statues, and Director Laurence des Cars thanked donors from Lyon and "
    "Marseille. Visitors queued along the Seine near the Tuileries.",
    "Wildfires spread across Alberta and British Columbia. Premier Danielle Smith asked Ottawa "
    "for help as crews from Calgary and Edmonton moved north to Fort McMurray, and the Canadian "
    "Armed Forces flew water bombers from Jasper.",
]


def test_the_five_seed_reports_of_one_event_are_one_group_unrelated_stories_apart():
    grouper = Grouper()
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in seeds:
        grouper.add(path.name, path.read_text(encoding="utf-8"))
    for i, text in enumerate(OTHER_STORIES):
        grouper.add(f"other{i}", text)
    groups = grouper.groups()
    assert sorted(p.name for p in seeds) in groups
    assert [[f"other{i}"] for i in range(5)] == [g for g in groups if g[0].startswith("other")]
    assert grouper.joins["same_story"] >= 4


def test_near_duplicates_are_grouped_by_shingles():
    text = (SEEDS / "000_ccc925a8ed36d058.txt").read_text(encoding="utf-8")
    copy = "Reprinted with permission.\n" + text.replace("Tuesday", "on Tuesday evening")
    grouper = Grouper()
    grouper.add("a", text)
    grouper.add("b", copy)
    grouper.add("c", OTHER_STORIES[0])
    assert grouper.groups() == [["a", "b"], ["c"]]
    assert grouper.joins["near_duplicate"] == 1


def test_names_are_capitalised_words_not_opening_a_sentence():
    assert names_of("The talks began. Officials met Ahmed al-Sharaa in Paris on Tuesday’s "
                    "session with “Reuters”.") == {"ahmed", "paris", "reuters"}


def test_assignment_is_deterministic_and_follows_the_shares():
    groups = [[f"d{i:03d}"] for i in range(100)] + [[f"s{i}" for i in range(10)]]
    spec = parse_split("80/10/10")
    first = assign(groups, spec, seed=7)
    assert first == assign(list(reversed(groups)), spec, seed=7)
    assert first != assign(groups, spec, seed=8)
    assert len({first[f"s{i}"] for i in range(10)}) == 1
    for name, share in zip(spec.names, spec.shares):
        placed = sum(1 for v in first.values() if v == name)
        assert abs(placed - share * 110) <= 10  # within one group of its target


def test_two_part_split_is_train_and_dev():
    assert parse_split("90/10").names == ("train", "dev")


@pytest.mark.parametrize("bad", ["80/15", "80/30/-10", "a/b", "100", "50/20/20/10"])
def test_bad_split_specifications_are_refused(bad):
    with pytest.raises(SplitError, match="--split"):
        parse_split(bad)


def test_export_with_split_keeps_the_seed_story_together(seeded, tmp_path):
    annotate(seeded)
    lines = b"".join(orjson.dumps({"text": t, "label": []}) + b"\n" for t in OTHER_STORIES)
    (tmp_path / "other.jsonl").write_bytes(lines)
    import_paths(seeded, [tmp_path / "other.jsonl"], annotator="alice")  # done, no entities
    files = {}
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        result = export_dataset(seeded, ExportOptions(split="60/20/20", seed=seed),
                                tmp_path / name)
        files[name] = {f["name"]: f["sha256"] for f in result.manifest["files"]}
        splits = {}
        for path in (tmp_path / name).glob("*.jsonl"):
            for line in path.read_bytes().splitlines():
                record = orjson.loads(line)
                splits.setdefault(path.stem, set()).add(record["meta"].get("file", "other"))
        seed_splits = [s for s, names in splits.items() if any(n.endswith(".txt") for n in names)]
        assert len(seed_splits) == 1  # all five reports of the event in one split
        assert result.manifest["grouping"]["groups"] == 6
    assert files["a"] == files["b"]


def test_a_split_that_leaves_parts_empty_says_so(seeded, tmp_path):
    """Issue 15, bug 6: finished work that is all one story split 80/10/10 wrote only train
    and said nothing about the empty dev and test."""
    from annotator.core.export.summary import summary_lines

    annotate(seeded)
    result = export_dataset(seeded, ExportOptions(split="80/10/10", seed=1), tmp_path / "out")
    assert result.manifest["grouping"]["empty_splits"] == ["dev", "test"]
    (line,) = [line for line in summary_lines(result.manifest) if line.startswith("empty:")]
    assert line.startswith("empty: dev and test — the 5 document(s) form 1 group(s)")


def test_a_split_export_reports_both_passes_and_a_stop_in_the_first_writes_nothing(seeded,
                                                                                  tmp_path):
    annotate(seeded)
    calls = []
    export_dataset(seeded, ExportOptions(split="60/20/20"), tmp_path / "out",
                   progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (5, 10)  # grouping five documents, then writing (and tokenizing) five
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (10, 10)

    class Stop(Exception):
        pass

    def stop(done, total):  # what the app's Cancel does at the next report
        raise Stop

    with pytest.raises(Stop):
        export_dataset(seeded, ExportOptions(split="60/20/20"), tmp_path / "stopped",
                       progress=stop)
    assert not [p for p in tmp_path.iterdir() if "stopped" in p.name]  # nor a partial folder


def test_a_document_finished_during_a_split_export_waits_for_the_next(seeded, tmp_path):
    """Both passes read one snapshot: a set marked done by the window between the grouping
    and the writing would otherwise reach the writing without a split."""
    docs = annotate(seeded)
    last = seeded.sets.find(docs[-1].id, "alice")
    with seeded.transaction():
        seeded.sets.update(last.id, status="in_progress")
    export_dataset(seeded, ExportOptions(), tmp_path / "warm")  # the token cache, filled

    def finish_the_last_one(done, total):
        if done < total:  # a report before the writing ends: the window finishes a document
            with open_project(seeded.location) as window, window.transaction():
                window.sets.update(last.id, status="done")

    result = export_dataset(seeded, ExportOptions(split="60/20/20"), tmp_path / "out",
                            progress=finish_the_last_one)
    assert seeded.sets.get(last.id).status == "done"
    assert sum(s.get("documents", 0) for s in result.manifest["splits"].values()) == 4
    assert "all.jsonl" not in {f["name"] for f in result.manifest["files"]}
