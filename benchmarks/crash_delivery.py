"""Crash test of exactly-once delivery: ``kill -9`` at random points of real deliveries.

Run with ``.venv/bin/python benchmarks/crash_delivery.py [--kills N] [--emails N]
[--letters N] [--seed S] [--postgres URL]`` (``tests/delivery/test_delivery_crash.py``
runs a smaller round of the same on SQLite and PostgreSQL).

For each database it logs two segments with Send in child processes (``python -m
segment_tui segment log SEG --send``): one of e-mail lines, delivered to an aiosmtpd
server on 127.0.0.1 that counts the messages per recipient, and one of hard-copy lines,
written to a folder. Each child is killed with SIGKILL at a random point of its delivery:

* e-mail: when the k-th message of the run arrives — while the server holds it and the
  client waits for "250" (``data``), right after the "250" with a random 0–3 ms delay
  (``after``), or at the recipient command, before the message is handed over (``rcpt``);
* hard copy: when the k-th letter file appears (0–3 ms later), or while one is being
  written (its ``.partial`` file exists);

then ``logged resend`` (without ``--include-unknown``) is started and killed the same
way, until the kills are done; a last resend runs to the end. Checked afterwards:

* every recipient got exactly one message, or its entry is reported Unknown (then it got
  zero or one) — duplicates must be 0;
* every hard-copy contact has exactly one letter in the folder (no `` (2)`` copies, no
  leftover partial files) and exactly one page in the rebuilt print files — one per
  language (every other hard-copy contact is German), named by it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from segment_tui.db import close_database, open_database, write_transaction  # noqa: E402

CHILD_TIMEOUT_S = 120


@dataclass
class PhaseResult:
    """What one phase (e-mail or hard copy) on one database saw."""

    kind: str
    kills: int = 0
    runs: int = 0
    kill_points: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    unknown: int = 0
    unknown_received: int = 0
    """Unknown entries whose message did arrive (the kill came after the server had it)."""
    missing: int = 0
    """Entries neither delivered exactly once nor reported unknown (must be 0)."""
    problems: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "kills": self.kills,
            "runs": self.runs,
            "kill_points": dict(self.kill_points),
            "duplicates": self.duplicates,
            "unknown": self.unknown,
            "unknown_received": self.unknown_received,
            "missing": self.missing,
            "problems": self.problems,
        }


class KillSwitch:
    """Kills the current child process at the planned point (from the server's thread
    or the folder watcher)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lock = threading.Lock()
        self.process: subprocess.Popen[str] | None = None
        self.plan: tuple[str, int] | None = None
        self.seen = 0
        self.fired = ""

    def arm(self, process: subprocess.Popen[str], point: str, after: int) -> None:
        with self.lock:
            self.process, self.plan, self.seen, self.fired = process, (point, after), 0, ""

    def disarm(self) -> None:
        with self.lock:
            self.process, self.plan = None, None

    def event(self, point: str, *, count: bool = False) -> bool:
        """An event of kind ``point`` happened; kill when it is the planned one.
        Returns True when it killed."""
        with self.lock:
            if count:
                self.seen += 1
            if self.plan is None or self.process is None or self.plan[0] != point:
                return False
            if self.seen < self.plan[1]:
                return False
            process, self.plan = self.process, None
            self.fired = point
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        return True


