"""The Segment page's other actions from the command line: Apply Mailing Group, Export
Contacts, Print Labels, Print Cover Sheets and the Segment - Contacts report.

``--json`` prints what was done as one JSON document; without it one line for a person.
A file named with ``--out`` is replaced when it exists (and written whole or not at all).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from segment_tui.cli.answers import command_answers
from segment_tui.cli.common import open_db
from segment_tui.cli.output import print_json


def register_segment_actions(cmds: Any) -> None:
    """Add the commands to ``segment-tui segment``."""
    from segment_tui.services.printouts.cover_sheet_options import REMARKS
    from segment_tui.services.printouts.label_layouts import DEFAULT_LAYOUT, LAYOUTS, layout_names

    group = cmds.add_parser(
        "apply-mailing-group", help="Apply Mailing Group: give every contact the group"
    )
    group.add_argument("no")
    group.add_argument("code", metavar="MAILING_GROUP_CODE")
    group.add_argument(
        "--delete-old",
        action="store_true",
        help="Delete Old Assignments: first take the group from every contact that has it",
    )
    group.add_argument("--json", action="store_true")
    group.set_defaults(handler=apply_mailing_group_command)

    export = cmds.add_parser(
        "export-contacts", help="Export Contacts: the segment's contacts as CSV"
    )
    export.add_argument("no")
    export.add_argument("file", type=Path, metavar="FILE.csv")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=export_contacts_command)

    layouts = "; ".join(f"{name}: {layout.description}" for name, layout in LAYOUTS.items())
    labels = cmds.add_parser(
        "labels",
        help="Print Labels: address labels as PDF",
        description=f"Label sheets — {layouts}. Also accepted: avery-5160, l7160, l7163.",
    )
    labels.add_argument("no")
    labels.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    labels.add_argument(
        "--layout",
        default=DEFAULT_LAYOUT,
        type=str.lower,
        choices=layout_names(),
        metavar="NAME",
        help=f"label sheet (default {DEFAULT_LAYOUT}): {', '.join(layout_names())}",
    )
    labels.add_argument(
        "--merge-households",
        action="store_true",
        help="one label for contacts at the same postal address (and company)",
    )
    labels.add_argument(
        "--outline", action="store_true", help="draw the label edges (test print on paper)"
    )
    labels.add_argument("--json", action="store_true")
    labels.set_defaults(handler=labels_command)

    cover = cmds.add_parser("cover-sheets", help="Print Cover Sheets: one PDF page per contact")
    cover.add_argument("no")
    cover.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    cover.add_argument(
        "--text",
        action="append",
        default=[],
        metavar="TEXT",
        help="a line of text (up to 5, of up to 100 characters; repeat the option)",
    )
    cover.add_argument(
        "--remark",
        action="append",
        default=[],
        choices=list(REMARKS),
        metavar="NAME",
        help="tick a remark (repeatable): "
        + ", ".join(f"{key} ({caption})" for key, caption in REMARKS.items()),
    )
    cover.add_argument("--custom-remark", default="", metavar="TEXT", help="a remark of your own")
    cover.add_argument("--json", action="store_true")
    cover.set_defaults(handler=cover_sheets_command)

    report = cmds.add_parser(
        "report", help="the Segment - Contacts report, as PDF or CSV (by the file's extension)"
    )
    report.add_argument("no")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.csv")
    report.add_argument("--json", action="store_true")
    report.set_defaults(handler=report_command)


def _warn_missing(characters: str, font: str) -> None:
    if characters:
        print(
            f"warning: the font {font} has no {characters!r}; they print as boxes "
            "(set SEGMENT_TUI_PDF_FONT to a TrueType font that has them)",
            file=sys.stderr,
        )


def apply_mailing_group_command(args: argparse.Namespace) -> int:
    """Apply Mailing Group (BC report 5184)."""
    from segment_tui.services.segments.mailing_groups import apply_mailing_group

    open_db(args)
    result = apply_mailing_group(args.no, args.code, delete_old=args.delete_old)
    if args.json:
        print_json({**asdict(result), "message": result.message})
    else:
        print(result.message)
    return 0


def export_contacts_command(args: argparse.Namespace) -> int:
    """Export the segment's contacts with ``contacts export``'s columns."""
    from segment_tui.services.printouts.reports import export_segment_contacts

    open_db(args)
    number, count = export_segment_contacts(args.no, args.file, answers=command_answers(args))
    if args.json:
        print_json({"segment_no": number, "file": str(args.file.expanduser()), "contacts": count})
    else:
        print(f"exported {count} contacts of segment {number} to {args.file}")
    return 0


def labels_command(args: argparse.Namespace) -> int:
    """Print Labels (BC report 5065)."""
    from segment_tui.services.printouts.labels import describe_labels, print_labels

    open_db(args)
    result = print_labels(
        args.no,
        args.out,
        layout=args.layout,
        merge_households=args.merge_households,
        outline=args.outline,
        answers=command_answers(args),
    )
    _warn_missing(result.missing_characters, result.font)
    if args.json:
        print_json(asdict(result))
    else:
        print(describe_labels(result))
    return 0


def cover_sheets_command(args: argparse.Namespace) -> int:
    """Print Cover Sheets (BC report 5064)."""
    from segment_tui.services.printouts.cover_sheet_options import CoverSheetOptions
    from segment_tui.services.printouts.cover_sheets import print_cover_sheets

    open_db(args)
    options = CoverSheetOptions(tuple(args.text), tuple(args.remark), args.custom_remark)
    result = print_cover_sheets(args.no, args.out, options, answers=command_answers(args))
    _warn_missing(result.missing_characters, result.font)
    if args.json:
        print_json(asdict(result))
    else:
        pages = f"{result.pages} cover sheet" + ("s" if result.pages != 1 else "")
        print(f"Printed {pages} of segment {result.segment_no} to {result.file}.")
    return 0


def report_command(args: argparse.Namespace) -> int:
    """The Segment - Contacts report (BC report 5063)."""
    from segment_tui.services.printouts.reports import segment_contacts_report

    open_db(args)
    result = segment_contacts_report(args.no, args.out, answers=command_answers(args))
    if args.json:
        print_json(asdict(result))
    else:
        print(
            f"Segment - Contacts: {result.contacts} contacts of segment {result.segment_no} "
            f"to {result.file}."
        )
    return 0
