"""The repository explains itself: code, tests, README, docs and benchmarks cite the
repository's own ``docs/`` (by file and section title), never documents that live
outside it (docs/architecture.md, "Decisions").

A reader of a clone has no product brief, no copy of the Business Central specification
the project was started from and no team guides, so a reference to one is a dead end. The
rules those documents held are written in our words in ``docs/`` (the Business Central
rules in docs/business-central.md). Section numbers (``§4.3``) were that specification's
way of pointing; the repository's docs are cited by their section titles instead.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

OUTSIDE = re.compile(
    r"bc-segments|PRODUCT\.md|\bPRODUCT §|tech-notes|guides/style|style\.md"
    r"|/work/shared|shared/(domain|guides|fixtures)"
)
"""Names of the documents outside the repository that code once cited."""

SECTION_NUMBER = re.compile(r"§\s?\d")
"""A bare section number: the outside specification's way of citing itself."""

PUBLIC_SECTION = re.compile(r"ECMA-376|issue \d+ §")
"""Section numbers that are fine: of a public standard, or of an issue in the tracker."""


def _files() -> list[Path]:
    found = [ROOT / "README.md"]
    found += sorted((ROOT / "docs").rglob("*.md"))
    for folder in ("segment_tui", "benchmarks", "tests"):
        found += sorted((ROOT / folder).rglob("*.py"))
    return [p for p in found if p != Path(__file__).resolve()]


def citations_outside(files: list[Path], root: Path = ROOT) -> list[str]:
    """``path:line: text`` of every line that cites a document outside the repository."""
    bad: list[str] = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            cites = OUTSIDE.search(line) or (
                SECTION_NUMBER.search(line) and not PUBLIC_SECTION.search(line)
            )
            if cites:
                bad.append(f"{rel}:{number}: {line.strip()}")
    return bad


def test_nothing_cites_documents_outside_the_repository() -> None:
    files = _files()
    assert len(files) > 200  # the walk found the code, not an empty folder
    assert citations_outside(files) == []


def test_the_check_finds_each_kind_of_outside_citation(tmp_path: Path) -> None:
    cited = [
        '"""Segment lines (bc-segments §4.3)."""',
        "# the core never imports Textual (PRODUCT.md §8)",
        "see /work/shared/guides/tech-notes.md",
        "BC's line template validation (§4.4)",
        "as in BC §3",
    ]
    fine = ["ECMA-376 part 1, §17.16.4", "Target (issue 10 §6)", 'docs/filters.md, "Sections"']
    sample = tmp_path / "sample.py"
    sample.write_text("\n".join(cited + fine), encoding="utf-8")
    found = citations_outside([sample], tmp_path)
    assert [hit.split(": ", 1)[1] for hit in found] == cited
