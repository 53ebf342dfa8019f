"""The streaming command line (docs/streaming.md): ``segment show --json``, ``interactions
list`` (``--json``, ``--jsonl``, ``--limit``) and ``contacts export`` write records as
they read them, a batch at a time, in bounded memory, and print the same JSON as the
records the services build for the screens.

The JSON of lines and entries is written by the database (services/json_rows.py); the
tests here hold it equal, value for value, to the Python records on awkward values:
booleans, blank codes, amounts with and without decimals, times and date-times with and
without microseconds, quotes, backslashes, control characters, non-ASCII text.
``tests/postgres/test_streaming_postgres.py`` runs the same checks on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tracemalloc
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from segment_tui.cli import main
from segment_tui.cli.output import (
    print_table,
    to_json,
    write_json_array,
    write_json_document,
    write_json_lines,
    write_table,
)
from segment_tui.db import db, write_transaction
from segment_tui.models import Contact, InteractionLogEntry, SegmentLine
from segment_tui.services import streaming
from segment_tui.services.contacts.export import iter_contact_records
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.interactions.entries import list_entries
from segment_tui.services.interactions.entry_view import (
    EntryFilter,
    stream_entries,
    stream_entries_json,
)
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import create_segment
from segment_tui.services.segments.view import (
    segment_document,
    segment_json_stream,
    segment_stream,
)

AWKWARD = 'Quote " back \\ tab\t new\nline \x01 \u2028 Ünïcødé ✓'


def build_world() -> str:
    """Contacts with awkward names, a logged segment (entries) and segment SHOW (to
    print), with edge values written straight into lines and entries; returns SHOW's no.
    The database must be open and carry the demo setup."""
    from segment_tui.services.contacts.records import create_contact

    create_contact({"no": "C1", "type": "company", "name": "Adatum"})
    create_contact({"no": "P1", "type": "person", "name": "Ännä Smith", "company_no": "C1",
                    "email": "anna@adatum.example"})  # fmt: skip
    create_contact({"no": "P2", "type": "person", "name": "Bob Jones", "company_no": "C1"})
    create_contact({"no": "C2", "type": "company", "name": "Trey Research"})
    create_contact({"no": "P3", "type": "person", "name": "Carl Berg", "company_no": "C2"})
    create_contact({"no": "P4", "type": "person", "name": "Dora Lind"})
    # Contact fields refuse control characters now; a database written before may hold them.
    Contact.update(name="Adatum " + AWKWARD[:20]).where(Contact.no == "C1").execute()
    Contact.update(name="Bob\tJones").where(Contact.no == "P2").execute()
    everyone = parse_where(["no=*"])

    logged = create_segment("To log", template="LETTER", salesperson="BC")["no"]
    add_contacts(logged, everyone, AddOptions())
    log_segment(logged)
    show = create_segment("To show", template="LETTER", salesperson="BC", campaign="CP1001")
    add_contacts(show["no"], everyone, AddOptions())

    with write_transaction():
        nos = [row.line_no for row in SegmentLine.select().order_by(SegmentLine.line_no)]
        line = SegmentLine.update
        where = SegmentLine.line_no
        line(time_of_interaction=dt.time(9, 5, 7, 120000), cost_lcy=Decimal("85.00"),
             line_note=AWKWARD, attempt_failed=True, merged=True,
             evaluation="positive").where(where == nos[0]).execute()  # fmt: skip
        line(time_of_interaction=dt.time(23, 59, 59), cost_lcy=Decimal("0.10"),
             salesperson_code=None, campaign_no=None, date=None,
             subject="Ö'\"").where(where == nos[1]).execute()  # fmt: skip
        line(cost_lcy=Decimal("1234567.89"), campaign_response=True,
             campaign_target=True).where(where == nos[2]).execute()  # fmt: skip
        newest_first = InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no.desc())
        entries = [e.entry_no for e in newest_first]
        entry = InteractionLogEntry.update
        at = InteractionLogEntry.entry_no
        entry(delivered_at=dt.datetime(2026, 3, 2, 10, 0, 0, 500000), canceled=True,
              time_of_interaction=dt.time(10, 0), cost_lcy=Decimal("85.00"),
              description=AWKWARD[:90]).where(at == entries[0]).execute()  # fmt: skip
        entry(delivered_at=dt.datetime(2026, 3, 2, 10, 0), cost_lcy=Decimal("0.10"),
              delivery_error="x\\y\x02").where(at == entries[1]).execute()  # fmt: skip
    return str(show["no"])


@pytest.fixture
def world(cronus: Any, db_path: Path) -> tuple[str, str]:
    """(the --db argument, the number of the segment to show)."""
    return str(db_path), build_world()


def run(capsys: pytest.CaptureFixture[str], db_arg: str, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--db", db_arg, *args])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def json_lines(text: str) -> list[Any]:
    """JSON Lines read back: split on newlines only (a U+2028 inside a string is text)."""
    return [json.loads(line) for line in text.split("\n") if line]


def as_json(value: Any) -> Any:
    """``value`` as the Python path writes it, read back."""
    return json.loads(to_json(value))


def same(written: Any, expected: Any) -> bool:
    """Equal as JSON, types included: in Python 0 == False and 85 == 85.0."""
    return json.dumps(written) == json.dumps(expected)


# --- the same JSON as the records ----------------------------------------------------------


def typed(records: Sequence[Mapping[str, object]]) -> list[list[tuple[str, str, object]]]:
    """Records with each value's type: in Python Decimal("2.5") == 2.5 and 1 == True."""
    return [[(k, type(v).__name__, v) for k, v in record.items()] for record in records]


