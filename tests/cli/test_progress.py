"""Progress of long commands (docs/streaming.md): drawn on stderr when stderr is a
terminal, never when it is piped or redirected — and then Rich is not even imported.

Real child processes: one with stderr on a pseudo-terminal (as a person at a terminal
sees it), one with stderr on a pipe (as a script sees it).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")

RUN = """
import sys
from segment_tui.cli import main
status = main(sys.argv[2:])
with open(sys.argv[1], "w") as report:
    report.write("rich" if "rich" in sys.modules else "no rich")
raise SystemExit(status)
"""


def run_cli(
    tmp_path: Path, *args: str, stderr_on_terminal: bool, stdout_on_terminal: bool = False
) -> tuple[int, str, str, str]:
    """Run ``segment-tui ARGS…``: (exit status, stdout, stderr, "rich"/"no rich")."""
    report = tmp_path / "report.txt"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    argv = [sys.executable, "-c", RUN, str(report), *args]
    if not stderr_on_terminal:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
        return done.returncode, done.stdout, done.stderr, report.read_text()
    master, slave = pty.openpty()
    out_file = tmp_path / "stdout.txt"
    with open(out_file, "wb") as out:
        child = subprocess.Popen(
            argv, stdout=slave if stdout_on_terminal else out, stderr=slave, env=env
        )
        os.close(slave)
        seen = b""
        while True:
            ready, _, _ = select.select([master], [], [], 300)
            if not ready:
                child.kill()
                raise AssertionError("no output for 300 s")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal (EIO on Linux)
                break
            if not chunk:
                break
            seen += chunk
        status = child.wait(timeout=300)
    os.close(master)
    return status, out_file.read_text(), seen.decode(errors="replace"), report.read_text()


def test_demo_draws_progress_on_a_terminal(tmp_path: Path) -> None:
    status, out, terminal, rich = run_cli(
        tmp_path, "--db", str(tmp_path / "demo.db"), "demo", "--contacts", "12000",
        stderr_on_terminal=True,
    )  # fmt: skip
    assert status == 0, terminal
    assert "demo data: 12,000 contacts added" in out
    assert "contacts" in terminal and "12000/12000" in terminal
    assert "10000/12000" in terminal  # the bar moved before the end
    assert "demo segments" in terminal and "6/6" in terminal
    assert rich == "rich"


def test_demo_is_quiet_when_stderr_is_piped(tmp_path: Path) -> None:
    status, out, err, rich = run_cli(
        tmp_path, "--db", str(tmp_path / "demo.db"), "demo", stderr_on_terminal=False
    )
    assert (status, err) == (0, "")
    assert out.startswith("demo data: ")
    assert rich == "no rich"


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    from segment_tui.db import close_database, open_database
    from segment_tui.services.demo.seed import seed_demo

    path = tmp_path / "demo.db"
    open_database(str(path))
    seed_demo()
    close_database()
    return str(path)


def test_streamed_output_redirected_shows_progress_and_piped_runs_do_not(
    tmp_path: Path, demo_db: str
) -> None:
    args = ("--db", demo_db, "segment", "show", "SEG00003", "--json")
    status, out, terminal, rich = run_cli(tmp_path, *args, stderr_on_terminal=True)
    assert status == 0 and out.startswith("{") and '"lines"' in out
    assert "lines" in terminal and "/" in terminal and rich == "rich"
    # Output on the same terminal: a bar would tear it, so none is drawn.
    status, out, terminal, rich = run_cli(
        tmp_path, *args, stderr_on_terminal=True, stdout_on_terminal=True
    )
    assert status == 0 and '"no": "SEG00003"' in terminal and rich == "no rich"
    for command in (
        args,
        ("--db", demo_db, "interactions", "list", "--jsonl"),
        ("--db", demo_db, "contacts", "export", str(tmp_path / "out.csv")),
    ):
        status, out, err, rich = run_cli(tmp_path, *command, stderr_on_terminal=False)
        assert (status, err, rich) == (0, "", "no rich"), command
