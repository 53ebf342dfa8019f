"""``segment-tui segment line …``, ``save-criteria``, ``reuse-criteria`` and
``reuse-logged``: editing lines by hand and reusing criteria from the command line."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from segment_tui.cli.answers import command_answers
from segment_tui.cli.common import open_db, parse_assignments, print_record
from segment_tui.cli.output import print_json


def register_line_and_reuse_commands(cmds: Any) -> None:
    """Add the line and reuse commands to the ``segment`` command."""
    line = cmds.add_parser("line", help="add, change or remove a line")
    line_cmds = line.add_subparsers(dest="line_command", metavar="ACTION", required=True)
    line_add = line_cmds.add_parser("add", help="add a contact on a new line")
    line_add.add_argument("no")
    line_add.add_argument("contact_no")
    line_add.add_argument("--json", action="store_true")
    line_add.set_defaults(handler=line_add_command)
    line_set = line_cmds.add_parser("set", help="change line fields: FIELD=VALUE …")
    line_set.add_argument("no")
    line_set.add_argument("line_no", type=int)
    line_set.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    line_set.add_argument("--json", action="store_true")
    line_set.set_defaults(handler=line_set_command)
    line_rm = line_cmds.add_parser("remove", help="remove a line")
    line_rm.add_argument("no")
    line_rm.add_argument("line_no", type=int)
    line_rm.add_argument("--keep-criteria", action="store_true")
    line_rm.set_defaults(handler=line_remove_command)

    save = cmds.add_parser("save-criteria", help="save the criteria actions under a code")
    save.add_argument("no")
    save.add_argument("code")
    save.add_argument("--description", default="")
    save.set_defaults(handler=save_criteria_command)

    reuse = cmds.add_parser("reuse-criteria", help="run saved criteria on a segment")
    reuse.add_argument("no")
    reuse.add_argument("code")
    reuse.add_argument("--yes", action="store_true", help="confirm when the segment has criteria")
    reuse.add_argument("--json", action="store_true")
    reuse.set_defaults(handler=reuse_criteria_command)

    reuse_logged = cmds.add_parser("reuse-logged", help="add the contacts of a logged segment")
    reuse_logged.add_argument("no")
    reuse_logged.add_argument("entry_no", type=int)
    reuse_logged.add_argument(
        "--yes", action="store_true", help="confirm when the segment has criteria"
    )
    reuse_logged.add_argument(
        "--include-excluded",
        action="store_true",
        help="also contacts now marked Exclude from Segment",
    )
    reuse_logged.add_argument("--json", action="store_true")
    reuse_logged.set_defaults(handler=reuse_logged_command)


def line_add_command(args: argparse.Namespace) -> int:
    """Add a contact on a new line."""
    from segment_tui.services.segments.lines import add_line

    open_db(args)
    record = add_line(args.no, args.contact_no)
    if args.json:
        print_json(record)
    else:
        print(f"added line {record['line_no']} for contact {record['contact_no']}")
    return 0


def line_set_command(args: argparse.Namespace) -> int:
    """Change fields of a line."""
    from segment_tui.services.segments.lines import set_line_fields

    open_db(args)
    record = set_line_fields(args.no, args.line_no, parse_assignments(args.assignments))
    print_record(record, args.json)
    return 0


def line_remove_command(args: argparse.Namespace) -> int:
    """Remove a line."""
    from segment_tui.services.segments.lines import remove_line

    open_db(args)
    result = remove_line(args.no, args.line_no, answers=command_answers(args))
    print(f"removed line {args.line_no}" + ("; criteria reset" if result.criteria_reset else ""))
    return 0


def save_criteria_command(args: argparse.Namespace) -> int:
    """Save the criteria of a segment."""
    from segment_tui.services.criteria.saved import save_criteria

    open_db(args)
    record = save_criteria(args.no, args.code, args.description)
    print(f"saved criteria {record['code']} ({record['no_of_actions']} actions)")
    return 0


def reuse_criteria_command(args: argparse.Namespace) -> int:
    """Run saved criteria on a segment."""
    from segment_tui.services.criteria.saved import reuse_criteria

    open_db(args)
    results = reuse_criteria(args.no, args.code, answers=command_answers(args))
    if args.json:
        print_json([asdict(r) for r in results])
    else:
        for r in results:
            print(f"criteria action {r.action_no}: +{r.added} / -{r.removed}")
    return 0


def reuse_logged_command(args: argparse.Namespace) -> int:
    """Add the contacts of a logged segment."""
    from segment_tui.services.criteria.saved import reuse_logged_segment

    open_db(args)
    result = reuse_logged_segment(
        args.no,
        args.entry_no,
        answers=command_answers(args),
        include_excluded=args.include_excluded,
    )
    if args.json:
        print_json(asdict(result))
    else:
        print(f"criteria action {result.action_no}: added {result.added} contacts")
    return 0
