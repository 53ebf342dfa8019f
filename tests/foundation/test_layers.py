"""The core never imports Textual (README, Development), and Rich — which draws the command
line's progress bars — is imported by ``cli/`` only, inside the functions that draw,
only when stderr is a terminal: the core never loads it and scripted runs do not pay its
start-up. Checked in a fresh interpreter, so an import made by another test cannot hide
it (harlequin's import-hygiene test)."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import segment_tui

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(segment_tui.__path__, "segment_tui.")
    if not m.name.startswith("segment_tui.ui")
)
CORE = [m for m in MODULES if not m.startswith("segment_tui.cli")]
PACKAGE = Path(segment_tui.__file__).parent


def _loaded_after_importing(names: list[str]) -> str:
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_core_modules_do_not_import_textual_or_rich() -> None:
    assert "segment_tui.services.criteria" in CORE and "segment_tui.cli" not in CORE
    assert _loaded_after_importing(CORE) == ""


def test_cli_modules_import_neither_until_a_bar_is_drawn() -> None:
    assert "segment_tui.cli.progress" in MODULES
    assert _loaded_after_importing(MODULES) == ""


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level package, imported at module level?) of every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found += [(name.split(".")[0], id(node) in top_level) for name in names]
    return found


def test_rich_is_imported_only_inside_cli_functions() -> None:
    for path in PACKAGE.rglob("*.py"):
        part = path.relative_to(PACKAGE).parts[0]
        if part == "ui":
            continue
        for package, at_module_level in _imports(path):
            if package == "rich":
                assert part == "cli" and not at_module_level, path


def test_cli_commands_other_than_the_tui_do_not_import_textual(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from segment_tui.cli import main\n"
        f"main(['--db', {str(tmp_path) + '/x.db'!r}, 'segment', 'list', '--json'])\n"
        "print('textual' in sys.modules, 'rich' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip().endswith("False False")
