"""The staging table of a contact import, and loading the file's rows into it.

The file's rows go into a temporary table (``import_row``: the line number and one
text column per mapped field) with the driver's bulk insert (``COPY`` on PostgreSQL),
cleaned on the way (:mod:`segment_tui.services.contacts.cell_batches`); rows holding a
control character are reported and left out. The checks then run in the database
(:mod:`segment_tui.services.contacts.import_checks`), the plan reads back only the
deciding columns, and the contacts are written from the table with set statements.
"""

from __future__ import annotations

import io
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from segment_tui.db import db, dialect, insert_rows
from segment_tui.services.contacts.cell_batches import clean_batch
from segment_tui.services.contacts.csv_reading import clean_row, control_character
from segment_tui.services.contacts.fields import BY_NAME, CLASSIFICATION_COLUMNS

STAGE = "import_row"
BATCH = 250
"""Rows cleaned and inserted at a time: a batch's cells must still be in the processor's
cache when they are cleaned and bound (measured: 250 rows took half the CPU time of
10,000 per 100,000 rows × 36 columns)."""
PROGRESS_EVERY = 10_000

MAPPED_KINDS = ("option", "boolean")
"""Field kinds judged per distinct value (besides country and classifications)."""


def execute(sql: str, params: Sequence[Any] = ()) -> Any:
    """Run one statement; psycopg2 reads ``%`` as a placeholder even without parameters,
    so a literal ``%`` is doubled there."""
    if not params and dialect() == "postgres":
        sql = sql.replace("%", "%%")
    return db.execute_sql(sql, list(params))


def mark() -> str:
    """The driver's parameter placeholder."""
    return "%s" if dialect() == "postgres" else "?"


@dataclass(frozen=True)
class Column:
    """A CSV column that names a contact field or a classification column."""

    index: int
    header: str
    field: str

    @property
    def sql(self) -> str:
        """Its column in the staging table."""
        return f"f_{self.field}"


@dataclass
class Problem:
    """One bad cell or row: line, column (as the header wrote it) and reason."""

    line: int
    column: str
    reason: str


@dataclass
class Staged:
    """What staging produced: the rows in the table and the problems found so far."""

    columns: list[Column]
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    maps: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per mapped field: raw value -> stored value (type, flags, country…)."""
    classifications: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Per classification column: raw cell -> its codes."""
    distinct: dict[str, set[str]] = field(default_factory=dict)
    """The distinct values of the columns judged per value, gathered while staging (a
    SELECT DISTINCT per column would scan the wide table ten times)."""

    def column(self, name: str) -> Column | None:
        """The column staging ``name`` (a field or classification column), if any."""
        return next((c for c in self.columns if c.field == name), None)

    def bad_lines(self) -> set[int]:
        """Lines with at least one problem."""
        return {p.line for p in self.problems}


def drop_temporary(table: str) -> None:
    """Drop one of the import's temporary tables (never a real table of that name)."""
    schema = "pg_temp" if dialect() == "postgres" else "temp"
    execute(f"DROP TABLE IF EXISTS {schema}.{table}")


def create_stage(columns: list[Column]) -> None:
    """(Re)create the staging table for these columns."""
    drop_temporary(STAGE)
    names = "".join(f", {c.sql} TEXT" for c in columns)
    execute(f"CREATE TEMPORARY TABLE {STAGE} (line INTEGER PRIMARY KEY{names})")


def drop_stage() -> None:
    """Drop the staging tables (connection-local, but a connection lives on)."""
    for table in (STAGE, "import_key", "import_company", "import_cls", "import_match"):
        drop_temporary(table)


def _line_break_reason(value: str, line: int) -> str:
    lines = value.count("\n") + value.count("\r") - value.count("\r\n")
    return (
        f"the value runs over {lines + 1} lines ({line}–{line + lines}): "
        f"is a closing quote missing on line {line}?"
    )


def control_reason(value: str, line: int) -> str | None:
    """Why a staged value with a control character is refused (None when it has none)."""
    found = control_character(value)
    if found is None:
        return None
    if found in "\r\n":
        return _line_break_reason(value, line)
    return f"holds the control character U+{ord(found):04X}, which a contact field cannot hold"