def check_same_json(capsys: pytest.CaptureFixture[str], db_arg: str, show: str) -> None:
    """The streamed records and JSON equal the records of the screens' services."""
    with segment_stream(show) as (_, lines):
        assert typed(list(lines)) == typed(segment_document(show)["lines"])
    assert typed(list(stream_entries(EntryFilter()))) == typed(list_entries())
    status, out, err = run(capsys, db_arg, "segment", "show", show, "--json")
    assert status == 0, err
    document = json.loads(out)
    expected = as_json(segment_document(show))
    assert len(document["lines"]) == 6
    assert same(document, expected)  # the same keys in the same order, the same values

    entries = as_json(list_entries())
    assert len(entries) == 6
    status, out, err = run(capsys, db_arg, "interactions", "list", "--json")
    assert status == 0, err
    assert same(json.loads(out), entries)
    status, out, err = run(capsys, db_arg, "interactions", "list", "--jsonl")
    assert status == 0, err
    assert same(json_lines(out), entries)
    status, out, err = run(capsys, db_arg, "interactions", "list", "--jsonl", "--limit", "2")
    assert same(json_lines(out), entries[:2])
    status, out, err = run(capsys, db_arg, "interactions", "list", "--json", "--segment", show)
    assert json.loads(out) == []


def test_streamed_json_equals_the_records_on_awkward_values(
    world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    check_same_json(capsys, *world)


def test_awkward_values_reach_the_output_intact(
    world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db_arg, show = world
    lines = json.loads(run(capsys, db_arg, "segment", "show", show, "--json")[1])["lines"]
    first, second, third = lines[:3]
    assert first["line_note"] == AWKWARD
    assert (first["time_of_interaction"], first["cost_lcy"], first["merged"]) == (
        "09:05:07.120000", 85, True,
    )  # fmt: skip
    assert (second["time_of_interaction"], second["cost_lcy"], second["date"]) == (
        "23:59:59", 0.1, None,
    )  # fmt: skip
    assert (second["salesperson_code"], second["campaign_no"]) == ("", "")
    assert (third["cost_lcy"], third["campaign_target"]) == (1234567.89, True)
    company = next(line for line in lines if line["contact_no"] == "C1")
    assert company["document"] == "Inherited"
    assert company["contact_company_name"] == "Adatum " + AWKWARD[:20]
    newest = json.loads(run(capsys, db_arg, "interactions", "list", "--jsonl", "--limit", "1")[1])
    assert (newest["delivered_at"], newest["canceled"], newest["cost_lcy"]) == (
        "2026-03-02T10:00:00.500000", True, 85,
    )  # fmt: skip


def test_empty_results_are_valid_json(cronus: Any, db_path: Path, capsys: Any) -> None:
    empty = create_segment("Empty")["no"]
    status, out, _ = run(capsys, str(db_path), "segment", "show", empty, "--json")
    assert status == 0 and json.loads(out)["lines"] == []
    assert json.loads(run(capsys, str(db_path), "interactions", "list", "--json")[1]) == []
    assert run(capsys, str(db_path), "interactions", "list", "--jsonl")[1] == ""


def test_where_filters_every_output_form(
    world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db_arg, _ = world
    everyone = as_json(list_entries())
    wanted = [e for e in everyone if e["contact_no"] in ("P1", "P2")]
    assert len(wanted) == 2
    where = ("--where", "contact_no=P1|P2")
    status, out, err = run(capsys, db_arg, "interactions", "list", *where, "--json")
    assert status == 0, err
    assert same(json.loads(out), wanted)
    status, out, err = run(capsys, db_arg, "interactions", "list", *where, "--jsonl",
                           "--limit", "1")  # fmt: skip
    assert same(json_lines(out), wanted[:1])
    status, out, err = run(capsys, db_arg, "interactions", "list", *where)
    rows = out.splitlines()[1:]
    assert [row.split()[0] for row in rows] == [str(e["entry_no"]) for e in wanted]
    status, out, err = run(capsys, db_arg, "interactions", "list", "--where", "nope=1")
    assert (status, out) == (1, "") and "nope" in err


def check_killed_delivery_reads_unknown(
    capsys: pytest.CaptureFixture[str], db_arg: str, *, alone: bool = False
) -> None:
    """An entry left Sending by a delivery that no longer runs reads Unknown, as on the
    screen; while its delivery runs, it reads Sending. ``alone``: the entry belongs to no
    logged segment (Create Interaction), so its delivery is claimed by entry."""
    import os
    import socket

    from segment_tui.models import EntryDeliveryClaim, LoggedSegment

    newest = list_entries()[0]
    InteractionLogEntry.update(
        delivery_status="sending",
        logged_segment_entry_no=None if alone else newest["logged_segment_entry_no"],
    ).where(InteractionLogEntry.entry_no == newest["entry_no"]).execute()

    def shown() -> list[Any]:
        table = run(capsys, db_arg, "interactions", "list", "--limit", "1")[1]
        body = table.split("\n", 1)[1]  # (the description holds a newline)
        return [
            list_entries()[0]["delivery_status"],
            next(stream_entries(EntryFilter()))["delivery_status"],
            json.loads(next(stream_entries_json(EntryFilter())))["delivery_status"],
            json.loads(run(capsys, db_arg, "interactions", "list", "--json")[1])[0][
                "delivery_status"
            ],
            json_lines(run(capsys, db_arg, "interactions", "list", "--jsonl")[1])[0][
                "delivery_status"
            ],
            # The table shows the state's caption.
            "unknown" if "Unknown" in body else "sending" if "Sending" in body else body,
        ]

    assert shown() == ["unknown"] * 6
    claim = f"{socket.gethostname()}:{os.getpid()}:test"
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if alone:
        EntryDeliveryClaim.insert(
            entry_no=newest["entry_no"], claim=claim, claimed_at=now
        ).execute()
    else:
        LoggedSegment.update(delivery_claim=claim, delivery_claimed_at=now).where(
            LoggedSegment.entry_no == newest["logged_segment_entry_no"]
        ).execute()
    assert shown() == ["sending"] * 6


def test_a_killed_delivery_reads_unknown_in_every_output_form(
    world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    check_killed_delivery_reads_unknown(capsys, world[0])


def test_a_killed_delivery_of_an_interaction_alone_reads_unknown(
    world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    check_killed_delivery_reads_unknown(capsys, world[0], alone=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--limit", "-1"), "--limit: expected 0 or more"),
        (("--limit", "many"), "--limit: expected a whole number"),
        (("--json", "--jsonl"), "not allowed with argument"),
    ],
)
def test_bad_interactions_list_options_are_usage_errors(
    world: tuple[str, str], capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    status, out, err = run(capsys, world[0], "interactions", "list", *args)
    assert (status, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_an_unknown_segment_prints_nothing_and_exits_1(
    world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, world[0], "segment", "show", "NOPE", "--json")
    assert (status, out) == (1, "")
    assert err.startswith("error:")


def test_tables_stream_with_the_widths_of_the_first_rows() -> None:
    rows = [{"a": "x" * n, "b": n} for n in range(1, 6)]
    columns = (("a", "A"), ("b", "B"))
    streamed, printed = _Text(), _Text()
    assert write_table(iter(rows), columns, streamed) == 5
    print_table(rows, columns, printed)
    assert streamed.value == printed.value  # a small table reads as before
    sampled = _Text()
    write_table(iter(rows), columns, sampled, sample=2)
    assert sampled.value.splitlines() == ["A   B", "x   1", "xx  2", "xxx  3", "xxxx  4",
                                          "xxxxx  5"]  # fmt: skip
    # Rows are written a few dozen at a time, past the sample too: every row, in order.
    many = [{"a": f"r{n}", "b": n} for n in range(1, 301)]
    chunked = _Text()
    assert write_table(iter(many), columns, chunked, sample=100) == 300
    assert chunked.value.splitlines()[1:] == [f"{'r' + str(n):<4}  {n}" for n in range(1, 301)]


def test_table_cells_read_as_format_cell_gives_them() -> None:
    from segment_tui.cli.output import format_cell

    values = [7, True, False, None, Decimal("1234.5"), dt.date(2026, 3, 2),
              dt.datetime(2026, 3, 2, 10, 0, 0, 500), dt.time(9, 5), "text", 2.5]  # fmt: skip
    table = _Text()
    write_table(iter([{"v": v, "end": "|"} for v in values]), (("v", "V"), ("end", "E")), table)
    cells = [line.rsplit("|", 1)[0].rstrip() for line in table.value.splitlines()[1:]]
    assert cells == [format_cell(v) for v in values]
    assert cells[:5] == ["7", "Yes", "No", "", "1,234.50"]


class _Text(io.StringIO):
    """A text stream collecting what is written."""

    @property
    def value(self) -> str:
        return self.getvalue()


def test_json_writers_write_valid_json_for_none_one_and_many() -> None:
    for items in ([], [{"a": 1}], [{"a": 1}, {"b": [2, "ü"]}]):
        array, document, lines = _Text(), _Text(), _Text()
        assert write_json_array(iter(items), array) == len(items)
        write_json_document({"no": "S1", "n": Decimal("2.50")}, "lines", iter(items), document)
        write_json_lines(iter(items), lines)
        assert json.loads(array.value) == items
        assert json.loads(document.value) == {"no": "S1", "n": 2.5, "lines": items}
        assert json_lines(lines.value) == items
    head_only = _Text()
    write_json_document({}, "lines", iter([]), head_only)
    assert json.loads(head_only.value) == {"lines": []}


def test_json_writers_write_one_item_a_line_across_chunks() -> None:
    # Items are written a chunk at a time; the text must not show where a chunk ends.
    for count in (63, 64, 65, 129, 200):
        items = [{"n": n} for n in range(count)]
        encoded = [json.dumps(item, ensure_ascii=False) for item in items]
        array, document, lines, texts = _Text(), _Text(), _Text(), _Text()
        assert write_json_array(iter(items), array) == count
        write_json_document({"no": "S1"}, "lines", iter(items), document)
        assert write_json_lines(iter(items), lines) == count
        assert write_json_lines(iter(encoded), texts, encoded=True) == count
        assert array.value == "[\n  " + ",\n  ".join(encoded) + "\n]\n"
        assert document.value == (
            '{\n  "no": "S1",\n  "lines": [\n    ' + ",\n    ".join(encoded) + "\n  ]\n}\n"
        )
        assert lines.value == texts.value == "".join(text + "\n" for text in encoded)


# --- a batch at a time ----------------------------------------------------------------------


class Fetches:
    """Records the size of each batch the streams fetch, as they fetch it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sizes: list[int] = []
        fetched = streaming._fetched

        def spy(query: Any, size: int) -> Iterator[tuple[Any, list[tuple[Any, ...]]]]:
            for description, rows in fetched(query, size):
                self.sizes.append(len(rows))
                yield description, rows

        monkeypatch.setattr(streaming, "_fetched", spy)


def check_fetched_a_batch_at_a_time(show: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines and entries come a batch at a time, in order, none left out."""
    fetches = Fetches(monkeypatch)
    with segment_stream(show, batch=4) as (_, lines):
        first = next(lines)
        assert fetches.sizes == [4]  # nothing read beyond the first batch
        rest = list(lines)
    assert fetches.sizes == [4, 2]
    assert [r["line_no"] for r in [first, *rest]] == [
        line["line_no"] for line in segment_document(show)["lines"]
    ]
    with segment_json_stream(show, batch=3) as (_, texts):
        assert [json.loads(t)["line_no"] for t in texts] == [r["line_no"] for r in [first, *rest]]
    fetches.sizes.clear()
    entries = stream_entries(EntryFilter(), batch=4)
    assert next(entries)["entry_no"] == 6 and fetches.sizes == [4]
    assert [e["entry_no"] for e in entries] == [5, 4, 3, 2, 1]
    texts = stream_entries_json(EntryFilter(), batch=2, limit=5)
    assert [json.loads(t)["entry_no"] for t in texts] == [6, 5, 4, 3, 2]
    assert [r["no"] for r in iter_contact_records(limit=3)] == ["C1", "C2", "P1"]
    assert len(list(iter_contact_records())) == 6


def test_lines_and_entries_are_fetched_a_batch_at_a_time(
    world: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check_fetched_a_batch_at_a_time(world[1], monkeypatch)


def test_a_stream_can_read_only_the_fields_a_table_shows(world: tuple[str, str]) -> None:
    fields = ["contact_name", "line_no", "document"]
    with segment_stream(world[1], fields=fields) as (_, lines):
        picked = list(lines)
    full = segment_document(world[1])["lines"]
    assert picked == [
        {k: line[k] for k in ("line_no", "contact_name", "document")} for line in full
    ]
    entries = list(stream_entries(EntryFilter(), fields=["entry_no", "cost_lcy"], limit=2))
    assert entries == [{"entry_no": e["entry_no"], "cost_lcy": e["cost_lcy"]}
                       for e in list_entries()[:2]]  # fmt: skip
    with pytest.raises(ValueError, match="no such field: nope"):
        list(stream_entries(EntryFilter(), fields=["nope"]))


def test_services_report_progress_per_batch(world: tuple[str, str]) -> None:
    calls: list[tuple[str, int, int | None]] = []

    def progress(step: str, done: int, total: int | None) -> None:
        calls.append((step, done, total))

    with segment_stream(world[1], progress=progress, batch=4) as (_, lines):
        list(lines)
    assert calls == [("lines", 0, 6), ("lines", 4, 6), ("lines", 6, 6)]
    calls.clear()
    list(stream_entries(EntryFilter(), progress=progress, batch=2, limit=5))
    assert calls == [("entries", 0, 5), ("entries", 2, 5), ("entries", 4, 5), ("entries", 5, 5)]
    calls.clear()
    list(iter_contact_records(progress=progress))
    assert calls[0] == ("contacts", 0, 6) and calls[-1] == ("contacts", 6, 6)


# --- bounded memory -------------------------------------------------------------------------


def fill(lines: int) -> str:
    """``lines`` contacts, a segment BIG with a line each and an entry each, by SQL."""
    with write_transaction():
        db.execute_sql(
            "INSERT INTO contact (no, type, name, search_name, company_name, city, email, "
            "exclude_from_segment, privacy_blocked) "
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "SELECT printf('K%07d', i), 'person', 'Person ' || i, 'PERSON ' || i, "
            "'Company ' || (i / 5), 'London', 'p' || i || '@example.com', 0, 0 FROM n",
            (lines,),
        )
        db.execute_sql(
            "INSERT INTO contact_mailing_group (contact_no, mailing_group_code) "
            "SELECT no, 'NEWSLETTER' FROM contact WHERE no LIKE 'K%'"
        )
        db.execute_sql("INSERT INTO segment_header (no, description) VALUES ('BIG', 'Big')")
        db.execute_sql(
            "INSERT INTO segment_line (segment_no, line_no, contact_no, description, "
            "line_note, added_by_action, cost_lcy, date) SELECT 'BIG', "
            "10 * ROW_NUMBER() OVER (ORDER BY no), no, 'Line of ' || name, '', 1, 2.5, "
            "'2026-03-02' FROM contact WHERE no LIKE 'K%'"
        )
        db.execute_sql(
            "INSERT INTO interaction_log_entry (contact_no, description, line_note, date, "
            "cost_lcy) SELECT no, 'Entry of ' || name, '', '2026-03-02', 2.5 FROM contact "
            "WHERE no LIKE 'K%'"
        )
    return "BIG"


def peak_python_memory(args: list[str]) -> int:
    """The peak of Python allocations (bytes) while ``main(args)`` runs, output dropped."""
    import contextlib
    import os

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        tracemalloc.start()
        try:
            assert main(args) == 0
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_big_results_are_written_in_the_memory_of_a_batch(
    cronus: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 6,000 records fetched 300 at a time peak at 1-2 MB of Python objects (a table also
    # holds its first 1,000 rows to size the columns); read in one batch, 6-10 MB.
    monkeypatch.setattr(streaming, "BATCH", 300)
    fill(6000)
    db_arg = ["--db", str(db_path)]
    peaks = {
        args: peak_python_memory([*db_arg, *args])
        for args in (
            ("segment", "show", "BIG", "--json"),
            ("segment", "show", "BIG"),
            ("interactions", "list", "--jsonl"),
            ("interactions", "list"),
            ("contacts", "export", str(tmp_path / "out.csv")),
        )
    }
    assert all(peak < 4_000_000 for peak in peaks.values()), peaks


PEAK_RSS = """
import sys
from segment_tui.cli import main
status = main(sys.argv[1:])
sys.stdout.flush()
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(f"peak-kb {peak}", file=sys.stderr)
raise SystemExit(status)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_100000_line_segment_prints_within_150_mb(cronus: Any, db_path: Path) -> None:
    # Before streaming: 953 MB. The 150 MB include SQLite's 64 MB page cache.
    import subprocess
    import sys

    fill(100_000)
    with open(db_path.parent / "out.json", "wb") as out:
        done = subprocess.run(
            [sys.executable, "-c", PEAK_RSS, "--db", str(db_path), "segment", "show", "BIG",
             "--json"],
            stdout=out, stderr=subprocess.PIPE, text=True, check=False, timeout=600,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stderr.split("peak-kb ")[1].split()[0]) // 1024
    assert peak_mb <= 150, peak_mb
    with open(db_path.parent / "out.json", encoding="utf-8") as written:
        lines = sum(1 for line in written if line.startswith('    {"segment_no":"BIG"'))
    assert lines == 100_000
