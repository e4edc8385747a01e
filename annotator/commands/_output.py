"""Shared pieces of command output: the progress bar and error lines."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from annotator.core.progress import Progress


@contextmanager
def progress_bar(description: str, unit: str = "it", *,
                 unit_scale: bool = False) -> Iterator[Progress]:
    """A tqdm bar on stderr (hidden when stderr is not a terminal) fed by core progress.
    tqdm is imported here, not at start: `annotator` without a command opens the app."""
    from tqdm import tqdm

    # No monitor thread: a bar its work updates needs none, and a command that runs one
    # thread can fork its import's planner (`importers/planning.py`).
    tqdm.monitor_interval = 0
    bar = tqdm(desc=description, unit=unit, unit_scale=unit_scale, file=sys.stderr,
               disable=None, leave=False)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


def error(message: str) -> None:
    """One line on stderr, in the voice of argparse's own usage errors."""
    print(f"annotator: error: {message}", file=sys.stderr)
