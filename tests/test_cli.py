"""The command line on a real temporary project file, and its documentation."""

import argparse
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from annotator.cli import build_parser, main
from conftest import ROOT, SCHEMA, SEEDS


def _commands(parser: argparse.ArgumentParser, prefix: str = "annotator") -> list[str]:
    """Every command path of the CLI, e.g. 'annotator schema check'."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix} {name}")
                found += _commands(sub, f"{prefix} {name}")
    return found


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands(build_parser())
    assert {"annotator import", "annotator stats", "annotator schema check"} <= set(commands)
    undocumented = [c for c in commands if f"`{c}" not in readme]
    assert undocumented == []


@pytest.mark.parametrize("command", ["", *[c.removeprefix("annotator ") for c in
                                           _commands(build_parser())]])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command.split(), "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: annotator") and len(out) > 200
    if command not in ("schema", "curate", "team"):  # groups: their actions take --db
        assert "--db" in out


def test_import_then_stats_json(location, capsys):
    assert main(["import", str(SEEDS), "--db", location]) == 0
    assert "imported 5 document(s) from 5 file(s)" in capsys.readouterr().out
    assert main(["--db", location, "import", str(SEEDS)]) == 0
    assert "0 document(s)" in capsys.readouterr().out
    assert main(["stats", "--json", "--db", location]) == 0
    stats = orjson.loads(capsys.readouterr().out)
    assert stats["documents"] == 5


def test_stats_text_lists_sets_and_spans(seeded, capsys):
    doc = next(seeded.documents.iter_all())
    with seeded.transaction():
        aset = seeded.sets.ensure(doc.id, "ana", None)
        seeded.spans.add(aset.id, 0, 2, layer="entity", label="GPE", origin="human",
                         state="accepted")
    assert main(["stats", "--db", seeded.location.value]) == 0
    out = capsys.readouterr().out
    assert "documents: 5" in out and "ana: todo 1" in out
    assert re.search(r"entity\s+GPE\s+accepted 1", out)


def test_failed_import_exits_non_zero_and_names_the_problem(location, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": 3}\n')
    assert main(["import", str(bad), "--db", location]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: text: expected a string, got a number" in err
    assert "nothing imported" in err
    assert main(["import", str(bad), "--skip-invalid", "--db", location]) == 0
    assert f"skipped: {bad}:2" in capsys.readouterr().err


def test_schema_check_reports_every_problem(tmp_path, capsys):
    assert main(["schema", "check", str(SCHEMA)]) == 0
    assert "ok — schema 'news'" in capsys.readouterr().out
    body = orjson.loads(SCHEMA.read_bytes())
    body["entities"][0]["hotkey"] = "T"
    body["entities"][1]["color"] = "#12"
    bad = tmp_path / "bad.json"
    bad.write_bytes(orjson.dumps(body))
    assert main(["schema", "check", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"annotator: error: {bad}: entities[0].hotkey: 'T' is reserved by the "
                   "keyboard map (docs/architecture.md)",
                   f"annotator: error: {bad}: entities[1].color: color must be '#rrggbb', "
                   "got '#12'"]


def test_schema_use_records_a_new_schema_by_hash(seeded, tmp_path, capsys):
    body = orjson.loads(SCHEMA.read_bytes())
    body["version"] = "2.0.0"
    path = tmp_path / "v2.json"
    path.write_bytes(orjson.dumps(body))
    old = seeded.settings.get("schema_hash")
    assert main(["schema", "use", str(path), "--db", seeded.location.value]) == 0
    assert seeded.settings.get("schema_hash") != old
    assert seeded.settings.schema_body(old)["version"] == "1.0.0"
    assert seeded.settings.schema_body()["version"] == "2.0.0"


def test_gui_without_a_display_says_what_to_do(db_path, monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert main(["--db", str(db_path)]) == 1
    assert "no display" in capsys.readouterr().err


def test_console_script_uses_the_environment_default_project(tmp_path):
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path),
           "ANNOTATOR_DB": str(tmp_path / "env.db")}
    result = subprocess.run([str(Path(sys.executable).parent / "annotator"), "import", "-q",
                             str(SEEDS)], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").exists()


def test_who_is_working_never_chooses_whose_work_is_exported():
    args = build_parser().parse_args(["--annotator", "bob", "export"])
    assert (args.annotator, args.whose) == ("bob", "latest")
    args = build_parser().parse_args(["export", "--annotator", "gold"])
    assert args.whose == "gold"


def test_curate_excludes_and_includes_by_prefix_and_query(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "import", "--quiet", str(SEEDS)]) == 0
    from annotator.core.store import Store

    with Store(db) as store:
        ids = store.documents.ids_in_order()
    with Store(db) as store:
        found = store.documents.ids_in_order(search="Netanyahu")
    assert found and ids[-1] not in found
    assert main(["--db", db, "curate", "exclude", ids[-1][:8], "--query", "Netanyahu",
                 "--reason", "off-topic"]) == 0
    assert f"excluded {len(found) + 1} document(s): off-topic" in capsys.readouterr().out
    with Store(db) as store:
        excluded = {d for d, (c, _) in store.documents.curations(ids).items() if c == "excluded"}
        assert excluded == {ids[-1], *found}
        assert store.events.list(action="curation.exclude")[-1].payload["reason"] == "off-topic"
    assert main(["--db", db, "curate", "include", ids[-1][:3]]) == 2
    assert "at least 6 characters" in capsys.readouterr().err
    assert main(["--db", db, "curate", "include", "--query", "lable:ORG"]) == 2
    assert "--query: unknown search key 'lable:'" in capsys.readouterr().err
    assert main(["--db", db, "curate", "include", ids[-1]]) == 0
    assert main(["--db", db, "curate", "include", ids[-1]]) == 1
    assert "already included" in capsys.readouterr().err


def test_curate_clusters_stores_and_lists_the_export_groups(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "import", "--quiet", str(SEEDS)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "curate", "clusters", "--json"]) == 0
    (cluster,) = orjson.loads(capsys.readouterr().out)["clusters"]  # five reports, one story
    assert cluster["kind"] == "story"
    from annotator.core.store import Store

    with Store(db) as store:
        assert {d["doc_id"] for d in cluster["documents"]} == set(store.documents.ids_in_order())
        assert {store.documents.get(d["doc_id"]).cluster_id for d in cluster["documents"]} == \
            {cluster["id"]}
        assert store.events.list(action="curation.clusters")[-1].payload["changed"] == 5

    # An import into a project that has clusters refreshes them: the reprint joins at once.
    reprint = tmp_path / "reprint.txt"
    reprint.write_text("Reprinted with permission.\n" + (SEEDS / "000_ccc925a8ed36d058.txt")
                       .read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--db", db, "import", "--quiet", str(reprint)]) == 0
    with Store(db) as store:
        (copy,) = [d for d in store.documents.iter_all() if d.text.startswith("Reprinted")]
        assert (copy.cluster_id, copy.duplicate_id) == (cluster["id"], cluster["id"])
    capsys.readouterr()
    assert main(["--db", db, "curate", "clusters"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("6 document(s) in 1 story cluster(s), 1 of more than one document; "
                          "1 duplicate cluster(s)\n")
    assert f"duplicate {cluster['id'][:12]}:" in out and f"story {cluster['id'][:12]}:" in out


def test_cache_clear_drops_derived_data_in_one_go_and_touches_no_work(seeded, tmp_path,
                                                                      capsys):
    from annotator.core.export import ExportOptions, export_dataset
    from annotator.core.project import current_schema
    from test_export_jsonl import annotate

    annotate(seeded)
    export_dataset(seeded, ExportOptions(), tmp_path / "out")  # fills the token cache
    doc = next(seeded.documents.iter_all())
    with seeded.transaction():
        seeded.suggestions.put_many("model:x@1", current_schema(seeded).hash,
                                    [(doc.id, {"spans": [], "claims": []})])
    work = seeded.stats.summary()
    assert seeded.tokens.count() == 5 and seeded.suggestions.count() == 1

    assert main(["cache", "clear", "--tokens", "--db", seeded.location.value]) == 0
    assert "cleared 5 tokens row(s)" in capsys.readouterr().out
    assert seeded.tokens.count() == 0 and seeded.suggestions.count() == 1
    assert main(["cache", "clear", "--all", "--db", seeded.location.value]) == 0
    out = capsys.readouterr().out
    assert "0 tokens row(s), 1 suggestions row(s)" in out and "MiB freed" in out
    assert seeded.suggestions.count() == 0
    assert seeded.stats.summary() == work  # the same work, and no event: derived data
    with pytest.raises(SystemExit):
        main(["cache", "clear", "--db", seeded.location.value])  # which cache must be said
    assert "one of the arguments --tokens --suggestions --all is required" in \
        capsys.readouterr().err


def test_cache_clear_reports_the_space_it_gives_back(tmp_path, capsys):
    from annotator.core.caches import clear_caches
    from annotator.core.project import open_project
    from annotator.core.tokens import cached_tables

    text = " ".join(["The minister said on Tuesday that talks would resume in Geneva."] * 400)
    db = tmp_path / "big.db"
    with open_project(db) as store:
        with store.transaction():
            store.documents.insert_many([{"id": f"{i:064x}", "text": f"{i} {text}"}
                                         for i in range(60)])
        cached_tables(store, list(store.documents.iter_all()))
        cleared = clear_caches(store, ("tokens",))
        free_pages = store.conn.execute("PRAGMA freelist_count").fetchone()[0]
    assert cleared.rows == {"tokens": 60} and cleared.compacted
    assert cleared.bytes_freed >= 10 * 4096  # pages of offsets, ~1 KB a document
    assert free_pages == 0  # compacted: the pages went back to the file system


def test_a_reader_that_stops_early_ends_the_output_quietly(seeded, location):
    """`annotator stats | head`: the pipe closes before the command writes; no traceback."""
    process = subprocess.Popen([sys.executable, "-m", "annotator", "--db", location,
                                "stats"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the command has started writing
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, b"")


def test_an_import_that_credits_the_os_user_says_so(tmp_path, capsys):
    """Issue 15, bug 7: annotated records naming no annotator, imported without --annotator
    or ANNOTATOR_NAME, went to the operating-system user without a word."""
    import getpass

    record = {"text": "Reuters reported from Paris.", "answer": "accept",
              "spans": [{"start": 0, "end": 7, "label": "ORG"}]}
    source = tmp_path / "done.jsonl"
    source.write_bytes(orjson.dumps(record) + b"\n")
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "import", str(source)]) == 0
    err = capsys.readouterr().err
    assert f"1 annotation set(s) name no annotator and were credited to {getpass.getuser()!r}" \
        in err and "--annotator NAME" in err
    assert main(["--db", str(tmp_path / "q.db"), "import", "--annotator", "ana",
                 str(source)]) == 0
    assert "credited" not in capsys.readouterr().err


def test_the_environment_default_may_be_a_server(seeded, tmp_path, monkeypatch, capsys):
    """$ANNOTATOR_DB holding a postgresql:// URL opens that server, not a file whose name
    the URL became when made a path."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("ANNOTATOR_DB", seeded.location.value)
    assert main(["stats", "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["documents"] == 5
    assert list(here.iterdir()) == []
