"""Fuzzing ``contacts import`` with hypothesis: whatever the bytes, the command ends with
exit status 0, 1 or 2, never a traceback or an "unexpected failure", and a refused
import leaves the database as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segment_tui.cli import main

HEADERS = [
    "no",
    "type",
    "name",
    "first_name",
    "surname",
    "company_no",
    "company_name",
    "email",
    "phone_no",
    "city",
    "country",
    "salesperson_code",
    "mailing_groups",
    "exclude_from_segment",
    "correspondence_type",
    "external_id",
    "Zip",
    "notes",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "NULL",
            "Adatum",
            "person",
            "company",
            "Germany",
            "DE",
            "Germny",
            "PS",
            "NOBODY",
            "ann@example.com",
            "not-mail",
            "555-0100x12",
            "CT000001",
            "Yes",
            "maybe",
            "email",
            "'=1+2",
            "''x",
            "CHRISTMAS;NEWSLETTER",
        ]
    ),
    st.text(max_size=40),
    st.text(alphabet=",;\"'\r\n\t\x00\x1b =+-@", max_size=12),
)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """A CSV-ish file: real headers, hostile cells, odd quoting, odd encodings."""
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.binary(max_size=300))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 6))):
        cells = draw(st.lists(CELLS, min_size=0, max_size=len(header) + 2))
        quoted = [f'"{c}"' if draw(st.booleans()) else c for c in cells]
        lines.append(delimiter.join(quoted))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


def _count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM contact").fetchone()[0])


@pytest.fixture
def fuzz_db(tmp_path: Path) -> Path:
    path = tmp_path / "fuzz.db"
    assert main(["--db", str(path), "demo", "--contacts", "10"]) == 0
    return path


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=csv_bytes(), skip_bad=st.booleans(), update=st.booleans())
def test_import_never_fails_unexpectedly(
    fuzz_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    skip_bad: bool,
    update: bool,
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    before = _count(fuzz_db)
    args = ["--db", str(fuzz_db), "contacts", "import", str(path)]
    args += ["--skip-bad"] * skip_bad + ["--update"] * update
    try:
        status = main(args)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    _, err = capsys.readouterr()
    assert status in (0, 1, 2), err
    assert "unexpected failure" not in err and "Traceback" not in err, err
    if status != 0:
        assert _count(fuzz_db) == before, err
    rejects = tmp_path / "fuzz.rejects.csv"
    if rejects.exists():
        rejects.unlink()