class CountingMailbox:
    """aiosmtpd handler: counts messages per recipient, and pulls the kill switch."""

    def __init__(self, switch: KillSwitch) -> None:
        self.switch = switch
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.switch.event("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            for address in envelope.rcpt_tos:
                self.received[address.lower()] += 1
        self.switch.event("data", count=True)  # killed before the client reads "250"
        if self.switch.plan is not None and self.switch.plan[0] == "after":
            delay = self.switch.rng.uniform(0, 0.003)
            threading.Timer(delay, self.switch.event, ("after",)).start()
        return "250 Message accepted for delivery"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _seed(kind: str, count: int, port: int) -> str:
    """Setup, ``count`` contacts of correspondence ``kind`` and a segment of them."""
    from segment_tui.models import MarketingSetup, Salesperson
    from segment_tui.questions import Answers
    from segment_tui.services.contacts.records import create_contact
    from segment_tui.services.demo.setup_data import seed_setup
    from segment_tui.services.segments.header_rules import LINE_QUESTIONS
    from segment_tui.services.segments.headers import create_segment, set_header_fields
    from segment_tui.services.segments.lines import add_line

    if not Salesperson.select().exists():
        with write_transaction():
            seed_setup()
    MarketingSetup.update(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        smtp_user="",
        smtp_from_address="marketing@cronus.example",
    ).execute()
    prefix = "M" if kind == "email" else "H"
    if kind == "hard_copy":  # two documents: two print files, named by their language
        from segment_tui.services.demo.documents import newsletter_document
        from segment_tui.services.documents.template_docs import attach_template_document

        attach_template_document("NEWS", newsletter_document(), "DEU", file_name="News.docx")
    header = create_segment(
        f"Crash test {kind}", template="NEWS", salesperson="BC", date=dt.date(2026, 12, 1)
    )
    set_header_fields(
        header["no"],
        {"subject_default": "Crash news", "send_word_docs_as_attmt": True},
        Answers.each(LINE_QUESTIONS, True),
    )
    for i in range(1, count + 1):
        contact = create_contact(
            {
                "no": f"{prefix}{i:04d}",
                "type": "person",
                "name": f"{'Mail' if kind == 'email' else 'Paper'} Person {i:04d}",
                "email": f"person{i:04d}@example.com" if kind == "email" else "",
                "correspondence_type": kind,
                "language_code": "DEU" if kind == "hard_copy" and i % 2 == 0 else "",
            }
        )
        add_line(header["no"], contact["no"])
    return str(header["no"])


def _child(location: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "segment_tui", "--db", location, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )


def _logged_no(segment_no: str) -> int | None:
    from segment_tui.models import LoggedSegment

    logged = LoggedSegment.get_or_none(LoggedSegment.segment_no == segment_no)
    return None if logged is None else int(logged.entry_no)


def _watch_folder(folder: Path, switch: KillSwitch, stop: threading.Event) -> None:
    """Pulls the kill switch as letters appear ("file") or are being written ("partial")."""
    seen: set[str] = set()
    while not stop.is_set():
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            names = []
        if any(n.endswith(".partial") for n in names):
            switch.event("partial")
        for name in names:
            letter = name.endswith(".docx") and not name.startswith(("Segment ", "."))
            if letter and name not in seen:
                seen.add(name)
                if switch.plan is not None and switch.plan[0] == "file":
                    time.sleep(switch.rng.uniform(0, 0.003))
                switch.event("file", count=True)
        time.sleep(0.0005)


def _run_phase(
    location: str,
    kind: str,
    segment_no: str,
    kills: int,
    out: Path,
    switch: KillSwitch,
    rng: random.Random,
    mailbox: CountingMailbox,
) -> tuple[PhaseResult, dict[str, Any]]:
    """Log with Send and resends, killed ``kills`` times; then one resend to the end."""
    result = PhaseResult(kind)
    points = ("data", "after", "rcpt") if kind == "email" else ("file", "file", "partial")
    stop = threading.Event()
    watcher = None
    if kind == "hard_copy":
        watcher = threading.Thread(target=_watch_folder, args=(out, switch, stop), daemon=True)
        watcher.start()
    final: dict[str, Any] = {}
    try:
        while True:
            logged = _logged_no(segment_no)
            if logged is None:
                args = ["segment", "log", segment_no, "--send", "--out", str(out), "--no-pdf"]
            else:
                args = ["logged", "resend", str(logged), "--out", str(out), "--no-pdf"]
            last = result.kills >= kills
            process = _child(location, *args, "--json")
            if not last:
                point = rng.choice(points)
                after = rng.randint(0, 5) if point in ("rcpt", "partial") else rng.randint(1, 6)
                switch.arm(process, point, after)
            try:
                stdout, stderr = process.communicate(timeout=CHILD_TIMEOUT_S)
            finally:
                switch.disarm()
            result.runs += 1
            if process.returncode == -signal.SIGKILL:
                result.kills += 1
                result.kill_points[switch.fired or "?"] += 1
                continue
            if last or process.returncode in (0, 1):
                if last:
                    final = {"status": process.returncode, "stdout": stdout, "stderr": stderr}
                    break
                # Finished before the kill point: another round owes the kill, unless
                # nothing is left to deliver.
                if _all_settled(segment_no):
                    final = {"status": process.returncode, "stdout": stdout, "stderr": stderr}
                    result.problems.append(f"finished after {result.kills} of {kills} kills")
                    break
                continue
            result.problems.append(f"exit {process.returncode}: {stderr[-500:]}")
            break
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
    return result, final


def _all_settled(segment_no: str) -> bool:
    from segment_tui.models import InteractionLogEntry

    return not (
        InteractionLogEntry.select()
        .where(
            (InteractionLogEntry.segment_no == segment_no)
            & InteractionLogEntry.delivery_status.in_(("in_progress", "error", "sending"))
        )
        .exists()
    )


def _entries(segment_no: str) -> list[tuple[str, str, str, str]]:
    from segment_tui.models import Contact, InteractionLogEntry

    query = (
        InteractionLogEntry.select(
            InteractionLogEntry.contact_no,
            InteractionLogEntry.delivery_status,
            InteractionLogEntry.delivery_file,
            Contact.email,
        )
        .join(Contact, on=(Contact.no == InteractionLogEntry.contact_no))
        .where(InteractionLogEntry.segment_no == segment_no)
        .tuples()
    )
    return [tuple(row) for row in query]  # type: ignore[misc]


def _check_email(segment_no: str, mailbox: CountingMailbox, result: PhaseResult) -> None:
    for contact_no, status, _, email in _entries(segment_no):
        received = mailbox.received.get(email.lower(), 0)
        result.duplicates += max(0, received - 1)
        if status == "unknown":
            result.unknown += 1
            result.unknown_received += received
        elif status == "sent" and received == 1:
            pass
        else:
            result.missing += 1
            result.problems.append(f"{contact_no}: status {status!r}, {received} messages")


def _check_hard_copy(segment_no: str, out: Path, result: PhaseResult) -> None:
    from segment_tui.merge import docx_to_text

    names = sorted(os.listdir(out))
    letters = [n for n in names if n.endswith(".docx") and not n.startswith("Segment ")]
    leftovers = [n for n in names if n.endswith(".partial")]
    if leftovers:
        result.problems.append(f"partial files left: {leftovers[:5]}")
    prints = [out / f"Segment {segment_no} - {language}.docx" for language in ("ENU", "DEU")]
    combined = "".join(docx_to_text(p.read_bytes()) for p in prints if p.exists())
    others = [n for n in names if n.startswith("Segment ") and n.endswith(".docx")]
    if sorted(others) != sorted(p.name for p in prints):
        result.problems.append(f"print files {others}, expected {[p.name for p in prints]}")
    for contact_no, status, file, _ in _entries(segment_no):
        number = contact_no[1:]
        mine = [n for n in letters if n.startswith(f"Paper Person {number}")]
        pages = combined.count(f"Hello Paper Person {number},")
        result.duplicates += max(0, len(mine) - 1) + max(0, pages - 1)
        if status == "unknown":
            result.unknown += 1
        if status != "sent" or len(mine) != 1 or pages != 1 or Path(file).name != mine[0]:
            result.missing += 1
            result.problems.append(
                f"{contact_no}: status {status!r}, files {mine}, {pages} pages in the combined file"
            )


def crash_round(
    location: str, *, kills: int, emails: int, letters: int, seed: int, workdir: Path
) -> list[PhaseResult]:
    """The e-mail and hard-copy phases on one database; their results."""
    from aiosmtpd.controller import Controller

    rng = random.Random(seed)
    switch = KillSwitch(rng)
    mailbox = CountingMailbox(switch)
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    results: list[PhaseResult] = []
    open_database(location)
    try:
        email_segment = _seed("email", emails, port)
        paper_segment = _seed("hard_copy", letters, port)
        email_kills = kills - kills // 2
        result, _ = _run_phase(
            location, "email", email_segment, email_kills, workdir / "out-mail", switch, rng,
            mailbox,
        )  # fmt: skip
        _check_email(email_segment, mailbox, result)
        results.append(result)
        out = workdir / "letters"
        result, _ = _run_phase(
            location, "hard_copy", paper_segment, kills // 2, out, switch, rng, mailbox
        )
        _check_hard_copy(paper_segment, out, result)
        results.append(result)
    finally:
        close_database()
        controller.stop()
    return results


@contextlib.contextmanager
def postgres_database(admin: str) -> Iterator[str]:
    """A new PostgreSQL database on the server ``admin`` names; dropped afterwards."""
    import psycopg2

    name = f"bench_delivery_crash_{uuid.uuid4().hex[:10]}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        connection.cursor().execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
        connection.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        connection.close()


def main() -> None:
    """Run the rounds and print what they saw."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20, help="kills per database")
    parser.add_argument("--emails", type=int, default=120)
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--postgres", default=os.environ.get("SEGMENT_TUI_TEST_PG", ""), metavar="URL"
    )
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    tmp = Path(tempfile.mkdtemp(prefix="crash_delivery_"))
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    rows: list[tuple[str, PhaseResult]] = []
    start = time.perf_counter()
    try:
        options = {"kills": args.kills, "emails": args.emails, "letters": args.letters}
        (tmp / "sqlite").mkdir()
        for result in crash_round(
            str(tmp / "sqlite" / "crash.db"), seed=seed, workdir=tmp / "sqlite", **options
        ):
            rows.append(("sqlite", result))
        if args.postgres:
            (tmp / "pg").mkdir()
            with postgres_database(args.postgres) as url:
                for result in crash_round(url, seed=seed + 1, workdir=tmp / "pg", **options):
                    rows.append(("postgres", result))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"seed {seed}, {time.perf_counter() - start:.0f} s")
    print(json.dumps([{"database": db, **r.as_record()} for db, r in rows], indent=1))
    total_kills = sum(r.kills for _, r in rows)
    duplicates = sum(r.duplicates for _, r in rows)
    unknown = sum(r.unknown for _, r in rows)
    missing = sum(r.missing for _, r in rows)
    print(f"kills {total_kills}, duplicates {duplicates}, unknown {unknown}, missing {missing}")
    if duplicates or missing or any(r.problems for _, r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
