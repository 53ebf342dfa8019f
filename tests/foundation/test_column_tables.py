"""Every table's captions come from its entity's shared column table (docs/architecture.md,
"Column tables"): the terminal UI's tables and the command line's are picks of
``services/<package>/columns.py`` by key, so a caption, a width, an alignment or a format
is written once and both front ends show the same.

Checked twice: on the objects (each table of the UI is its entity's columns, caption by
caption; each key the command line prints is in its entity's table; a new table of either
front end must be listed here), and on the source (no front end module writes a caption:
no ``Column(key, "Caption", …)`` and no ``(key, "Heading")`` pairs handed to
``print_table`` / ``write_table``)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import segment_tui
from segment_tui.cli import (
    commands_contacts,
    commands_interactions,
    commands_logged,
    commands_segment,
)
from segment_tui.services.columns import ColumnTable, FieldColumn
from segment_tui.services.contacts.columns import CONTACT_COLUMNS, PROFILE_COLUMNS
from segment_tui.services.interactions.columns import (
    CAMPAIGN_ENTRY_COLUMNS,
    ENTRY_COLUMNS,
    STATISTICS_COLUMNS,
)
from segment_tui.services.log.columns import LOGGED_COLUMNS
from segment_tui.services.segments.columns import LINE_COLUMNS, SEGMENT_COLUMNS
from segment_tui.ui.widgets import Column

PACKAGE = Path(segment_tui.__file__).parent

UI_TABLES: dict[str, ColumnTable] = {
    "segment_tui.ui.screens.worksheet_columns.LINE_COLUMNS": LINE_COLUMNS,
    "segment_tui.ui.screens.segments.COLUMNS": SEGMENT_COLUMNS,
    "segment_tui.ui.screens.interaction_entries.ENTRY_COLUMNS": ENTRY_COLUMNS,
    "segment_tui.ui.screens.logged_segments.LOGGED_COLUMNS": LOGGED_COLUMNS,
    "segment_tui.ui.screens.contacts.COLUMNS": CONTACT_COLUMNS,
    "segment_tui.ui.screens.campaign_entries.CAMPAIGN_ENTRY_COLUMNS": CAMPAIGN_ENTRY_COLUMNS,
    "segment_tui.ui.screens.contact_profile.PROFILE_LINE_COLUMNS": PROFILE_COLUMNS,
    "segment_tui.ui.screens.interaction_stats.COLUMNS[template]": STATISTICS_COLUMNS["template"],
    "segment_tui.ui.screens.interaction_stats.COLUMNS[group]": STATISTICS_COLUMNS["group"],
    "segment_tui.ui.screens.interaction_stats.COLUMNS[contact]": STATISTICS_COLUMNS["contact"],
}
"""Each table of the terminal UI (module.NAME, [view] for a dict of them) → its entity's."""

CLI_TABLES: dict[str, tuple[tuple[str, ...], ColumnTable]] = {
    "commands_segment.LINE_KEYS": (commands_segment.LINE_KEYS, LINE_COLUMNS),
    "commands_segment.SEGMENT_KEYS": (commands_segment.SEGMENT_KEYS, SEGMENT_COLUMNS),
    "commands_logged.ENTRY_KEYS": (commands_logged.ENTRY_KEYS, ENTRY_COLUMNS),
    "commands_logged.LOGGED_KEYS": (commands_logged.LOGGED_KEYS, LOGGED_COLUMNS),
    "commands_contacts.CONTACT_LIST_KEYS": (commands_contacts.CONTACT_LIST_KEYS, CONTACT_COLUMNS),
    "commands_interactions.CAMPAIGN_ENTRY_KEYS": (
        commands_interactions.CAMPAIGN_ENTRY_KEYS,
        CAMPAIGN_ENTRY_COLUMNS,
    ),
    "commands_interactions.PROFILE_ANSWER_KEYS": (
        commands_interactions.PROFILE_ANSWER_KEYS,
        PROFILE_COLUMNS,
    ),
}
"""The columns each table of the command line picks (module.NAME) → its entity's table."""


