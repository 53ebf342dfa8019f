"""Two users press Log on the same segment at the same moment.

Pins bc-segments §6 step 1 / §11.10 ("Logged Segment for Segment No. <No> already exists.")
and PRODUCT.md §8 ("a segment can be logged only once even when two users press Log at the
same moment"): two processes run ``segment-tui --db FILE segment log NO`` concurrently on a
segment of a few thousand lines; exactly one succeeds, the other is refused with BC's
message, and the database holds one logged segment with one set of entries.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from segment_tui.db import close_database, open_database, write_transaction
from segment_tui.models import InteractionLogEntry, LoggedSegment, SegmentHeader, SegmentLine
from segment_tui.services.contact_bulk import insert_contacts
from segment_tui.services.criteria import AddOptions, add_contacts
from tests.engine.support import new_segment

LINES = 3000


def _big_segment() -> str:
    with write_transaction():
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


def test_two_processes_logging_the_same_segment_one_wins(cronus: Any, db_path: Path) -> None:
    no = _big_segment()
    close_database()  # the test holds no connection while the two processes race
    program = Path(sys.executable).with_name("segment-tui")
    command = [str(program), "--db", str(db_path), "segment", "log", no]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]

    statuses = sorted(status for status, _, _ in results)
    assert statuses == [0, 1], results
    (_, winner_out, _), (_, _, loser_err) = sorted(results, key=lambda r: r[0])
    assert f"Segment {no} has been logged." in winner_out
    assert loser_err.strip() == f"error: Logged Segment for Segment No. {no} already exists."

    open_database(str(db_path))
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
