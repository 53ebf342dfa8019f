"""``segment-tui logged …``, ``interactions …`` and ``setup …``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from segment_tui.cli.common import open_db
from segment_tui.cli.output import (
    print_json,
    print_table,
    write_json_array,
    write_json_lines,
    write_table,
)

ENTRY_KEYS = (
    "entry_no", "canceled", "date", "interaction_template_code", "description", "contact_no",
    "contact_name", "evaluation", "cost_lcy", "delivery_status", "delivery_error", "letter",
)  # fmt: skip
"""The columns of ``interactions list`` as a table (``services/interactions/columns.py``:
people read the captions of the delivery state and the letter, scripts read ``--json``)."""
LOGGED_KEYS = (
    "canceled", "entry_no", "creation_date", "user_id", "segment_no", "description",
    "no_of_interactions", "no_of_campaign_entries", "delivery_summary", "letters",
)  # fmt: skip
"""The columns of ``logged list`` (``services/log/columns.py``)."""


def register(sub: Any) -> None:
    """Add the ``logged``, ``interactions`` and ``setup`` commands."""
    logged = sub.add_parser("logged", help="logged segments")
    cmds = logged.add_subparsers(dest="logged_command", metavar="ACTION", required=True)
    lst = cmds.add_parser("list", help="list logged segments")
    lst.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="F",
        help="field=FILTER (entry_no, segment_no, description, creation_date, user_id, "
        "canceled, sent, failed, unknown), e.g. failed=>0",
    )
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=logged_list_command)
    cancel = cmds.add_parser(
        "cancel", help="switch the Canceled checkmark (on all given, from the first one's)"
    )
    cancel.add_argument("entry_nos", nargs="+", type=int, metavar="ENTRY_NO")
    cancel.set_defaults(handler=logged_cancel_command)
    delete = cmds.add_parser("delete-canceled", help="delete canceled logged segments")
    delete.add_argument("entry_nos", nargs="*", type=int, metavar="ENTRY_NO")
    delete.set_defaults(handler=logged_delete_command)
    follow = cmds.add_parser("follow-up", help="a new segment with a logged segment's contacts")
    follow.add_argument("entry_no", type=int)
    follow.add_argument("--only", choices=("positive", "not-evaluated"), default=None)
    follow.add_argument("--json", action="store_true")
    follow.set_defaults(handler=logged_follow_up_command)

    from segment_tui.cli.commands_template import add_logged_resend_parser

    add_logged_resend_parser(cmds)

    entries = sub.add_parser("interactions", help="interaction log entries")
    ecmds = entries.add_subparsers(dest="interactions_command", metavar="ACTION", required=True)
    elist = ecmds.add_parser("list", help="list interaction log entries")
    elist.add_argument("--segment", default=None)
    elist.add_argument("--contact", default=None)
    elist.add_argument("--logged", type=int, default=None, metavar="ENTRY_NO")
    elist.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="F",
        help="field=FILTER on the entries' fields, e.g. delivery_status=error date=..t",
    )
    elist.add_argument(
        "--limit", type=_count, default=None, metavar="N", help="at most N entries (newest)"
    )
    form = elist.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON array")
    form.add_argument("--jsonl", action="store_true", help="JSON Lines: one entry per line")
    elist.set_defaults(handler=entries_list_command)
    evaluate = ecmds.add_parser("evaluate", help="evaluate interactions")
    evaluate.add_argument("entry_nos", nargs="+", type=int, metavar="ENTRY_NO")
    evaluate.add_argument("--as", dest="evaluation", required=True, metavar="EVALUATION")
    evaluate.set_defaults(handler=entries_evaluate_command)
    ecancel = ecmds.add_parser("cancel", help="switch the Canceled checkmark")
    ecancel.add_argument("entry_nos", nargs="+", type=int, metavar="ENTRY_NO")
    ecancel.set_defaults(handler=entries_cancel_command)
    edelete = ecmds.add_parser("delete-canceled", help="delete canceled entries")
    edelete.add_argument("entry_nos", nargs="*", type=int, metavar="ENTRY_NO")
    edelete.set_defaults(handler=entries_delete_command)

    from segment_tui.cli.commands_interactions import add_interaction_parsers

    add_interaction_parsers(ecmds)

    setup = sub.add_parser("setup", help="export or import setup as JSON")
    scmds = setup.add_subparsers(dest="setup_command", metavar="ACTION", required=True)
    sexp = scmds.add_parser("export", help="write setup to a JSON file")
    sexp.add_argument("file", type=Path)
    sexp.set_defaults(handler=setup_export_command)
    simp = scmds.add_parser("import", help="insert or update setup from a JSON file")
    simp.add_argument("file", type=Path)
    simp.set_defaults(handler=setup_import_command)


def logged_list_command(args: argparse.Namespace) -> int:
    """List logged segments."""
    from segment_tui.services.contacts.filter_line import parse_list_items
    from segment_tui.services.list_filters import LOGGED_ALIASES, LOGGED_FIELDS
    from segment_tui.services.log.columns import LOGGED_COLUMNS
    from segment_tui.services.log.logged_segments import list_logged_segments

    filters = parse_list_items(args.where, LOGGED_FIELDS, LOGGED_ALIASES)
    open_db(args)
    rows = list_logged_segments(filters)
    if args.json:
        print_json(rows)
    else:
        print_table(rows, LOGGED_COLUMNS.pick(*LOGGED_KEYS))
    return 0


def logged_cancel_command(args: argparse.Namespace) -> int:
    """Switch Canceled on logged segments."""
    from segment_tui.services.log.logged_segments import toggle_canceled

    open_db(args)
    value = toggle_canceled(args.entry_nos)
    numbers = ", ".join(str(n) for n in args.entry_nos)
    print(f"Logged Segment {numbers}: " + ("marked Canceled" if value else "checkmark removed"))
    return 0


def logged_delete_command(args: argparse.Namespace) -> int:
    """Delete canceled logged segments."""
    from segment_tui.services.log.logged_segments import delete_canceled

    open_db(args)
    count = delete_canceled(args.entry_nos or None)
    print(f"{count} Logged Segment has been deleted.")
    return 0


def logged_follow_up_command(args: argparse.Namespace) -> int:
    """A follow-up segment from a logged segment."""
    from segment_tui.services.log.logged_segments import follow_up

    open_db(args)
    record = follow_up(args.entry_no, args.only or "all")
    if args.json:
        print_json(record)
    else:
        print(f"created segment {record['no']} with {record['added']} contacts")
    return 0


def _count(text: str) -> int:
    """A non-negative whole number (``--limit``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def entries_list_command(args: argparse.Namespace) -> int:
    """List interaction log entries, newest first, written as they are read."""
    from segment_tui.cli.progress import progress_bars
    from segment_tui.services.contacts.filter_line import parse_list_items
    from segment_tui.services.interactions.columns import ENTRY_COLUMNS
    from segment_tui.services.interactions.entry_view import (
        EntryFilter,
        stream_entries,
        stream_entries_json,
    )
    from segment_tui.services.list_filters import ENTRY_ALIASES, ENTRY_FIELDS

    filters = parse_list_items(args.where, ENTRY_FIELDS, ENTRY_ALIASES)
    open_db(args)
    view = EntryFilter(args.logged, args.segment, args.contact, tuple(filters))
    with progress_bars(writes_stdout=True) as progress:
        if args.json or args.jsonl:
            texts = stream_entries_json(view, limit=args.limit, progress=progress)
            write = write_json_array if args.json else write_json_lines
            write(texts, encoded=True)
        else:
            fields = list(ENTRY_KEYS)
            rows = stream_entries(view, fields=fields, limit=args.limit, progress=progress)
            write_table(rows, ENTRY_COLUMNS.pick(*ENTRY_KEYS), max_width=30)
    return 0


def entries_evaluate_command(args: argparse.Namespace) -> int:
    """Evaluate interactions."""
    from segment_tui.services.interactions.entries import evaluate

    open_db(args)
    count = evaluate(args.entry_nos, args.evaluation)
    print(f"{count} interaction log entries evaluated")
    return 0


def entries_cancel_command(args: argparse.Namespace) -> int:
    """Switch Canceled on interaction log entries."""
    from segment_tui.services.interactions.entries import toggle_canceled

    open_db(args)
    value = toggle_canceled(args.entry_nos)
    print(f"{len(args.entry_nos)} entries " + ("marked Canceled" if value else "un-canceled"))
    return 0


def entries_delete_command(args: argparse.Namespace) -> int:
    """Delete canceled entries."""
    from segment_tui.services.interactions.entries import delete_canceled

    open_db(args)
    count = delete_canceled(args.entry_nos or None)
    print(f"{count} Interaction Log Entry has been deleted.")
    return 0


def setup_export_command(args: argparse.Namespace) -> int:
    """Write setup to a JSON file."""
    from segment_tui.services.setup.json_file import export_setup_file

    open_db(args)
    count = export_setup_file(args.file)
    print(f"exported {count} setup records to {args.file}")
    return 0


def setup_import_command(args: argparse.Namespace) -> int:
    """Insert or update setup from a JSON file."""
    from segment_tui.services.setup.json_file import import_setup_file

    open_db(args)
    counts = import_setup_file(args.file)
    print(f"imported {sum(counts.values())} setup records")
    return 0
