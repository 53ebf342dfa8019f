"""The core never imports Textual (PRODUCT.md §8): checked in a fresh interpreter, so an
import made by another test cannot hide it (harlequin's import-hygiene test)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import segment_tui

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(segment_tui.__path__, "segment_tui.")
    if not m.name.startswith("segment_tui.ui")
)


def test_core_modules_do_not_import_textual() -> None:
    assert "segment_tui.services.criteria" in CORE and "segment_tui.cli" in CORE
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cli_commands_other_than_the_tui_do_not_import_textual(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from segment_tui.cli import main\n"
        f"main(['--db', {str(tmp_path) + '/x.db'!r}, 'segment', 'list', '--json'])\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip().endswith("False")
