"""The core never imports Qt: checked statically (import-linter) and at run time."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_import_linter_contract_holds():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The core never imports Qt KEPT" in result.stdout


def test_importing_every_core_module_loads_no_qt():
    code = ("import pkgutil, importlib, sys, annotator.core as c\n"
            "for m in pkgutil.walk_packages(c.__path__, 'annotator.core.'):\n"
            "    importlib.import_module(m.name)\n"
            "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
