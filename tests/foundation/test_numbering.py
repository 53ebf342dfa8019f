"""Number series: BC's IncStr, limits, manual numbers, and two processes at once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.models import NoSeries
from segment_tui.services.setup.numbering import (
    check_manual_number,
    increment,
    next_number,
    take_free_numbers,
    take_numbers,
)
from tests.barrier import ProcessBarrier


@pytest.mark.parametrize(
    ("before", "after"),
    [("SEG00001", "SEG00002"), ("SEG00009", "SEG00010"), ("CT000099", "CT000100"), ("A9B", "A10B")],
)
def test_increment_keeps_the_width_of_the_digits(before: str, after: str) -> None:
    assert increment(before) == after


def test_series_starts_at_its_starting_number_and_continues(database: object) -> None:
    assert next_number("SEG") == "SEG00001"
    assert take_numbers("SEG", 3) == ["SEG00002", "SEG00003", "SEG00004"]
    assert NoSeries.get(NoSeries.code == "SEG").last_no_used == "SEG00004"


def test_series_refuses_numbers_past_its_ending_number(database: object) -> None:
    NoSeries.insert(code="SMALL", starting_no="S1", ending_no="S3").execute()
    assert take_numbers("SMALL", 3) == ["S1", "S2", "S3"]
    with pytest.raises(
        UserError, match="You cannot assign new numbers from the number series SMALL"
    ):
        next_number("SMALL")


def test_manual_numbers_need_manual_nos(database: object) -> None:
    NoSeries.update(manual_nos=False).where(NoSeries.code == "SEG").execute()
    with pytest.raises(UserError, match="You may not enter numbers manually"):
        check_manual_number("SEG")


_WORKER = """
import sys, time
from segment_tui.db import open_database
from segment_tui.services.setup.numbering import next_number
from tests.barrier import wait_at_barrier
db, count, arrived, go = sys.argv[1:]
open_database(db)
wait_at_barrier(int(arrived), int(go))
started = time.monotonic()
numbers = [next_number("CT") for _ in range(int(count))]
print(started, time.monotonic())
print("\\n".join(numbers))
"""


def test_two_processes_taking_numbers_at_once_never_share_one(
    database: object, db_path: Path
) -> None:
    count = 150
    barrier = ProcessBarrier()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(db_path), str(count), *barrier.child_args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=barrier.pass_fds,
        )
        for _ in range(2)
    ]
    arrived = barrier.release(len(workers))  # both start taking numbers at the same moment
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    assert arrived == 2
    spans = [[float(t) for t in out.split("\n", 1)[0].split()] for out, _ in outputs]
    assert max(start for start, _ in spans) < min(end for _, end in spans), "no overlap"
    numbers = [n for out, _ in outputs for n in out.split("\n", 1)[1].split()]
    assert len(numbers) == 2 * count
    assert len(set(numbers)) == 2 * count
    assert sorted(numbers) == [f"CT{i:06d}" for i in range(1, 2 * count + 1)]


def test_free_numbers_skip_taken_ones_up_to_the_ending_number(database: object) -> None:
    NoSeries.update(ending_no="SEG00006").where(NoSeries.code == "SEG").execute()
    taken = {"SEG00001", "SEG00002", "SEG00004"}

    def in_use(numbers: Sequence[str]) -> set[str]:
        return taken & set(numbers)

    assert take_free_numbers("SEG", 2, in_use) == ["SEG00003", "SEG00005"]
    assert NoSeries.get(NoSeries.code == "SEG").last_no_used == "SEG00005"
    assert take_free_numbers("SEG", 1, in_use) == ["SEG00006"]
    with pytest.raises(UserError, match="You cannot assign new numbers"):
        take_free_numbers("SEG", 1, in_use)
    assert NoSeries.get(NoSeries.code == "SEG").last_no_used == "SEG00006"
