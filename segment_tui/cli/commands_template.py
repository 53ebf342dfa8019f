"""``segment-tui template …``, ``segment merge`` and ``logged resend``: Word documents,
the template check, merging a segment before logging, delivering again.

``register`` adds the ``template`` command; :func:`add_segment_merge_parser` and
:func:`add_logged_resend_parser` add one action each to the ``segment`` and ``logged``
command groups (their modules call them), so all Word commands live here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from segment_tui.cli.common import open_db
from segment_tui.cli.delivery_output import (
    EXIT_DELIVERY_FAILED,
    print_delivery,
    print_missing,
    show_entry_smtp_target,
    show_smtp_target,
)
from segment_tui.cli.output import print_json
from segment_tui.printable import printable


def register(sub: Any) -> None:
    """Add ``template attach``, ``template export``, ``template check`` and ``template list``."""
    template = sub.add_parser("template", help="Word documents of interaction templates")
    cmds = template.add_subparsers(dest="template_command", metavar="ACTION", required=True)

    attach = cmds.add_parser("attach", help="attach a Word .docx document to a template")
    attach.add_argument("code", metavar="CODE")
    attach.add_argument("file", type=Path, metavar="FILE.docx")
    attach.add_argument("--language", default="", metavar="CODE", help="language (default: none)")
    attach.add_argument("--json", action="store_true")
    attach.set_defaults(handler=template_attach_command)

    export = cmds.add_parser("export", help="write a template's Word document to a file")
    export.add_argument("code", metavar="CODE")
    export.add_argument("file", type=Path, metavar="FILE.docx")
    export.add_argument("--language", default="", metavar="CODE")
    export.set_defaults(handler=template_export_command)

    check = cmds.add_parser(
        "check",
        help="list the merge fields a template uses; with --segment, check each line's "
        "document and count blanks (exit 1 when something is wrong)",
    )
    check.add_argument("code", metavar="CODE")
    check.add_argument("--language", default="", metavar="CODE")
    check.add_argument("--segment", default=None, metavar="NO", help="check against this segment")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=template_check_command)

    lst = cmds.add_parser("list", help="list the templates' Word documents")
    lst.add_argument("code", nargs="?", default=None, metavar="CODE")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=template_list_command)


def add_segment_merge_parser(segment_subcommands: Any) -> None:
    """Add ``segment merge NO --out FILE.docx [--line N]`` to the ``segment`` group."""
    merge = segment_subcommands.add_parser(
        "merge", help="merge the segment's letters into a .docx (nothing is logged)"
    )
    merge.add_argument("no", metavar="NO")
    merge.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.docx",
        help="the .docx to write (a folder: Segment <NO>.docx in it)",
    )
    merge.add_argument("--line", type=int, default=None, metavar="LINE_NO", help="only this line")
    merge.add_argument(
        "--pdf", action="store_true", help="also write the PDF of each file (needs LibreOffice)"
    )
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(handler=segment_merge_command)


def add_logged_resend_parser(logged_subcommands: Any) -> None:
    """Add ``logged resend ENTRY_NO...`` to the ``logged`` group."""
    resend = logged_subcommands.add_parser(
        "resend", help="deliver again the documents whose delivery failed"
    )
    resend.add_argument(
        "entry_nos",
        nargs="+",
        type=int,
        metavar="ENTRY_NO",
        help="logged segment entry numbers (interaction log entries with --interactions)",
    )
    resend.add_argument(
        "--interactions",
        action="store_true",
        help="the numbers are interaction log entries (of one logged segment)",
    )
    resend.add_argument(
        "--include-unknown",
        action="store_true",
        help="also send the e-mails whose delivery status is Unknown (a delivery stopped "
        "while sending them: they may have gone out and may arrive twice)",
    )
    resend.add_argument(
        "--all", action="store_true", help="also deliver the entries delivered already"
    )
    resend.add_argument("--out", type=Path, default=None, metavar="DIR", help="hard-copy folder")
    resend.add_argument("--no-pdf", action="store_true", help="do not make PDFs")
    resend.add_argument("--json", action="store_true")
    resend.set_defaults(handler=logged_resend_command)


def template_attach_command(args: argparse.Namespace) -> int:
    """Attach a Word document to a template."""
    from segment_tui.services.documents.template_docs import attach_template_document

    open_db(args)
    record = attach_template_document(args.code, args.file, args.language)
    if args.json:
        print_json(record)
    else:
        language = f" ({record['language_code']})" if record["language_code"] else ""
        fields = ", ".join(record["fields"]) or "none"
        print(
            f"attached {record['file_name']} to template "
            f"{record['interaction_template_code']}{language}; merge fields: {fields}"
        )
    return 0


def template_export_command(args: argparse.Namespace) -> int:
    """Write a template's document to a file."""
    from segment_tui.services.documents.template_docs import export_template_document

    open_db(args)
    size = export_template_document(args.code, args.file, args.language)
    print(f"wrote {args.file} ({size:,} bytes)")
    return 0


