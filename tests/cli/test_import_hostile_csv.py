"""Hostile and odd CSV files given to ``contacts import``: each is refused with a message
naming the line (exit 1, nothing written) or read correctly, never a traceback."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest

from segment_tui.cli import main

# The child's own high-water mark: getrusage's ru_maxrss keeps the parent's across exec
# (a pytest process that grew to 170 MB made a 40 MB import look like 170 MB).
RUN_CLI_MEASURED = (
    "import re, sys; from segment_tui.cli import main; status = main(sys.argv[1:]); "
    "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
    "print('peak-kb', hwm, file=sys.stderr); sys.exit(status)"
)


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return status, out, err


def contacts(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, str]]:
    status, out, _ = run(capsys, db, "contacts", "list", "--json")
    assert status == 0
    result: list[dict[str, str]] = json.loads(out)
    return result


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "x.db"
    assert run(capsys, path, "init")[0] == 0
    return path


def test_bare_cr_line_endings_are_rows(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"name,city\rAdatum,Leeds\rTrey,York\r")
    status, out, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 0, err
    assert "imported 2 rows" in out
    assert {c["name"]: c["city"] for c in contacts(capsys, db)} == {
        "Adatum": "Leeds",
        "Trey": "York",
    }


def test_an_unterminated_quote_is_refused_with_its_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('name,city\nAdatum,Leeds\n"Trey,York\nLitware,Hull\n', encoding="utf-8")
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert "line 3: a quoted cell opens here and is never closed (lines 3–4" in err
    assert contacts(capsys, db) == []


def test_a_quote_closed_rows_later_is_refused_not_merged_into_a_name(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('name,city\n"Trey,York\nLitware",Hull\nAdatum,Leeds\n', encoding="utf-8")
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert "line 2, column name: the value runs over 2 lines (2–3)" in err
    assert contacts(capsys, db) == []


def test_a_cell_over_the_field_limit_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.csv"
    path.write_text('name,city\nAdatum,Leeds\n"' + "x" * 200_000 + '",York\n', encoding="utf-8")
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert "line 3: a cell is longer than 131,072 characters" in err
    assert contacts(capsys, db) == []


def test_a_huge_line_is_refused_without_reading_it_into_memory(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.write(b"name,city\nAdatum,")
        chunk = b"y" * (1 << 20)
        for _ in range(160):  # a 160 MB line: reading it whole costs 300+ MB
            out.write(chunk)
        out.write(b"\n")
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI_MEASURED, "--db", str(db), "contacts", "import", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    peak_mb = int(done.stderr.split("peak-kb ")[1].split()[0]) / 1024
    assert peak_mb < 120, f"peak {peak_mb:.0f} MB"
    assert done.returncode == 1
    assert "huge.csv: line 2 is longer than 4,194,304 characters" in done.stderr


def test_utf16_is_named_and_imports_with_encoding(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "name\tcity\nCafé Noir\tParis\n".encode("utf-16-le"))
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert "excel.csv is UTF-16" in err and "--encoding utf-16" in err
    status, out, err = run(capsys, db, "contacts", "import", str(path), "--encoding", "utf-16")
    assert status == 0, err
    assert [c["name"] for c in contacts(capsys, db)] == ["Café Noir"]


def test_utf16_without_a_byte_order_mark_is_recognised(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nobom.csv"
    path.write_bytes("name,city\nAdatum,Leeds\n".encode("utf-16-le"))
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert "looks like UTF-16-LE" in err and "--encoding utf-16-le" in err


def test_latin1_is_named_with_the_line_and_imports_with_encoding(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("name,city\nAdatum,Leeds\nCafé Noir,Paris\n".encode("latin-1"))
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert "line 3: byte 0xE9 is not UTF-8" in err and "--encoding latin-1" in err
    assert contacts(capsys, db) == []
    status, _, err = run(capsys, db, "contacts", "import", str(path), "--encoding", "latin-1")
    assert status == 0, err
    assert "Café Noir" in {c["name"] for c in contacts(capsys, db)}


def test_a_bad_byte_far_into_a_big_file_is_found_on_its_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.csv"
    rows = [f"Company {i},Leeds" for i in range(3000)]
    rows[2500] = "Caf\xe9 Noir,Paris"
    path.write_bytes(("name,city\n" + "\n".join(rows) + "\n").encode("latin-1"))
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert "big.csv: line 2502: byte 0xE9 is not UTF-8" in err
    assert contacts(capsys, db) == []


def test_windows_1252_quotes_point_at_cp1252(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "win.csv"
    path.write_bytes("name\n\u201cBest\u201d Ltd\n".encode("cp1252"))
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1 and "Windows-1252" in err and "--encoding cp1252" in err


def test_an_unknown_encoding_is_a_usage_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name\nAdatum\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "contacts", "import", str(path), "--encoding", "klingon"])
    assert exit_info.value.code == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("Ada\x00tum", "holds the control character U+0000"),
        ("Ada\x1b[31mtum", "holds the control character U+001B"),
    ],
)
def test_control_characters_in_a_value_are_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str, reason: str
) -> None:
    path = tmp_path / "ctl.csv"
    path.write_text(f"name,city\nTrey,York\n{cell},Leeds\n", encoding="utf-8")
    status, _, err = run(capsys, db, "contacts", "import", str(path))
    assert status == 1
    assert f"line 3, column name: {reason}" in err
    assert contacts(capsys, db) == []


def test_empty_file_and_a_file_without_known_columns_say_so(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    status, _, err = run(capsys, db, "contacts", "import", str(empty))
    assert status == 1 and "empty.csv is empty" in err
    other = tmp_path / "orders.csv"
    other.write_text("order,amount\n1,20\n", encoding="utf-8")
    status, _, err = run(capsys, db, "contacts", "import", str(other))
    assert status == 1 and "no column names a contact field" in err