def load_stage(
    records: Iterable[tuple[int, list[str]]],
    columns: list[Column],
    staged: Staged,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Clean and bulk-insert the records; rows holding control characters are reported
    (and not staged): a NUL would not even reach PostgreSQL.

    The mapped cells of full rows are cleaned a batch at a time
    (:func:`~segment_tui.services.contacts.cell_batches.clean_batch`); a row that is
    short or blank, or that the batch sets apart, takes :func:`_careful_row`."""
    width = max((c.index for c in columns), default=-1) + 1
    indexes = [c.index for c in columns]
    pick: Callable[[list[str]], tuple[str, ...]] = (
        operator.itemgetter(*indexes)
        if len(indexes) > 1
        else lambda cells: tuple(cells[i] for i in indexes)  # itemgetter(i) gives no tuple
    )
    codes = [i for i, c in enumerate(columns) if BY_NAME.get(c.field, None) is not None
             and BY_NAME[c.field].kind == "code"]  # fmt: skip
    names = ["line", *(c.sql for c in columns)]
    per_value = [(i, c.field) for i, c in enumerate(columns) if judged_per_value(c)]
    for _, name in per_value:
        staged.distinct[name] = set()
    lines: list[int] = []
    picked: list[tuple[str, ...]] = []
    raws: list[list[str]] = []
    careful: list[tuple[Any, ...]] = []

    def careful_row(line: int, raw: list[str]) -> None:
        staged.rows += 1
        row = _careful_row(line, raw, columns, width, codes, pick, staged)
        if row is not None:
            careful.append(row)
            for position, name in per_value:
                staged.distinct[name].add(row[position + 1])

    reported = [0]

    def flush() -> None:
        rows = _stage_batch(lines, picked, raws, (codes, per_value), staged, careful_row)
        insert_temporary(STAGE, names, rows + careful)
        if progress and staged.rows - reported[0] >= PROGRESS_EVERY:
            reported[0] = staged.rows
            progress(staged.rows)

    for line, raw in records:
        if len(raw) >= width and any(raw):
            lines.append(line)
            picked.append(pick(raw))
            raws.append(raw)
            if len(lines) >= BATCH:
                flush()
                lines, picked, raws, careful = [], [], [], []
        else:
            careful_row(line, raw)  # a short row is padded, a blank one left out
    if lines or careful:
        flush()
    if progress:
        progress(staged.rows)


def insert_temporary(
    table: str, names: Sequence[str], rows: Sequence[Sequence[Any]], *, nulls: bool = False
) -> None:
    """Bulk-insert rows into one of the import's temporary tables: ``executemany`` on
    SQLite, ``COPY`` on PostgreSQL (a third of ``execute_values``' time). Their text
    never holds a tab, a line break or another control character, NUL included (rows
    with one are refused before), so the text format needs only backslashes doubled;
    with ``nulls`` the rows may hold None, written as COPY's NULL."""
    if dialect() == "sqlite":
        insert_rows(table, names, rows)
        return
    if nulls:  # NUL stands for NULL until the backslashes are doubled
        rows = [["\x00" if value is None else value for value in row] for row in rows]
    text = "\n".join(["\t".join(map(str, row)) for row in rows]).replace("\\", "\\\\")
    if nulls:
        text = text.replace("\x00", "\\N")
    db.cursor().copy_expert(f"COPY {table} ({', '.join(names)}) FROM STDIN", io.StringIO(text))


def _stage_batch(
    lines: list[int],
    picked: list[tuple[str, ...]],
    raws: list[list[str]],
    kinds: tuple[list[int], list[tuple[int, str]]],
    staged: Staged,
    careful_row: Callable[[int, list[str]], None],
) -> list[tuple[Any, ...]]:
    """The staged rows of a batch of full rows (line, then the cleaned mapped cells);
    the rows it sets apart go to ``careful_row``. ``kinds``: the positions of the code
    columns, and of the columns judged per value (with their fields)."""
    if not lines:
        return []
    codes, per_value = kinds
    width = len(picked[0])
    cells, odd = clean_batch(picked, width)
    for code in codes:
        if not "".join(cells[code::width]).isascii():
            # SQL's upper() folds ASCII only; other codes are upper-cased as Python does.
            for at in range(code, len(cells), width):
                cells[at] = cells[at].upper()
    for position, name in per_value:
        # Odd rows' cells too: a value judged for nothing costs nothing.
        staged.distinct[name].update(cells[position::width])
    group = iter(cells)
    rows: list[tuple[Any, ...]] = list(zip(lines, *([group] * width), strict=True))
    staged.rows += len(rows) - len(odd)
    if odd:
        for i in sorted(odd):
            careful_row(lines[i], raws[i])
        rows = [row for i, row in enumerate(rows) if i not in odd]
    return rows


def _careful_row(
    line: int,
    raw: list[str],
    columns: list[Column],
    width: int,
    codes: list[int],
    pick: Callable[[list[str]], tuple[str, ...]],
    staged: Staged,
) -> tuple[Any, ...] | None:
    """A row that needs cleaning, padding or upper-casing; None for a blank line or a row
    with control characters (reported)."""
    if not "".join(raw).strip():
        staged.rows -= 1
        return None  # blank lines are not rows
    cells = clean_row(raw)
    if len(cells) < width:
        cells = cells + [""] * (width - len(cells))
    picked = tuple(pick(cells))
    joined = "".join(picked)
    if control_character(joined) is not None:
        for column, value in zip(columns, picked, strict=True):
            reason = control_reason(value, line)
            if reason:
                staged.problems.append(Problem(line, column.header, reason))
        return None
    if codes and not joined.isascii():
        # SQL's upper() folds ASCII only; codes are upper-cased as Python does.
        values = list(picked)
        for i in codes:
            values[i] = values[i].upper()
        picked = tuple(values)
    return (line, *picked)


def judged_per_value(column: Column) -> bool:
    """Whether a column is checked once per distinct value."""
    spec = BY_NAME.get(column.field)
    if column.field in CLASSIFICATION_COLUMNS:
        return True
    return spec is not None and (spec.kind in MAPPED_KINDS or spec.reference == "country_region")