def template_check_command(args: argparse.Namespace) -> int:
    """The template check: used fields, unknown and unsupported ones, blanks per field for
    a segment (each line against its own document). Exit 1 when something is wrong."""
    from segment_tui.services.documents.template_check import check_template

    open_db(args)
    result = check_template(args.code, args.language, args.segment)
    if args.json:
        print_json(result.as_record())
    else:
        print(result.summary)
    if not result.ok:
        print(
            printable(f"error: template {result.template_code} is not ready (see above)"),
            file=sys.stderr,
        )
        return 1
    return 0


def template_list_command(args: argparse.Namespace) -> int:
    """List the templates' documents."""
    from segment_tui.cli.output import print_table
    from segment_tui.services.documents.columns import TEMPLATE_DOCUMENT_COLUMNS
    from segment_tui.services.documents.template_docs import list_template_documents

    open_db(args)
    rows = list_template_documents(args.code)
    if args.json:
        print_json(rows)
    else:
        print_table(rows, tuple(TEMPLATE_DOCUMENT_COLUMNS))
    return 0


def _progress(what: str) -> Callable[[int, int], None] | None:
    """A progress callback drawing on stderr when it is a terminal (quiet when piped)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{what} {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return show


def segment_merge_command(args: argparse.Namespace) -> int:
    """Merge a segment (or one line) into .docx files (and PDFs); exit 1 when a promised
    PDF is missing."""
    from segment_tui.services.documents.merge_preview import merge_segment

    open_db(args)
    result = merge_segment(
        args.no, args.out, args.line, pdf=args.pdf, on_progress=_progress("merging letters")
    )
    if args.json:
        print_json(result.as_record())
    else:
        files = ", ".join(str(p) for p in result.paths)
        print(f"merged {result.letters} letter{'s' if result.letters != 1 else ''} into {files}")
        if result.pdfs:
            print("PDF: " + ", ".join(str(p) for p in result.pdfs))
        if result.skipped:
            print(f"{result.skipped} lines without a Word document were skipped")
        if result.unknown_fields:
            print("unknown merge fields (left unmerged): " + ", ".join(result.unknown_fields))
    print_missing(result.pdf_failures)
    return 1 if result.pdf_failures else 0


def _logged_of(entry_no: int) -> int | None:
    from segment_tui.models import InteractionLogEntry

    entry = InteractionLogEntry.get_or_none(InteractionLogEntry.entry_no == entry_no)
    return None if entry is None else entry.logged_segment_entry_no


def logged_resend_command(args: argparse.Namespace) -> int:
    """Deliver failed (or, with --all, all) documents again."""
    from segment_tui.services.delivery.deliver import resend, resend_logged_segment

    open_db(args)
    pdf = False if args.no_pdf else None
    options: dict[str, Any] = {
        "include_delivered": args.all,
        "include_unknown": args.include_unknown,
        "out_dir": args.out,
        "pdf": pdf,
    }
    if args.interactions:
        logged = _logged_of(args.entry_nos[0])
        if logged is not None:
            show_smtp_target(logged, args.json)
        else:
            show_entry_smtp_target(args.entry_nos[0], args.json)
        report = resend(args.entry_nos, **options)
        return print_delivery(report, args.json)
    status = 0
    reports = []
    for number in dict.fromkeys(args.entry_nos):
        show_smtp_target(number, args.json)
        report = resend_logged_segment(number, **options)
        reports.append(report)
        if not args.json:
            status = max(status, print_delivery(report, False))
    if args.json:
        print_json([r.as_record() for r in reports])
        for report in reports:
            print_missing(report.missing_files)
        status = EXIT_DELIVERY_FAILED if any(r.incomplete for r in reports) else 0
    return status
