"""`python -m benchmarks [NAME ...]`: run every benchmark (or the named ones) in turn.

A benchmark is a module of this package with a `main()`; each writes its own section of
docs/benchmarks.md.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import benchmarks


def available() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name.startswith("_") or info.name == "corpus":
            continue
        if hasattr(importlib.import_module(f"benchmarks.{info.name}"), "main"):
            names.append(info.name)
    return sorted(names)


def run(names: list[str]) -> None:
    for name in names or available():
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
        print(f"== {name} done in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    run(sys.argv[1:])
