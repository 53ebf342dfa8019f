"""Exactly-once delivery under ``kill -9`` (``benchmarks/crash_delivery.py``, a smaller
round): real ``segment log --send`` / ``logged resend`` processes are killed at random
points of SMTP and hard-copy delivery, 12 times per database; after the last resend every
recipient has exactly one message or is reported Unknown, every hard-copy contact exactly
one letter and one page of the print file. No duplicate, ever."""

from __future__ import annotations

import random
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from crash_delivery import crash_round, postgres_database  # noqa: E402

KILLS = 12


def _check(results: list[Any]) -> None:
    summary = {r.kind: r.as_record() for r in results}
    print(summary)  # kills, kill points, duplicates, unknown (pytest -s shows them)
    for result in results:
        assert result.kills == KILLS // 2, summary
        assert result.duplicates == 0, summary
        assert result.missing == 0, summary
        assert result.problems == [], summary
    mail, paper = results
    # Every e-mail kill lands while an entry is Sending: it is reported, never resent.
    assert 1 <= mail.unknown <= mail.kills, summary
    assert paper.unknown == 0, summary  # rewriting a letter to its own file is safe


@pytest.fixture
def seed() -> int:
    return random.randrange(1 << 30)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    yield tmp_path


@pytest.mark.slow
def test_kill_9_during_delivery_never_sends_twice_on_sqlite(workdir: Path, seed: int) -> None:
    results = crash_round(
        str(workdir / f"crash-{uuid.uuid4().hex[:6]}.db"),
        kills=KILLS,
        emails=60,
        letters=150,
        seed=seed,
        workdir=workdir,
    )
    _check(results)


@pytest.mark.slow
def test_kill_9_during_delivery_never_sends_twice_on_postgres(
    workdir: Path, seed: int, pg_admin: str
) -> None:
    with postgres_database(pg_admin) as url:
        results = crash_round(url, kills=KILLS, emails=60, letters=150, seed=seed, workdir=workdir)
    _check(results)


@pytest.fixture
def pg_admin() -> str:
    import os

    admin = os.environ.get("SEGMENT_TUI_TEST_PG")
    if not admin:
        pytest.skip("set SEGMENT_TUI_TEST_PG to a PostgreSQL URL to run the PostgreSQL tests")
    return admin
