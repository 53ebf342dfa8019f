"""Helpers shared by the command modules: opening the database, parsing FIELD=VALUE."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from segment_tui.errors import UserError


def open_db(args: argparse.Namespace) -> str:
    """Open the database the global options name; returns its location."""
    from segment_tui.db import open_database, resolve_location
    from segment_tui.paths import data_dir

    if getattr(args, "demo", False) and not args.db:
        location = str(data_dir() / "demo.db")
    else:
        location = resolve_location(args.db)
    open_database(location)
    if getattr(args, "demo", False):
        from segment_tui.services.demo.seed import ensure_demo_data

        ensure_demo_data()
    return location


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``FIELD=VALUE`` arguments as a dict (field names lower-cased)."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"expected FIELD=VALUE, got {item!r}")
        result[name.strip().lower()] = value
    return result


def print_record(record: Mapping[str, object], as_json: bool) -> None:
    """One record as JSON, or as ``field value`` lines (without a ``lines`` list)."""
    if as_json:
        from segment_tui.cli.output import print_json

        print_json(record)
        return
    from segment_tui.cli.output import format_cell

    for key, value in record.items():
        if key != "lines":
            # format_cell: amounts read 2.50 whichever database returned them (2.5 or 2.50).
            print(f"{key:32} {format_cell(value)}")
