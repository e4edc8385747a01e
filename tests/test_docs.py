"""The design lives in the repository: code points at docs/architecture.md, by section titles
that exist, and never at a design file outside it."""

import re

from conftest import ROOT

SOURCES = ("annotator", "tests", "benchmarks", "scripts")
REFERENCE = re.compile(r'docs/architecture\.md,\s*"([^"]+)"')
OUTSIDE = "DESIGN" + ".md"  # spelled apart so this file does not match itself


def _files():
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".sql", ".md") and "__pycache__" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


def test_no_comment_points_outside_the_repository():
    found = [str(path.relative_to(ROOT)) for path, text in _files() if OUTSIDE in text]
    assert found == []


def test_every_section_named_in_the_code_exists():
    titles = re.findall(r"^## (.+)$", (ROOT / "docs" / "architecture.md").read_text(
        encoding="utf-8"), re.MULTILINE)
    named = {(str(path.relative_to(ROOT)), title)
             for path, text in _files() for title in REFERENCE.findall(text)}
    assert named  # the code does point into the page
    missing = sorted((where, title) for where, title in named
                     if not any(heading.startswith(title) for heading in titles))
    assert missing == []
