"""The layers hold (docs/ui.md, "Layers"; docs/architecture.md).

The core never imports Textual, and Rich — which draws the command line's progress bars —
is imported by ``cli/`` only, inside the functions that draw, only when stderr is a
terminal: the core never loads it and scripted runs do not pay its start-up. Checked in a
fresh interpreter, so an import made by another test cannot hide it (harlequin's
import-hygiene test). The UI never builds queries or runs transactions: it imports neither
peewee nor the models, and calls no transaction of its own (read from the source, so a
deferred import inside a function is caught too)."""

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
UI_FOLDER = Path(segment_tui.__file__).parent / "ui"

ALLOWED_MODELS = {"segment_tui.models.enums"}
"""Enumerations and their captions: vocabulary the screens show, no database access."""
TRANSACTION_CALLS = {"write_transaction", "atomic", "transaction", "savepoint", "execute_sql"}
"""What starts a transaction or runs SQL: the services' job, never a screen's."""
DB_NAMES = {"db"}
"""From ``segment_tui.db`` the UI takes only the database handle, to open a worker
thread's connection (``db.connection_context()``)."""


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
    assert "segment_tui.services.criteria.actions" in CORE and "segment_tui.cli" not in CORE
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


def database_work(source: str) -> list[str]:
    """What a UI module's ``source`` does that belongs in a service, one line each."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        modules: list[tuple[str, str | None]]
        if isinstance(node, ast.Import):
            modules = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [(node.module, alias.name) for alias in node.names]
        else:
            modules = []
        line = getattr(node, "lineno", 0)
        for module, name in modules:
            top = module.split(".")[0]
            if top in ("peewee", "playhouse"):
                found.append(f"line {line}: imports {module}")
            elif module == "segment_tui.models" and f"{module}.{name}" in ALLOWED_MODELS:
                pass
            elif module.startswith("segment_tui.models") and module not in ALLOWED_MODELS:
                found.append(f"line {line}: imports {module}")
            elif module == "segment_tui.db" and (name is None or name not in DB_NAMES):
                found.append(f"line {line}: imports {name or module} from the db")
        if isinstance(node, ast.Attribute | ast.Name):
            name = node.attr if isinstance(node, ast.Attribute) else node.id
            if name in TRANSACTION_CALLS:
                found.append(f"line {node.lineno}: {name}")
    return found


def test_the_ui_builds_no_query_and_runs_no_transaction() -> None:
    modules = sorted(UI_FOLDER.rglob("*.py"))
    assert len(modules) > 40  # the UI folder was found
    problems = {
        str(path.relative_to(UI_FOLDER)): work
        for path in modules
        if (work := database_work(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_the_ui_check_sees_each_kind_of_database_work() -> None:
    # The check above passes on an empty list too: each thing it must refuse, refused.
    assert database_work("from peewee import fn") == ["line 1: imports peewee"]
    assert database_work("import playhouse.shortcuts") == ["line 1: imports playhouse.shortcuts"]
    assert database_work("def f():\n    from segment_tui.models import Contact") == [
        "line 2: imports segment_tui.models"
    ]
    assert database_work("from segment_tui.models.contact import Contact") == [
        "line 1: imports segment_tui.models.contact"
    ]
    assert database_work("from segment_tui.db import write_transaction") == [
        "line 1: imports write_transaction from the db"
    ]
    assert database_work("with db.atomic():\n    pass") == ["line 1: atomic"]
    assert database_work("with db.write_transaction():\n    pass") == ["line 1: write_transaction"]
    assert database_work("from segment_tui.models.enums import caption") == []
    assert database_work("from segment_tui.models import enums") == []
    assert database_work("from segment_tui.db import db\nwith db.connection_context(): pass") == []
