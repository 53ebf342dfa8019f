"""Output that cannot hurt its reader: no escape sequence from the data reaches the
terminal (command line and TUI), and every file and folder the app writes is private.

A value holding ``ESC ]0;…`` (set the window title), ``ESC [2J`` (clear the screen), a
carriage return, a C1 ``CSI`` or a right-to-left override is stored the way an older
version or another tool could have stored it; every text output then shows it escaped
(``\\u001b``) or, in the TUI, drops it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.conftest import RUN_CLI, cli

EVIL = "Evil\x1b]0;pwned\x07\x1b[2J\rX\x9b31m\u202eY\x7f"
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\x7f")


def _assert_no_raw(text: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{raw!r} reached the terminal: {text!r}"


@pytest.fixture
def evil_db(tmp_path: Path) -> Path:
    """A demo database where a segment, a contact, a template and an entry hold EVIL
    (written directly, as an older version or another program could have)."""
    db = tmp_path / "evil.db"
    assert cli(db, "demo", "--contacts", "20")[0] == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE segment_header SET description = ?", (EVIL,))
        connection.execute("UPDATE contact SET name = ?, city = ? WHERE no = 'CT000019'",
                           (EVIL, EVIL))  # fmt: skip
        connection.execute("UPDATE interaction_log_entry SET description = ?", (EVIL,))
        connection.execute("UPDATE logged_segment SET description = ?", (EVIL,))
    return db


@pytest.mark.parametrize(
    "command",
    [
        ("segment", "list"),
        ("segment", "show", "SEG00003"),
        ("contacts", "list"),
        ("contacts", "list", "--where", "no=CT000019"),
        ("interactions", "list"),
        ("logged", "list"),
    ],
)
def test_command_line_text_output_escapes_control_characters(
    evil_db: Path, command: tuple[str, ...]
) -> None:
    status, out, err = cli(evil_db, *command)
    assert status == 0, err
    _assert_no_raw(out + err)
    assert "Evil\\u001b]0;pwned\\u0007\\u001b[2J\\u000dX\\u009b31m\\u202eY\\u007f" in out


@pytest.mark.parametrize(
    "command", [("segment", "show", "SEG00003"), ("contacts", "list"), ("segment", "list")]
)
def test_json_output_keeps_the_exact_value(evil_db: Path, command: tuple[str, ...]) -> None:
    status, out, err = cli(evil_db, *command, "--json")
    assert status == 0, err
    _assert_no_raw(out)
    assert EVIL in {str(v) for record in _records(json.loads(out)) for v in record.values()}


def _records(document: object) -> Iterator[dict[str, object]]:
    if isinstance(document, dict):
        yield document
        for value in document.values():
            yield from _records(value)
    elif isinstance(document, list):
        for item in document:
            yield from _records(item)


def test_error_messages_escape_the_value_they_quote(evil_db: Path) -> None:
    status, out, err = cli(evil_db, "segment", "show", "SEG\x1b[2J\x1b]0;pwned\x07")
    assert status == 1
    _assert_no_raw(out + err)
    assert "SEG\\u001b[2J\\u001b]0;PWNED\\u0007" in err  # codes are upper case
    # argparse's own messages too (an unknown command quoting the argument).
    status, _, err = cli(evil_db, "segment", "\x1b[2Jshow")
    assert status == 2
    _assert_no_raw(err)


async def test_the_tui_never_writes_a_value_raw_to_the_terminal(evil_db: Path) -> None:
    from textual._compositor import CompositorUpdate

    from segment_tui.db import close_database, open_database
    from segment_tui.ui.app import SegmentApp
    from tests.ui.support import SIZE, press, settle

    open_database(str(evil_db))
    app = SegmentApp(str(evil_db))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)

            def terminal_output() -> str:
                update = app.screen._compositor.render_update(full=True)
                assert isinstance(update, CompositorUpdate)  # a full update is never None
                return update.render_segments(app.console)

            segments = terminal_output()
            assert "Evil]0;pwned" in segments  # the row is on screen, its controls dropped
            _assert_no_raw(segments.replace("\x1b[", "").replace("\x1b]8", ""))
            assert "\x1b]0;" not in segments and "\x1b[2J" not in segments

            await press(pilot, "enter")  # the worksheet: header and lines
            segments = terminal_output()
            assert "Evil]0;pwned" in segments
            assert "\x1b]0;" not in segments and "\x1b[2J" not in segments
            assert "\x9b" not in segments and "\u202e" not in segments

            app.notify(f"Contact {EVIL} was changed.")  # a toast quoting a value
            await settle(pilot)
            segments = terminal_output()
            assert "\x1b]0;" not in segments and "\x1b[2J" not in segments
            assert "\x9b" not in segments and "\u202e" not in segments
    finally:
        close_database()


# --------------------------------------------------------------------------- permissions


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Umask 0: without the app's own care every file would be 0666, every folder 0777."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_every_file_and_folder_the_app_writes_is_private(
    tmp_path: Path, open_umask: None, private_data_dir: Path
) -> None:
    data = private_data_dir / "segment-tui"
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "demo", "--contacts", "20"],  # no --db: the default
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    db = data / "segment.db"
    out = tmp_path / "out"
    out.mkdir(mode=0o777)
    commands = [
        ("contacts", "export", str(out / "contacts.csv")),
        ("segment", "export-contacts", "SEG00003", str(out / "segment.csv")),
        ("segment", "report", "SEG00003", "--out", str(out / "report.csv")),
        ("segment", "report", "SEG00003", "--out", str(out / "report.pdf")),
        ("segment", "labels", "SEG00003", "--out", str(out / "labels.pdf")),
        ("segment", "cover-sheets", "SEG00003", "--out", str(out / "cover.pdf")),
        ("segment", "merge", "SEG00003", "--out", str(out / "new" / "deeper" / "merged.docx")),
        ("setup", "export", str(out / "setup.json")),
        ("template", "export", "LETTER", str(out / "letter.docx")),
        ("segment", "log", "SEG00003", "--send"),  # letters and PDFs in the default folder
        ("interactions", "letter", "1", "--out", str(out / "entry" / "letter1.docx")),
    ]
    for command in commands:
        status, stdout, err = cli(db, *command)
        assert status in (0, 1), f"{command}: {err}"
        assert "unexpected" not in err, err
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nGood,\nBad,not an e-mail\n", encoding="utf-8")
    assert cli(db, "contacts", "import", str(bad), "--skip-bad")[0] == 0

    from segment_tui.cli import _log_unexpected

    log = Path(_log_unexpected(RuntimeError("a test failure")))

    files = [p for p in [*out.rglob("*"), *data.rglob("*"), bad.with_suffix(".rejects.csv"),
                         log] if p.is_file()]  # fmt: skip
    names = {p.name for p in files}
    for expected in ("contacts.csv", "segment.csv", "report.csv", "report.pdf", "labels.pdf",
                     "cover.pdf", "merged.docx", "setup.json", "letter.docx", "segment.db",
                     "bad.rejects.csv", "segment-tui.log", "Segment SEG00003.docx",
                     "letter1.docx"):  # fmt: skip
        assert expected in names, f"{expected} was not written: {sorted(names)}"
    assert any(p.suffix == ".pdf" and "deliveries" in p.parts for p in files) or not _soffice()
    wrong = {str(p): oct(_mode(p)) for p in files if _mode(p) != 0o600}
    assert wrong == {}
    folders = [data, *(p for p in data.rglob("*") if p.is_dir()),
               out / "new", out / "new" / "deeper", out / "entry"]  # fmt: skip
    wrong = {str(p): oct(_mode(p)) for p in folders if _mode(p) != 0o700}
    assert wrong == {}
    assert (data / "deliveries").is_dir()
    assert _mode(out) == 0o777  # a folder the user made keeps its permissions


def _soffice() -> bool:
    from segment_tui.services.documents.merge_pdf import soffice_path

    return soffice_path() is not None
