"""Two users press Log on the same segment at the same moment.

A segment can be logged only once, even when two users press Log at the same moment
(BC's "Logged Segment for Segment No. <No> already exists."): two processes run
``segment-tui --db DB segment log NO`` on a segment of a few thousand lines; exactly
one succeeds, the other is refused with BC's message, and the database holds one
logged segment with one set of entries. Both processes are held at a barrier right
where the command presses Log (``log_at_barrier.py``, :mod:`tests.barrier`) and released
together, and the test checks from their clocks that the two Logs ran at the same time,
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from segment_tui.db import close_database, open_database, write_transaction
from segment_tui.models import InteractionLogEntry, LoggedSegment, SegmentHeader, SegmentLine
from segment_tui.services.contacts.bulk import insert_contacts
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.demo.setup_data import seed_setup
from tests.barrier import ProcessBarrier
from tests.engine.support import new_segment
from tests.postgres.test_postgres import pg_admin, pg_url  # noqa: F401 - fixtures

LINES = 3000
AT_BARRIER = Path(__file__).with_name("log_at_barrier.py")


def _big_segment() -> str:
    with write_transaction():
        seed_setup()
        insert_contacts(
            [
                {"no": f"K{n:05d}", "type": "company", "name": f"Company {n:05d}",
                 "search_name": f"COMPANY {n:05d}", "company_no": f"K{n:05d}",
                 "company_name": f"Company {n:05d}"}
                for n in range(LINES)
            ]
        )  # fmt: skip
    no = new_segment("Big mailing", template="LETTER", salesperson="BC")
    assert add_contacts(no, [], AddOptions()).added == LINES
    return no


def _log_twice_at_once(db: str, no: str, tmp_path: Path) -> list[tuple[int, str, str]]:
    """Two processes press Log on segment ``no`` together: (status, stdout, stderr) each."""
    barrier = ProcessBarrier()
    times = [tmp_path / f"times-{i}" for i in range(2)]
    log = ["--db", db, "segment", "log", no]
    runs = [
        subprocess.Popen(
            [sys.executable, str(AT_BARRIER), *barrier.child_args, str(path), "--", *log],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=barrier.pass_fds,
        )
        for path in times
    ]
    arrived = barrier.release(len(runs))
    outputs = [run.communicate(timeout=120) for run in runs]
    results = [(run.returncode, out, err) for run, (out, err) in zip(runs, outputs, strict=True)]
    assert arrived == 2, f"both processes must reach Log: {results}"

    # Both Logs were under way at the same moment: each started before the other ended.
    (start_a, end_a), (start_b, end_b) = (map(float, t.read_text().split()) for t in times)
    assert max(start_a, start_b) < min(end_a, end_b), "the two Logs did not overlap"
    return results


def _one_logged(results: list[tuple[int, str, str]], no: str) -> None:
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [0, 1], results
    (_, winner_out, _), (_, _, loser_err) = sorted(results, key=lambda r: r[0])
    assert f"Segment {no} has been logged." in winner_out
    assert loser_err.strip() == f"error: Logged Segment for Segment No. {no} already exists."

    logged = list(LoggedSegment.select())
    assert [(ls.segment_no, ls.description) for ls in logged] == [(no, "Big mailing")]
    assert InteractionLogEntry.select().count() == LINES
    assert (
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment_entry_no == logged[0].entry_no)
        .count()
        == LINES
    )
    assert SegmentHeader.select().count() == 0
    assert SegmentLine.select().count() == 0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_processes_logging_the_same_segment_one_wins(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = str(tmp_path / "race.db") if kind == "sqlite" else request.getfixturevalue("pg_url")
    open_database(db)
    try:
        no = _big_segment()
        close_database()  # the test holds no connection while the two processes race
        results = _log_twice_at_once(db, no, tmp_path)
        open_database(db)
        _one_logged(results, no)
    finally:
        close_database()
