"""Pyflakes-class problems (unused imports and variables, undefined names) never land."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_no_unused_or_undefined_names():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "--select", "F,E9", "annotator",
                             "benchmarks", "tests", "scripts"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
