"""``contacts export`` lets the database write each CSV line (docs/streaming.md, "CSV
export"): the formula prefix, blanks, Yes/No and code lists in SQL, the quoting left to
the csv module for the lines that need it. These tests hold the file to exactly the bytes
the app's CSV writer makes of the contacts' records, cell by cell, on hostile values —
every formula trigger, quotes, commas, line breaks, text beyond Latin-1, empty — on
SQLite and PostgreSQL, and check that only the lines needing quotes took the slow way.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from segment_tui.db import close_database, open_database, write_transaction
from segment_tui.models import Contact, ContactMailingGroup, MailingGroup
from segment_tui.services import streaming
from segment_tui.services.contacts import export
from segment_tui.services.contacts.export import EXPORT_COLUMNS, export_contacts
from segment_tui.services.contacts.fields import CONTACT_FIELDS
from segment_tui.services.csv_output import csv_cell, csv_writer
from segment_tui.services.demo.setup_data import seed_setup

HOSTILE = [
    *("=1+2", "+44 20 7946 0958", "-5", "@SUM(A1)", "\tx", "\rx", "=", "+", "-", "@"),
    *("'", "'a", "'=x", "'+x", "'-x", "'@x", "'\tx", "'\rx", "''", "''x", "'''"),
    "'s-Hertogenbosch",
    *("a,b", ",", 'say "hi"', '"', "line\nbreak", "\n", "cr\rlf\n", "\r\n"),
    *("=a,b", '+1 "x"', "-\n", "'=,", "a=b", "x@y", "é=", " =x", "?", "A", "9 Main St"),
    *("Łódź", "東京", "😀 ok", "\u202eabc", "\x1f", "\x7fdel", "", "ok"),
]
"""Values as another program could have stored them (the app's forms refuse the control
characters): each starts a formula, needs quotes, both, or neither."""
TEXT = [f.name for f in CONTACT_FIELDS if f.kind == "text"] + ["post_code"]
CODES = ["=A", "'B", "C,D", "E", "+F", "G"]
"""Mailing group codes, hostile too: a code list starts with its first code."""


def fill() -> None:
    """One contact a hostile value, in every text column; contacts with several codes."""
    with write_transaction():
        seed_setup()
        MailingGroup.insert_many([{"code": c, "description": c} for c in CODES]).execute()
        rows = []
        for n, value in enumerate(HOSTILE):
            row: dict[str, Any] = {"no": f"H{n:03}", "type": "person"}
            row.update(dict.fromkeys(TEXT, value))
            row["exclude_from_segment"] = n % 2 == 0
            rows.append(row)
        rows.append({"no": "=C1", "type": "person", "name": "Plain", "country_region_code": "GB"})
        rows.append({"no": "C2", "type": "person", "name": "Ann, Ltd", "salesperson_code": "BC"})
        Contact.insert_many(rows).execute()
        links = [("H000", c) for c in ("E", "=A")] + [("H001", c) for c in ("G", "C,D")]
        links += [("H002", "'B"), ("H003", "+F"), ("C2", "E"), ("C2", "G"), ("=C1", "E")]
        ContactMailingGroup.insert_many(
            [{"contact_no": no, "mailing_group_code": c} for no, c in links]
        ).execute()


def cells_csv() -> str:
    """The contacts as the app's CSV writer writes their records, a cell at a time."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for record in export.iter_contact_records():
        writer.writerow([record[column] for column in EXPORT_COLUMNS])
    return out.getvalue()


def needs_quotes(record: dict[str, Any]) -> bool:
    cells = [str(csv_cell(record[column])) for column in EXPORT_COLUMNS]
    return any(c in cell for cell in cells for c in ',"\r\n')


def check_lines_equal_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export file is byte for byte what the writer makes of the records; only the
    lines needing quotes were read again as records; several batches."""
    fill()
    expected = cells_csv()
    records = list(export.iter_contact_records())
    assert len(records) == len(HOSTILE) + 2
    assert "'=A;E" in expected and '"C,D;G"' in expected  # lists in code order, prefixed
    quoted = {r["no"] for r in records if needs_quotes(r)}
    assert 0 < len(quoted) < len(records) - 10

    read_again: list[str] = []
    as_records = export.iter_contact_records

    def spy(*args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        for record in as_records(*args, **kwargs):
            read_again.append(record["no"])
            yield record

    monkeypatch.setattr(export, "iter_contact_records", spy)
    monkeypatch.setattr(streaming, "BATCH", 7)  # batches with and without quoted lines
    target = tmp_path / "contacts.csv"
    assert export_contacts(target) == len(records)
    assert target.read_bytes() == expected.encode("utf-8")
    assert sorted(read_again) == sorted(quoted)

    written = io.StringIO()
    export.write_contacts_csv(written, Contact.no.in_(["H000", "H004", "=C1"]))
    lines = expected.split("\r\n")
    picked = [lines[0]] + [line for line in lines if line.startswith(("H000,", "H004,", "'=C1,"))]
    assert written.getvalue() == "\r\n".join(picked) + "\r\n"


def test_the_lines_sqlite_writes_equal_the_cells_the_writer_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(str(tmp_path / "export.db"))
    try:
        check_lines_equal_cells(tmp_path, monkeypatch)
    finally:
        close_database()


def test_the_lines_postgresql_writes_equal_the_cells_the_writer_makes(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(pg_url)
    try:
        check_lines_equal_cells(tmp_path, monkeypatch)
    finally:
        close_database()


def test_lines_are_written_as_they_are_or_from_their_cells() -> None:
    rows: list[tuple[Any, ...]] = [
        ("a", "'=b", "", "Yes"),
        ("x,y", "z", "", "No"),
        ("'+1", "q", "w", "e"),
        ('"', "\n", "", ""),
        ("é", "東京", "'", "'a"),
    ]
    # The lines as a query writes them: cells as csv_cell makes them, joined by commas
    # (right only for the rows that need no quotes; the others are taken from the cells).
    lines = [",".join(str(csv_cell(v)) for v in row) for row in rows]
    asked: list[int] = []

    def cells(positions: Any) -> list[tuple[Any, ...]]:
        asked.extend(positions)
        return [rows[i] for i in positions]

    for formatting, slow in (({}, [1, 3]), ({"delimiter": ";"}, [0, 1, 2, 3, 4])):
        by_lines, by_cells = io.StringIO(), io.StringIO()
        csv_writer(by_cells, **formatting).writerows(rows)
        asked.clear()
        csv_writer(by_lines, **formatting).write_lines(lines, 4, cells)
        assert by_lines.getvalue() == by_cells.getvalue()
        assert asked == slow
