"""Fixtures for the Segment page actions: an address book of contacts in several
countries on one segment, the command line in-process and in a real process, and PDF
readers (poppler's pdfinfo / pdftotext / pdftoppm)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ContactFactory

LONG_NAME = "Maximiliane " + "Wolfeschlegelsteinhausenbergerdorff-" * 2 + "von Hohenzollern"
"""A 100-character name."""
assert len(LONG_NAME) == 100, len(LONG_NAME)

RUN_CLI = "import sys; from segment_tui.cli import main; sys.exit(main(sys.argv[1:]))"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def addresses(make_contact: ContactFactory) -> str:
    """Segment SEG00001 with, in line order: Adatum (London) and its persons Ann and Bob,
    Bürohaus Köln, Contoso (Redmond, WA), Łukasz in Gdańsk and a person whose name is 100
    characters long at an address that fills every field. CRONUS (the sender) is in GB."""
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    make_contact(no="C1", type="company", name="Adatum Corporation", address="Station Road 21",
                 city="London", post_code="W2 8HG", country_region_code="GB")  # fmt: skip
    make_contact(no="P1", type="person", name="Ann Smith", company_no="C1")
    make_contact(no="P2", type="person", name="Bob Jones", company_no="C1")
    make_contact(no="C2", type="company", name="Bürohaus Köln GmbH", address="Hohe Straße 12",
                 city="Köln", post_code="50667", county="NRW",
                 country_region_code="DE")  # fmt: skip
    make_contact(no="C3", type="company", name="Contoso Ltd", address="1 Microsoft Way",
                 city="Redmond", post_code="98052", county="WA",
                 country_region_code="US")  # fmt: skip
    make_contact(no="P8", type="person", name="Łukasz Żółć", address="ul. Długa 5",
                 city="Gdańsk", post_code="80-831", country_region_code="PL")  # fmt: skip
    make_contact(no="P9", type="person", name=LONG_NAME,
                 address="Industriegebiet Nord, Gewerbepark an der alten Ziegelei, Halle 7, "
                         "Rampe 3, Tor Süd, Eingang B",
                 address_2="c/o Zentrale Warenannahme, Abteilung Einkauf, 4.OG",
                 city="Llanfairpwllgwyngyllgogerychwy", post_code="LL61 5UJ",
                 county="Isle of Anglesey", country_region_code="FR")  # fmt: skip
    header = create_segment("Spring letter")
    for no in ("C1", "P1", "P2", "C2", "C3", "P8", "P9"):
        add_line(header["no"], no)
    return str(header["no"])


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for the files a test writes (the database lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``cli("segment", "labels", …)`` in-process: (exit status, stdout, stderr)."""
    from segment_tui.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            status = main(["--db", str(db_path), *args])
        except SystemExit as exit_:
            status = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def process(db_path: Path) -> Run:
    """``process("segment", "labels", …)``: the command line in a process of its own."""

    def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        import os

        done = subprocess.run(
            [sys.executable, "-c", RUN_CLI, "--db", str(db_path), *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, **(env or {})},
        )
        return done.returncode, done.stdout, done.stderr

    return run


def ok_json(run: Run, *args: str) -> Any:
    status, out, err = run(*args, "--json")
    assert status == 0, err
    return json.loads(out)


def need_poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("poppler (pdftotext, pdftoppm) is not installed")


def pdf_pages(path: Path) -> int:
    """The page count ``pdfinfo`` reads."""
    need_poppler()
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def pdf_text(path: Path, *, layout: bool = False) -> str:
    """The text ``pdftotext`` reads from the PDF."""
    need_poppler()
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout
