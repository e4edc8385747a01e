"""Export files are written and hashed by a background thread: the bytes and the SHA-256 the
manifest states are those of the file, and a failing disk fails the export, never hangs it."""

import hashlib
from pathlib import Path

import pytest

from annotator.core.export import hashed_file
from annotator.core.export.hashed_file import HashedFile, close_all


def test_the_file_holds_every_write_in_order_and_its_sha256(tmp_path, monkeypatch):
    monkeypatch.setattr(hashed_file, "CHUNK", 10)  # hand over every few writes
    pieces = [f"line {i} “é” 🙂\n".encode() for i in range(200)]
    file = HashedFile(tmp_path / "all.jsonl")
    for piece in pieces:
        file.write(piece)
    digest = file.close()
    data = (tmp_path / "all.jsonl").read_bytes()
    assert data == b"".join(pieces)
    assert digest == hashlib.sha256(data).hexdigest()


needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(),
                                    reason="needs a device that is always full")


@needs_dev_full
def test_a_full_disk_fails_the_export_instead_of_hanging_it(monkeypatch):
    monkeypatch.setattr(hashed_file, "CHUNK", 1)
    full = HashedFile(Path("/dev/full"))

    def export():
        for _ in range(100):  # the failure reaches a later write, or close at the latest
            full.write(b"x" * (1 << 16))
        full.close()

    with pytest.raises(OSError):
        export()
    with pytest.raises(OSError):
        full.close()  # what the export's `finally` does after a failed write
    assert not full._thread.is_alive()


@needs_dev_full
def test_close_all_closes_every_file_even_after_one_fails(tmp_path):
    good = HashedFile(tmp_path / "train.jsonl")
    good.write(b"{}\n")
    bad = HashedFile(Path("/dev/full"))
    bad.write(b"x" * (1 << 16))
    with pytest.raises(OSError):
        close_all([bad, good])
    assert (tmp_path / "train.jsonl").read_bytes() == b"{}\n"
    assert not good._thread.is_alive() and not bad._thread.is_alive()
