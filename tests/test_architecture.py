"""The core never imports Qt: checked statically (import-linter) and at run time."""

import ast
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


def test_only_the_store_imports_sqlite3():
    """SQLite stays behind `annotator.core.store`, so a second backend can sit there too."""
    package = ROOT / "annotator"
    store = package / "core" / "store"
    offenders = []
    for module in sorted(package.rglob("*.py")):
        if store in module.parents:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] in ("sqlite3", "_sqlite3") for name in names):
                offenders.append(f"{module.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
