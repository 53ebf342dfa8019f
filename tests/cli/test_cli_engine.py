"""The segment engine from the command line, as a script sees it (README, "The command line").

``--json`` prints one JSON document keyed by snake_case field names (a segment: header
fields plus ``lines``; lists: arrays of records); exit status 0 on success, 1 when the rules
refuse the request (stderr starts with ``error:``), 2 for wrong usage; ``--update-lines no``
answers BC's "update the segment lines?" question (docs/business-central.md, "Worksheet:
header and header → lines"); delete-canceled prints BC's "<n> Interaction Log Entry has been
deleted." / "<n> Logged Segment has been deleted." (docs/business-central.md, "After
logging").
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from segment_tui.cli import main
from segment_tui.models import SegmentCriteriaLine, SegmentHistory, SegmentLine
from tests.conftest import ContactFactory

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


@pytest.fixture
def db(make_contact: ContactFactory, db_path: Path) -> str:
    """Adatum (Ann, Bob) and Trey Research (Carl) in the CRONUS setup; the --db argument."""
    make_contact(no="C1", type="company", name="Adatum", city="London",
                 email="info@adatum.example")  # fmt: skip
    make_contact(no="P1", type="person", name="Ann Smith", company_no="C1",
                 email="ann@adatum.example")  # fmt: skip
    make_contact(no="P2", type="person", name="Bob Jones", company_no="C1")
    make_contact(no="C2", type="company", name="Trey Research", city="Paris")
    make_contact(no="P3", type="person", name="Carl Berg", company_no="C2")
    return str(db_path)


def run(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit status, stdout, stderr)."""
    try:
        status = main(["--db", db, *args])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def ok_json(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> Any:
    status, out, err = run(capsys, db, *args)
    assert status == 0, err
    return json.loads(out)


def _snake(record: dict[str, Any]) -> None:
    bad = [key for key in record if not SNAKE.match(key)]
    assert bad == [], bad


def _letter(capsys: pytest.CaptureFixture[str], db: str) -> str:
    record = ok_json(capsys, db, "segment", "new", "--description", "Spring letter",
                     "--template", "LETTER", "--salesperson", "BC", "--json")  # fmt: skip
    ok_json(capsys, db, "segment", "add", record["no"], "--where", "city=London", "--json")
    return str(record["no"])


def test_segment_new_show_list_and_criteria_as_json(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no = _letter(capsys, db)
    document = ok_json(capsys, db, "segment", "show", no, "--json")
    _snake(document)
    assert (document["no"], document["description"]) == ("SEG00001", "Spring letter")
    assert (document["interaction_template_code"], document["no_of_lines"]) == ("LETTER", 3)
    assert [line["contact_no"] for line in document["lines"]] == ["C1", "P1", "P2"]
    for line in document["lines"]:
        _snake(line)
    assert [(line["contact_name"], line["contact_company_name"]) for line in document["lines"]] == [
        ("", "Adatum"), ("Ann Smith", "Adatum"), ("Bob Jones", "Adatum"),
    ]  # fmt: skip
    assert document["lines"][0]["line_no"] == 10000

    listed = ok_json(capsys, db, "segment", "list", "--json")
    assert [(r["no"], r["description"], r["no_of_lines"]) for r in listed] == [
        ("SEG00001", "Spring letter", 3)
    ]
    _snake(listed[0])

    criteria = ok_json(capsys, db, "segment", "criteria", no, "--json")
    for record in criteria:
        _snake(record)
    assert [(r["type"], r["action_no"], r["filter_text"]) for r in criteria] == [
        ("action", 1, ""), ("filter", 1, "City: London"),
    ]  # fmt: skip
    assert (criteria[0]["action"], criteria[0]["added"], criteria[0]["removed"]) == ("add", 3, 0)


def test_add_dry_run_json_counts_and_writes_nothing(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no = _letter(capsys, db)
    counts = (SegmentLine.select().count(), SegmentCriteriaLine.select().count(),
              SegmentHistory.select().count())  # fmt: skip
    preview = ok_json(capsys, db, "segment", "add", no, "--where", "type=Person", "--dry-run",
                      "--json")  # fmt: skip
    assert preview == {"matched": 3, "would_add": 1, "already_present": 2, "excluded": 0}
    assert (SegmentLine.select().count(), SegmentCriteriaLine.select().count(),
            SegmentHistory.select().count()) == counts  # fmt: skip


def test_log_logged_list_and_interactions_list_as_json(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no = _letter(capsys, db)
    result = ok_json(capsys, db, "segment", "log", no, "--json")
    _snake(result)
    assert (result["segment_no"], result["logged_segment_entry_no"], result["entries"]) == (
        no, 1, 3,
    )  # fmt: skip
    logged = ok_json(capsys, db, "logged", "list", "--json")
    _snake(logged[0])
    assert [(r["entry_no"], r["segment_no"], r["no_of_interactions"]) for r in logged] == [
        (1, no, 3)
    ]
    entries = ok_json(capsys, db, "interactions", "list", "--logged", "1", "--json")
    for entry in entries:
        _snake(entry)
    assert [(e["entry_no"], e["contact_no"], e["interaction_template_code"]) for e in entries] == [
        (3, "P2", "LETTER"), (2, "P1", "LETTER"), (1, "C1", "LETTER"),
    ]  # fmt: skip
    assert entries[1]["contact_name"] == "Ann Smith"
    assert (
        ok_json(capsys, db, "interactions", "list", "--contact", "P1", "--json")[0]["entry_no"] == 2
    )


def test_refused_requests_exit_1_with_error_on_stderr(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = ok_json(capsys, db, "segment", "new", "--description", "Empty", "--template",
                    "LETTER", "--json")["no"]  # fmt: skip
    status, out, err = run(capsys, db, "segment", "log", empty)
    assert (status, out) == (1, "")
    assert err == f"error: Segment {empty} is empty.\n"
    status, _, err = run(capsys, db, "segment", "show", "NOPE", "--json")
    assert status == 1 and err.startswith("error: The Segment Header does not exist")
    status, _, err = run(capsys, db, "segment", "add", empty, "--where", "city=London&")
    assert status == 1
    assert err.startswith("error: ") and "city" in err and "position 7" in err
    assert "Traceback" not in err


def test_reuse_without_yes_exits_1_with_bcs_question(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no = _letter(capsys, db)
    assert run(capsys, db, "segment", "save-criteria", no, "LONDON")[0] == 0
    status, _, err = run(capsys, db, "segment", "reuse-criteria", no, "LONDON")
    assert status == 1
    assert err.startswith(f"error: Segment {no} already contains 1 No. of Criteria Actions.")
    assert "--yes" in err
    results = ok_json(capsys, db, "segment", "reuse-criteria", no, "LONDON", "--yes", "--json")
    assert [r["action_no"] for r in results] == [2]


def test_a_printout_replaces_the_file_it_names_without_asking(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    no = _letter(capsys, db)
    target = tmp_path / "contacts.csv"
    target.write_text("old", encoding="utf-8")
    status, out, err = run(capsys, db, "segment", "export-contacts", no, str(target))
    assert (status, err) == (0, "") and out.startswith(f"exported 3 contacts of segment {no}")
    assert target.read_text(encoding="utf-8").startswith("no,")


@pytest.mark.parametrize(
    "args",
    [
        ("segment", "add"),  # NO missing
        ("segment", "frobnicate", "SEG00001"),
        ("segment", "set", "SEG00001", "description=X", "--update-lines", "maybe"),
        ("logged", "cancel", "one"),
    ],
)
def test_usage_errors_exit_2(db: str, capsys: pytest.CaptureFixture[str], args: tuple[str]) -> None:
    status, out, err = run(capsys, db, *args)
    assert (status, out) == (2, "")
    assert "error:" in err


def test_update_lines_no_answers_the_question(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    no = _letter(capsys, db)
    header = ok_json(capsys, db, "segment", "set", no, "description=Summer letter",
                     "--update-lines", "no", "--json")  # fmt: skip
    assert header["description"] == "Summer letter"
    lines = ok_json(capsys, db, "segment", "show", no, "--json")["lines"]
    assert {line["description"] for line in lines} == {"Spring letter"}
    ok_json(capsys, db, "segment", "set", no, "description=Autumn letter", "--json")
    lines = ok_json(capsys, db, "segment", "show", no, "--json")["lines"]
    assert {line["description"] for line in lines} == {"Autumn letter"}  # default: Yes


def test_cancel_and_delete_canceled_print_bcs_messages(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no = _letter(capsys, db)
    ok_json(capsys, db, "segment", "log", no, "--json")
    status, out, _ = run(capsys, db, "interactions", "cancel", "2", "3")
    assert status == 0
    status, out, _ = run(capsys, db, "interactions", "delete-canceled")
    assert (status, out) == (0, "2 Interaction Log Entry has been deleted.\n")
    assert run(capsys, db, "logged", "cancel", "1")[0] == 0
    status, _, err = run(capsys, db, "interactions", "cancel", "1")  # uncancel: refused
    assert status == 1 and "Canceled must be equal to 'No' in Logged Segment" in err
    status, out, _ = run(capsys, db, "logged", "delete-canceled")
    assert (status, out) == (0, "1 Logged Segment has been deleted.\n")
    entries = ok_json(capsys, db, "interactions", "list", "--json")
    assert [(e["entry_no"], e["logged_segment_entry_no"]) for e in entries] == [(1, None)]
