"""`annotator lint` over 10,000 finished articles with ~15 entities each (target < 5 s), as
a user runs the command, and the checks alone in-process; peak memory of the command.

The project is the export benchmark's (`export_speed.build`): one done set per article,
entities at capitalised words, so the same forms recur across articles with the corpus
generator's labels — the label conflicts and missed mentions a real corpus has.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.curate.lint import lint
from annotator.core.project import open_project
from benchmarks._report import table, verdict, write_section
from benchmarks.export_speed import ROOT, build

COUNT = 10_000
TARGET_S = 5.0


def command(path: Path) -> tuple[float, float, int]:
    """Seconds and peak MiB of `annotator lint --json`, and the findings it printed."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "annotator", "lint", "--json", "--db",
                           str(path)], capture_output=True, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, done.stdout.count(b'"rule"')


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lint.db"
        spans = build(path, COUNT)
        with open_project(path, read_only=True) as store:
            started = time.perf_counter()
            findings = lint(store)
            alone = time.perf_counter() - started
        seconds, peak, printed = command(path)
    by_rule: dict[str, int] = {}
    for finding in findings:
        by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
    body = (f"{COUNT:,} finished articles, {spans:,} accepted entities, every rule. "
            f"Findings: {', '.join(f'{rule} {n}' for rule, n in sorted(by_rule.items()))} "
            f"({printed} printed by the command).\n\n" + table(
                ["what", "seconds", "peak MiB", "target", "verdict"],
                [["`annotator lint --json` (command)", f"{seconds:.2f}", f"{peak:.0f}",
                  f"< {TARGET_S:.0f} s", verdict(seconds < TARGET_S)],
                 ["`lint()` in-process", f"{alone:.2f}", "", "", ""]]))
    write_section("lint_speed", "Consistency checks (`annotator lint`)", body)
    print(body)


if __name__ == "__main__":
    main()
