"""``segment-tui contacts import | export | list``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from segment_tui.cli.common import open_db
from segment_tui.cli.output import print_json, print_table


def register(sub: Any) -> None:
    """Add the ``contacts`` commands."""
    contacts = sub.add_parser("contacts", help="import, export and list contacts")
    commands = contacts.add_subparsers(dest="contacts_command", metavar="ACTION", required=True)

    imp = commands.add_parser("import", help="import contacts from a CSV file (all or nothing)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    imp.set_defaults(handler=import_command)

    exp = commands.add_parser("export", help="export contacts to a CSV file")
    exp.add_argument("file", type=Path)
    exp.add_argument("--where", action="append", default=[], metavar="FIELD=FILTER")
    exp.set_defaults(handler=export_command)

    lst = commands.add_parser("list", help="list contacts")
    lst.add_argument("--where", action="append", default=[], metavar="FIELD=FILTER")
    lst.add_argument("--limit", type=int, default=None, help="at most this many")
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=list_command)


def import_command(args: argparse.Namespace) -> int:
    """Import a CSV file; bad rows are listed on stderr and nothing is written."""
    from segment_tui.errors import UserError
    from segment_tui.services.contact_import import ImportRefused, import_contacts

    if not args.file.is_file():
        raise UserError(f"{args.file}: no such file")
    open_db(args)

    def progress(done: int, total: int) -> None:
        if total >= 50_000 and sys.stderr.isatty():
            print(f"\rwriting contacts {done:,}/{total:,}", end="", file=sys.stderr)

    try:
        report = import_contacts(args.file, dry_run=args.dry_run, progress=progress)
    except ImportRefused as refused:
        for problem in refused.report.problems:
            print(f"error: {args.file.name}: {problem}", file=sys.stderr)
        raise
    for column in report.ignored_columns:
        print(f"warning: column {column!r} is not a contact field and was ignored", file=sys.stderr)
    print(report.summary())
    return 0


def export_command(args: argparse.Namespace) -> int:
    """Write the selected contacts to a CSV file, as they are read (any number)."""
    from segment_tui.cli.progress import progress_bars
    from segment_tui.services.contact_export import export_contacts
    from segment_tui.services.contact_query import contact_condition

    open_db(args)
    condition = contact_condition(args.where)
    with progress_bars() as progress:
        count = export_contacts(args.file, condition, progress=progress)
    print(f"exported {count} contacts to {args.file}")
    return 0


def list_command(args: argparse.Namespace) -> int:
    """Print the selected contacts."""
    from segment_tui.services.contact_export import list_contacts, summary_columns
    from segment_tui.services.contact_query import contact_condition

    open_db(args)
    records = list_contacts(contact_condition(args.where), limit=args.limit)
    if args.json:
        print_json(records)
    else:
        print_table(records, summary_columns())
    return 0
