"""``segment-tui contacts import | export | list | new | set | delete``."""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path
from typing import Any

from segment_tui.cli.common import open_db, parse_assignments, print_record
from segment_tui.cli.output import print_json, print_table

CONTACT_LIST_KEYS = (
    "no", "type", "name", "company_name", "city", "country_region_code", "email",
    "salesperson_code",
)  # fmt: skip
"""The columns of ``contacts list`` (``services/contacts/columns.py``); ``contacts export``
writes every field, named as ``import`` reads them."""


def _encoding(name: str) -> str:
    """argparse type: a codec Python knows (a wrong name is a usage error)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {name!r}") from None


def register(sub: Any) -> None:
    """Add the ``contacts`` commands."""
    contacts = sub.add_parser("contacts", help="import, export, list and change contacts")
    commands = contacts.add_subparsers(dest="contacts_command", metavar="ACTION", required=True)

    imp = commands.add_parser("import", help="import contacts from a CSV file (all or nothing)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    imp.add_argument(
        "--skip-bad",
        action="store_true",
        help="import the good rows; write the bad ones with a reject_reason column to "
        "FILE.rejects.csv (or --rejects) to fix and import again",
    )
    imp.add_argument("--rejects", type=Path, metavar="PATH", help="where --skip-bad writes")
    imp.add_argument(
        "--update",
        action="store_true",
        help="update the contacts rows match (the file's columns only); create the others",
    )
    imp.add_argument(
        "--match",
        choices=("no", "external_id", "email"),
        default="no",
        help="what --update matches by (default: no)",
    )
    imp.add_argument(
        "--encoding",
        type=_encoding,
        metavar="NAME",
        help="the file's encoding when it is not UTF-8 (e.g. cp1252, latin-1, utf-16)",
    )
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

    new = commands.add_parser("new", help="create a contact (the contact card's rules)")
    new.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    new.add_argument("--json", action="store_true", help="print the contact as JSON")
    new.set_defaults(handler=new_command)

    set_ = commands.add_parser("set", help="change fields of a contact (the card's rules)")
    set_.add_argument("no", metavar="NO")
    set_.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    set_.add_argument("--json", action="store_true", help="print the contact as JSON")
    set_.set_defaults(handler=set_command)

    delete = commands.add_parser("delete", help="delete a contact (not while on a segment)")
    delete.add_argument("no", metavar="NO")
    delete.add_argument("--json", action="store_true", help="print the result as JSON")
    delete.set_defaults(handler=delete_command)


def import_command(args: argparse.Namespace) -> int:
    """Import a CSV file; bad rows are listed on stderr and nothing is written (or, with
    --skip-bad, the good rows are written and the bad ones go to the reject file)."""
    from segment_tui.errors import UserError
    from segment_tui.services.contacts.importing import ImportRefused, import_contacts

    if not args.file.is_file():
        raise UserError(f"{args.file}: no such file")
    if args.rejects is not None and not args.skip_bad:
        raise UserError("--rejects needs --skip-bad")
    if args.match != "no" and not args.update:
        raise UserError("--match needs --update")
    from segment_tui.printable import printable

    open_db(args)
    drawn = False

    def progress(done: int, total: int) -> None:
        nonlocal drawn
        if sys.stderr.isatty() and (done >= 50_000 or drawn):
            drawn = True
            text = f"{done:,}/{total:,}" if total else f"{done:,}"
            print(f"\rimporting contacts: {text} rows", end="", file=sys.stderr)

    try:
        report = import_contacts(
            args.file,
            dry_run=args.dry_run,
            progress=progress,
            skip_bad=args.skip_bad,
            rejects=args.rejects,
            update=args.update,
            match=args.match,
            encoding=args.encoding,
        )
    except ImportRefused as refused:
        if drawn:
            print(file=sys.stderr)
        for problem in refused.report.problems:  # a problem may quote a cell: printable
            print(printable(f"error: {args.file.name}: {problem}"), file=sys.stderr)
        raise
    if drawn:
        print(file=sys.stderr)
    for column in report.ignored_columns:
        print(f"warning: column {column!r} is not a contact field and was ignored", file=sys.stderr)
    for problem in report.problems:
        print(printable(f"warning: {args.file.name}: {problem}"), file=sys.stderr)
    print(report.summary())
    return 0


def export_command(args: argparse.Namespace) -> int:
    """Write the selected contacts to a CSV file, as they are read (any number)."""
    from segment_tui.cli.progress import progress_bars
    from segment_tui.services.contacts.query import export_matching
    from segment_tui.services.criteria.fields import parse_where

    open_db(args)
    filters = parse_where(args.where)
    with progress_bars() as progress:
        count = export_matching(args.file, filters, overwrite=True, progress=progress)
    print(f"exported {count} contacts to {args.file}")
    return 0


def list_command(args: argparse.Namespace) -> int:
    """Print the selected contacts."""
    from segment_tui.services.contacts.columns import CONTACT_COLUMNS
    from segment_tui.services.contacts.query import list_matching
    from segment_tui.services.criteria.fields import parse_where

    open_db(args)
    records = list_matching(parse_where(args.where), limit=args.limit)
    if args.json:
        print_json(records)
    else:
        print_table(records, CONTACT_COLUMNS.pick(*CONTACT_LIST_KEYS))
    return 0


def new_command(args: argparse.Namespace) -> int:
    """Create a contact from FIELD=VALUE pairs; prints it (number included)."""
    from segment_tui.services.contacts.records import create_contact

    values = parse_assignments(args.values)
    open_db(args)
    print_record(create_contact(values), args.json)
    return 0


def set_command(args: argparse.Namespace) -> int:
    """Change fields of a contact; prints it."""
    from segment_tui.services.contacts.records import update_contact

    values = parse_assignments(args.values)
    open_db(args)
    print_record(update_contact(args.no, values), args.json)
    return 0


def delete_command(args: argparse.Namespace) -> int:
    """Delete a contact."""
    from segment_tui.services.contacts.records import delete_contact, get_contact

    open_db(args)
    no = get_contact(args.no).no
    delete_contact(no)
    if args.json:
        print_json({"no": no, "deleted": True})
    else:
        print(f"deleted contact {no}")
    return 0