def _modules(folder: str) -> Iterator[Any]:
    path = [str(PACKAGE / folder)]
    for info in pkgutil.walk_packages(path, f"segment_tui.{folder}."):
        yield importlib.import_module(info.name)


def _ui_tables() -> dict[str, tuple[Any, ...]]:
    """Every module-level tuple of table columns in ``ui/`` (a dict of them: each value),
    under the name UI_TABLES lists it by when a module imports it from another."""
    names: dict[int, list[str]] = {}
    tables: dict[int, tuple[Any, ...]] = {}
    for module in _modules("ui"):
        for name, value in vars(module).items():
            views = value.items() if isinstance(value, dict) else [("", value)]
            for view, table in views:
                columns = isinstance(table, tuple) and table
                if columns and all(isinstance(c, Column | FieldColumn) for c in table):
                    where = f"{module.__name__}.{name}" + (f"[{view}]" if view else "")
                    names.setdefault(id(table), []).append(where)
                    tables[id(table)] = table
    found = {}
    for key, wheres in names.items():
        listed = [where for where in wheres if where in UI_TABLES]
        found[listed[0] if len(listed) == 1 else " = ".join(sorted(wheres))] = tables[key]
    return found


def test_every_table_of_the_terminal_ui_is_its_entitys_columns() -> None:
    found = _ui_tables()
    assert sorted(found) == sorted(UI_TABLES), "a table of the UI is not listed in UI_TABLES"
    for where, table in found.items():
        entity = UI_TABLES[where]
        for column in table:
            shared = entity[column.key]
            if isinstance(column, FieldColumn):
                assert column is shared, where
                continue
            assert (column.label, column.width, column.align, column.format) == (
                shared.caption, shared.width, shared.align, shared.format,
            ), f"{where}: {column.key}"  # fmt: skip


def test_every_table_of_the_command_line_picks_its_columns_by_key() -> None:
    found = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}"
        for module in _modules("cli")
        for name in vars(module)
        if name.endswith("_KEYS")
    }
    assert found == set(CLI_TABLES), "a table of the command line is not listed in CLI_TABLES"
    for where, (keys, entity) in CLI_TABLES.items():
        missing = [key for key in keys if key not in entity]
        assert not missing, f"{where}: {missing} are not {entity.entity} columns"
        assert len(set(keys)) == len(keys), where


def _written_captions(path: Path) -> list[str]:
    """Captions a front-end module writes itself: ``Column(key, "Caption", …)`` and
    ``(key, "Heading")`` pairs given to ``print_table`` / ``write_table``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name == "Column":
            labels = node.args[1:2] + [k.value for k in node.keywords if k.arg == "label"]
            found += [
                f"{path.name}:{node.lineno} Column(…, {label.value!r})"
                for label in labels
                if isinstance(label, ast.Constant) and isinstance(label.value, str)
            ]
        elif name in ("print_table", "write_table") and len(node.args) > 1:
            for pair in ast.walk(node.args[1]):
                if isinstance(pair, ast.Tuple) and any(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in pair.elts
                ):
                    found.append(f"{path.name}:{node.lineno} {name}(…, ({ast.unparse(pair)}))")
    return found


def test_no_front_end_writes_a_caption_of_its_own() -> None:
    written = [
        caption
        for folder in ("ui", "cli")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for caption in _written_captions(path)
    ]
    assert written == []


def test_the_source_check_sees_a_caption_written_in_a_front_end(tmp_path: Path) -> None:
    module = tmp_path / "screen.py"
    module.write_text(
        'COLUMNS = (Column("contact_no", "Contact", 8),)\n'
        'print_table(rows, (("no", "No."), ("name", "Name")))\n'
        "print_table(rows, CONTACT_COLUMNS.pick(*KEYS))\n",
        encoding="utf-8",
    )
    assert len(_written_captions(module)) == 3  # the Column, and each of the two pairs
