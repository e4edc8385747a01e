"""Each benchmark writes its own section of docs/benchmarks.md, stamped with machine and date.

Sections sit between `<!-- bench:NAME -->` markers, so re-running one benchmark replaces its
section and leaves the others as they were.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import time
from collections.abc import Callable
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = ("# Benchmarks\n\nWritten by the scripts in `benchmarks/` (`make bench`, or "
          "`python -m benchmarks.NAME`). Each section names the machine and the date it ran.\n")


def machine() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            kib = int(info.readline().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def write_section(name: str, title: str, body: str) -> None:
    stamp = f"_{dt.date.today().isoformat()} — {machine()}_"
    section = (f"<!-- bench:{name} -->\n## {title}\n\n{stamp}\n\n{body.strip()}\n"
               f"<!-- /bench:{name} -->")
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->",
                         re.DOTALL)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) \
        else text.rstrip() + "\n\n" + section + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(met: bool) -> str:
    """How a figure stands against its target, in the report's words."""
    return "met" if met else "**not met**"


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    """Milliseconds of each of `repeats` calls of `action`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times
