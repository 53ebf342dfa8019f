"""``segment-tui segment …``: the worksheet from the command line (README: The command line)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from segment_tui.cli.answers import command_answers
from segment_tui.cli.commands_lines import register_line_and_reuse_commands
from segment_tui.cli.commands_segment_actions import register_segment_actions
from segment_tui.cli.common import open_db, parse_assignments, print_record
from segment_tui.cli.output import print_json, print_table, write_json_document, write_table

LINE_KEYS = (
    "line_no", "contact_no", "correspondence_type", "contact_company_name", "contact_name",
    "description", "salesperson_code", "interaction_template_code", "language_code",
    "evaluation", "cost_lcy", "duration_min", "document",
)  # fmt: skip
"""The line columns ``segment show`` prints (``services/segments/columns.py``)."""
SEGMENT_KEYS = ("no", "description", "campaign_no", "salesperson_code", "date", "no_of_lines")
"""The columns of ``segment list``."""


def _yes_no(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("yes", "y", "true", "1"):
        return True
    if lowered in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {value!r}")


def register(sub: Any) -> None:
    """Add the ``segment`` commands."""
    segment = sub.add_parser("segment", help="create and work on segments")
    cmds = segment.add_subparsers(dest="segment_command", metavar="ACTION", required=True)

    new = cmds.add_parser("new", help="create a segment")
    new.add_argument("--description", required=True)
    new.add_argument("--no", default="")
    new.add_argument("--template", default="")
    new.add_argument("--salesperson", default="")
    new.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    new.add_argument("--campaign", default="")
    new.add_argument("--json", action="store_true")
    new.set_defaults(handler=new_command)

    lst = cmds.add_parser("list", help="list the segments (not yet logged)")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=list_command)

    show = cmds.add_parser("show", help="show a segment with its lines")
    show.add_argument("no")
    show.add_argument(
        "--json", action="store_true", help="one JSON document: header fields plus lines"
    )
    show.set_defaults(handler=show_command)

    crit = cmds.add_parser("criteria", help="show a segment's criteria actions")
    crit.add_argument("no")
    crit.add_argument("--json", action="store_true")
    crit.set_defaults(handler=criteria_command)

    st = cmds.add_parser("set", help="change header fields: FIELD=VALUE …")
    st.add_argument("no")
    st.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    st.add_argument(
        "--update-lines",
        type=_yes_no,
        default=None,
        metavar="yes|no",
        help="answer to BC's 'update the segment lines?' question (default: yes)",
    )
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=set_command)

    add = cmds.add_parser("add", help="Add Contacts by criteria")
    add.add_argument("no")
    add.add_argument("--where", action="append", default=[], metavar="FIELD=FILTER")
    add.add_argument("--allow-existing", action="store_true")
    add.add_argument("--expand-companies", action="store_true")
    add.add_argument("--allow-related-companies", action="store_true")
    add.add_argument("--ignore-exclusion", action="store_true")
    add.add_argument("--dry-run", action="store_true", help="count only, write nothing")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_command)

    for mode, text in (("reduce", "remove the matching contacts"), ("refine", "keep only them")):
        rem = cmds.add_parser(mode, help=f"{mode.title()} Contacts: {text}")
        rem.add_argument("no")
        rem.add_argument("--where", action="append", default=[], metavar="FIELD=FILTER")
        rem.add_argument("--entire-companies", action="store_true")
        rem.add_argument("--dry-run", action="store_true", help="count only, write nothing")
        rem.add_argument(
            "--keep-criteria",
            action="store_true",
            help="if the segment ends up empty, keep its criteria actions (BC asks; default reset)",
        )
        rem.add_argument("--json", action="store_true")
        rem.set_defaults(handler=remove_command, mode=mode)

    back = cmds.add_parser("go-back", help="undo the last criteria action")
    back.add_argument("no")
    back.add_argument("--keep-criteria", action="store_true")
    back.add_argument("--json", action="store_true")
    back.set_defaults(handler=go_back_command)

    register_line_and_reuse_commands(cmds)
    register_segment_actions(cmds)

    log = cmds.add_parser("log", help="log the segment")
    log.add_argument("no")
    log.add_argument("--send", action="store_true", help="deliver documents (files, e-mail)")
    log.add_argument("--follow-up", action="store_true", help="create a follow-up segment")
    log.add_argument("--out", default=None, help="folder for hard-copy documents")
    log.add_argument("--no-pdf", action="store_true", help="do not convert hard copies to PDF")
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler=log_command)

    from segment_tui.cli.commands_template import add_segment_merge_parser

    add_segment_merge_parser(cmds)

    delete = cmds.add_parser("delete", help="delete a segment that is not logged")
    delete.add_argument("no")
    delete.set_defaults(handler=delete_command)


def new_command(args: argparse.Namespace) -> int:
    """Create a segment header."""
    from segment_tui.services.segments.headers import create_segment

    open_db(args)
    record = create_segment(
        args.description,
        no=args.no,
        template=args.template,
        salesperson=args.salesperson,
        date=args.date,
        campaign=args.campaign,
    )
    if args.json:
        print_json(record)
    else:
        print(f"created segment {record['no']}")
    return 0


def list_command(args: argparse.Namespace) -> int:
    """List segment headers."""
    from segment_tui.services.segments.columns import SEGMENT_COLUMNS
    from segment_tui.services.segments.headers import list_segments

    open_db(args)
    rows = list_segments()
    if args.json:
        print_json(rows)
    else:
        print_table(rows, SEGMENT_COLUMNS.pick(*SEGMENT_KEYS))
    return 0


def show_command(args: argparse.Namespace) -> int:
    """A segment's header and lines, written as they are read (any number of lines)."""
    from segment_tui.cli.progress import progress_bars
    from segment_tui.services.segments.columns import LINE_COLUMNS
    from segment_tui.services.segments.view import segment_json_stream, segment_stream

    open_db(args)
    with progress_bars(writes_stdout=True) as progress:
        if args.json:
            with segment_json_stream(args.no, progress=progress) as (header, texts):
                write_json_document(header, "lines", texts, encoded=True)
            return 0
        fields = list(LINE_KEYS)
        with segment_stream(args.no, fields=fields, progress=progress) as (header, lines):
            print_record(header, False)
            print()
            write_table(lines, LINE_COLUMNS.pick(*LINE_KEYS), max_width=30)
    return 0


