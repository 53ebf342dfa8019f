"""``segment-tui init``, ``segment-tui demo`` and the TUI itself (no command)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from segment_tui.cli.common import open_db
from segment_tui.cli.progress import progress_bars


def register(sub: Any) -> None:
    """Add the database commands."""
    init = sub.add_parser("init", help="create (or upgrade) the database and print where it is")
    init.set_defaults(handler=init_command)
    demo = sub.add_parser("demo", help="seed demo data (a CRONUS-like company)")
    demo.add_argument(
        "--contacts",
        type=int,
        default=None,
        metavar="N",
        help="how many contacts (default: about 150: 30 companies, 120 persons)",
    )
    demo.set_defaults(handler=demo_command)


def init_command(args: argparse.Namespace) -> int:
    """Open the database, which creates and migrates it."""
    from segment_tui.migrations import latest_version

    location = open_db(args)
    print(f"database ready: {location} (schema version {latest_version()})")
    return 0


def demo_command(args: argparse.Namespace) -> int:
    """Seed demo data into the database."""
    from segment_tui.errors import UserError
    from segment_tui.services.demo.seed import DEFAULT_CONTACTS, seed_demo

    if args.contacts is not None and args.contacts < 10:
        raise UserError("--contacts: at least 10")
    location = open_db(args)
    started = time.perf_counter()
    with progress_bars() as progress:
        summary = seed_demo(args.contacts or DEFAULT_CONTACTS, progress=progress)
    print(f"{summary} in {location} ({time.perf_counter() - started:.1f} s)")
    return 0


def run_tui(args: argparse.Namespace) -> int:
    """Open the terminal UI on the database (the only command importing Textual)."""
    from segment_tui.db import read_only_reason
    from segment_tui.private_files import open_error_log

    location = open_db(args)
    open_error_log()  # the TUI's unexpected failures go there (README: Where the data lives)
    from segment_tui.ui.app import SegmentApp

    SegmentApp(location, read_only=read_only_reason()).run(mouse=args.mouse)
    return 0
