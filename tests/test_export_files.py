"""Export files are written and hashed as they go: the bytes and the SHA-256 the manifest
states are the file's, a failing disk fails the export, and a file that fails to close does
not leave the others open."""

import contextlib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from annotator.core.export import ExportOptions, export_dataset
from annotator.core.export.hashed_file import CHUNK, HashedFile, close_all
from test_export_jsonl import annotate


def test_the_file_holds_every_write_in_order_and_its_sha256(tmp_path):
    """Several chunks' worth, handed to the writing thread while more is gathered."""
    pieces = [f"line {i} “é” 🙂\n".encode() * (8000 if i % 97 == 0 else 1) for i in range(2000)]
    assert sum(map(len, pieces)) > 3 * CHUNK
    file = HashedFile(tmp_path / "all.jsonl")
    for piece in pieces:
        file.write(piece)
    digest = file.close()
    data = (tmp_path / "all.jsonl").read_bytes()
    assert data == b"".join(pieces)
    assert digest == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("fmt", ["jsonl", "spacy", "conll"])
def test_the_manifest_states_each_files_sha256_and_size(seeded, tmp_path, fmt):
    annotate(seeded)
    export_dataset(seeded, ExportOptions(format=fmt, split="60/20/20"), tmp_path / "out")
    manifest = orjson.loads((tmp_path / "out" / "manifest.json").read_bytes())
    assert manifest["files"]  # the five seed reports are one story: one split file
    for entry in manifest["files"]:
        data = (tmp_path / "out" / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)


needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(),
                                    reason="needs a device that is always full")


@needs_dev_full
def test_a_full_disk_fails_the_export():
    full = HashedFile(Path("/dev/full"))

    def export():
        for _ in range(100):  # the failure reaches a later write, or close at the latest
            full.write(b"x" * (1 << 16))
        full.close()

    with pytest.raises(OSError):
        export()
    with contextlib.suppress(OSError):
        full.close()  # what the export's `finally` does after a failed write
    assert full._handle.closed


@needs_dev_full
def test_close_all_closes_every_file_even_after_one_fails(tmp_path):
    bad = HashedFile(Path("/dev/full"))
    bad.write(b"{}\n")  # buffered: the disk is found full when the file is closed
    good = HashedFile(tmp_path / "train.jsonl")
    good.write(b"{}\n")
    with pytest.raises(OSError):
        close_all([bad, good])
    assert (tmp_path / "train.jsonl").read_bytes() == b"{}\n"
    assert good._handle.closed and bad._handle.closed


@pytest.mark.parametrize("fmt", ["jsonl", "conll"])
def test_an_export_from_cached_tokens_never_loads_spacy(seeded, tmp_path, fmt):
    """spaCy takes about half a second to load; only the tokenizer (for documents not yet
    in the token cache) and the DocBin writer need it."""
    annotate(seeded)
    export_dataset(seeded, ExportOptions(), tmp_path / "first")  # fills the token cache
    code = ("import sys; from pathlib import Path; from annotator.core.project import "
            "open_project; from annotator.core.export import ExportOptions, export_dataset; "
            "export_dataset(open_project(sys.argv[1]), ExportOptions(format=sys.argv[3]),"
            " Path(sys.argv[2])); print(sorted(m for m in sys.modules if m == 'spacy'))")
    result = subprocess.run([sys.executable, "-c", code, seeded.location.value,
                             str(tmp_path / "second"), fmt], capture_output=True, text=True,
                            check=True)
    assert (tmp_path / "second" / f"all.{fmt}").stat().st_size > 0
    assert result.stdout.strip() == "[]"


def test_folders_of_killed_exports_are_removed_and_the_result_follows_the_umask(
        seeded, tmp_path):
    annotate(seeded)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    abandoned = tmp_path / f".earlier.{dead}.k3j_x9.partial"  # a run killed with -9
    (abandoned / "all.jsonl").parent.mkdir()
    (abandoned / "all.jsonl").write_bytes(b"half a record")
    alive = tmp_path / ".other.1.q2w_e3.partial"  # process 1 runs: that export goes on
    alive.mkdir()
    old = os.umask(0o022)
    try:
        export_dataset(seeded, ExportOptions(), tmp_path / "out")
    finally:
        os.umask(old)
    assert not abandoned.exists() and alive.exists()
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