def criteria_command(args: argparse.Namespace) -> int:
    """The criteria actions of a segment, with their filters and counts."""
    from segment_tui.services.criteria.view import criteria_records

    open_db(args)
    rows = criteria_records(args.no)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        if row["type"] == "action":
            print(f"{row['action_no']:>3}  {row['caption']}  (+{row['added']} / -{row['removed']})")
        else:
            print(f"       {row['caption']}: {row['filter_text']}")
    return 0


def set_command(args: argparse.Namespace) -> int:
    """Change header fields; lines follow unless --update-lines no."""
    from segment_tui.services.segments.headers import set_header_fields

    open_db(args)
    record = set_header_fields(args.no, parse_assignments(args.assignments), command_answers(args))
    print_record(record, args.json)
    return 0


def add_command(args: argparse.Namespace) -> int:
    """Add Contacts (or count what it would add)."""
    from segment_tui.services.criteria.actions import AddOptions, add_contacts, preview_add
    from segment_tui.services.criteria.fields import parse_where

    open_db(args)
    filters = parse_where(args.where)
    options = AddOptions(
        allow_existing=args.allow_existing,
        expand_companies=args.expand_companies,
        allow_related_companies=args.allow_related_companies,
        ignore_exclusion=args.ignore_exclusion,
    )
    if args.dry_run:
        preview = preview_add(args.no, filters, options)
        if args.json:
            print_json(asdict(preview))
        else:
            print(
                f"would add {preview.would_add} ({preview.excluded} excluded, "
                f"{preview.already_present} already present)"
            )
        return 0
    result = add_contacts(args.no, filters, options)
    if args.json:
        print_json(asdict(result))
    else:
        print(f"criteria action {result.action_no}: added {result.added} contacts")
    return 0


def remove_command(args: argparse.Namespace) -> int:
    """Reduce or Refine (or count what it would remove)."""
    from segment_tui.services.criteria.actions import preview_remove, remove_contacts
    from segment_tui.services.criteria.fields import parse_where

    open_db(args)
    filters = parse_where(args.where)
    if args.dry_run:
        preview = preview_remove(args.no, filters, args.mode, args.entire_companies)
        if args.json:
            print_json(asdict(preview))
        else:
            print(f"would remove {preview.would_remove} ({preview.remaining} would remain)")
        return 0
    result = remove_contacts(
        args.no,
        filters,
        args.mode,
        entire_companies=args.entire_companies,
        answers=command_answers(args),
    )
    if args.json:
        print_json(asdict(result))
    else:
        reset = (
            "; the segment is empty and its criteria were reset" if result.criteria_reset else ""
        )
        print(f"criteria action {result.action_no}: removed {result.removed} lines{reset}")
    return 0


def go_back_command(args: argparse.Namespace) -> int:
    """Undo the last criteria action."""
    from segment_tui.services.criteria.go_back import go_back

    open_db(args)
    result = go_back(args.no, answers=command_answers(args))
    if result.nothing_to_undo:
        # BC asks nothing and does nothing: not an error, but say why nothing changed.
        print(
            f"note: segment {args.no.strip().upper()} has no criteria action to undo; "
            "nothing changed",
            file=sys.stderr,
        )
    if args.json:
        print_json({**asdict(result), "nothing_to_undo": result.nothing_to_undo})
    elif not result.nothing_to_undo:
        print(
            f"undid criteria action {result.action_no}: removed {result.removed} lines, "
            f"restored {result.restored}"
        )
    return 0


def log_command(args: argparse.Namespace) -> int:
    """Log the segment; with --send, deliver its documents after the log is committed."""
    from segment_tui.cli.delivery_output import (
        print_delivery,
        print_missing,
        show_smtp_target,
    )
    from segment_tui.services.log.log_segment import log_segment

    open_db(args)
    result = log_segment(args.no, send=args.send, follow_up=args.follow_up)
    report = None
    if args.send and result.to_deliver:
        from segment_tui.services.delivery.deliver import deliver_logged_segment

        show_smtp_target(result.logged_segment_entry_no, args.json)
        report = deliver_logged_segment(
            result.logged_segment_entry_no,
            Path(args.out).expanduser() if args.out else None,
            pdf=False if args.no_pdf else None,
        )
    if args.json:
        document = asdict(result)
        document["delivery"] = report.as_record() if report is not None else None
        print_json(document)
        if report is None:
            return 0
        print_missing(report.missing_files)
        return 1 if report.incomplete else 0
    print(f"Segment {result.segment_no} has been logged.")
    print(f"logged segment {result.logged_segment_entry_no}: {result.entries} entries")
    if result.follow_up_segment_no:
        print(f"follow-up segment {result.follow_up_segment_no}")
    return print_delivery(report, False) if report is not None else 0


def delete_command(args: argparse.Namespace) -> int:
    """Delete a segment."""
    from segment_tui.services.segments.headers import delete_segment

    open_db(args)
    delete_segment(args.no)
    print(f"deleted segment {args.no.upper()}")
    return 0
