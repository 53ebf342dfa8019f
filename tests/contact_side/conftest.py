"""Fixtures for the contact's side of interactions: the command line in-process, a local
SMTP server (the delivery tests' helper), contacts of the CRONUS setup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixtures import the app's modules when they run
    from segment_tui.services.contacts.records import ContactRecord

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``cli("interactions", "stats")`` → (exit status, stdout, stderr) on the test DB."""
    from segment_tui.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main(["--db", str(db_path), *args])
        except SystemExit as exit_:
            status = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def people(make_contact: Callable[..., ContactRecord]) -> dict[str, ContactRecord]:
    """Adatum (company, e-mail) with Ann (e-mail, language DEU) and Bob (no e-mail), and
    Ida, a person without a company."""
    return {
        "C1": make_contact(no="C1", type="company", name="Adatum", city="London",
                           email="info@adatum.example", salesperson_code="PS"),
        "P1": make_contact(no="P1", type="person", name="Ann Smith", company_no="C1",
                           email="ann@adatum.example", salesperson_code="JO"),
        "P2": make_contact(no="P2", type="person", name="Bob Jones", company_no="C1",
                           salesperson_code="JO"),
        "P3": make_contact(no="P3", type="person", name="Ida Lind", city="Oslo",
                           email="ida@example.org", salesperson_code="RB"),
    }  # fmt: skip
