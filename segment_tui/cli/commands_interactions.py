"""The contact's side of interactions on the command line: ``interactions create |
stats | letter``, ``campaigns entries`` and ``profile …`` (``docs/interactions.md``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from segment_tui.cli.common import open_db
from segment_tui.cli.delivery_output import print_delivery, print_missing, show_entry_smtp_target
from segment_tui.cli.output import print_json, print_table
from segment_tui.printable import printable

CORRESPONDENCE_NONE = {"none", "blank", "''", '""', "-"}
"""How a blank correspondence type may be written on the command line."""

CAMPAIGN_ENTRY_KEYS = (
    "entry_no", "campaign_no", "canceled", "date", "description", "segment_no", "register_no",
    "salesperson_code", "no_of_interactions", "cost_lcy", "duration_min",
)  # fmt: skip
"""The columns of ``campaigns entries`` (``services/interactions/columns.py``)."""
PROFILE_ANSWER_KEYS = (
    "contact_no", "contact_name", "questionnaire", "line_no", "question", "answer",
)  # fmt: skip
"""The columns of ``profile list`` (``services/contacts/columns.py``)."""


def add_interaction_parsers(ecmds: Any) -> None:
    """Add ``create``, ``stats`` and ``letter`` to the ``interactions`` command."""
    create = ecmds.add_parser(
        "create",
        help="log an interaction with one contact (BC's Create Interaction)",
        description="Log one interaction with a contact. Defaults come from the template "
        "(description, correspondence type, cost, duration, …). With a correspondence type "
        "the template's Word letter is merged and delivered like a segment line's, unless "
        "--no-send.",
    )
    create.add_argument("contact_no", metavar="CONTACT_NO")
    create.add_argument("--template", required=True, metavar="CODE")
    create.add_argument("--description", metavar="TEXT")
    create.add_argument(
        "--correspondence-type",
        metavar="TYPE",
        help="hard-copy, email or none (default: the template's)",
    )
    create.add_argument("--evaluation", metavar="EVALUATION")
    create.add_argument("--salesperson", metavar="CODE")
    create.add_argument("--date", metavar="YYYY-MM-DD")
    create.add_argument("--time", metavar="HH:MM")
    create.add_argument("--campaign", metavar="NO")
    create.add_argument("--campaign-target", action="store_true", default=None)
    create.add_argument("--campaign-response", action="store_true", default=None)
    create.add_argument("--cost", metavar="AMOUNT")
    create.add_argument("--duration", metavar="MINUTES")
    create.add_argument("--information-flow", metavar="FLOW", help="outbound or inbound")
    create.add_argument("--initiated-by", metavar="WHO", help="us or them")
    create.add_argument("--language", metavar="CODE")
    create.add_argument(
        "--attempt-failed", action="store_true", default=None, help="the attempt failed"
    )
    create.add_argument(
        "--send-as-attachment",
        action="store_true",
        default=None,
        help="e-mail: attach the letter as .docx (default: the letter is the message)",
    )
    create.add_argument("--note", metavar="TEXT", help="the letter's Line Note")
    create.add_argument("--no-send", action="store_true", help="log only, deliver nothing")
    create.add_argument("--out", metavar="DIR", help="folder for a hard copy")
    create.add_argument("--no-pdf", action="store_true", help="no PDF of a hard copy")
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=create_command)

    stats = ecmds.add_parser("stats", help="interaction statistics")
    stats.add_argument("--by", choices=("contact", "template", "group"), default="template")
    stats.add_argument("--where", action="append", default=[], metavar="F")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=stats_command)

    letter = ecmds.add_parser("letter", help="export an entry's letter (Show Attachments)")
    letter.add_argument("entry_no", type=int, metavar="ENTRY_NO")
    letter.add_argument("--out", required=True, metavar="FILE")
    letter.add_argument("--json", action="store_true")
    letter.set_defaults(handler=letter_command)


def register(sub: Any) -> None:
    """Add the ``campaigns`` and ``profile`` commands."""
    campaigns = sub.add_parser("campaigns", help="campaigns")
    ccmds = campaigns.add_subparsers(dest="campaigns_command", metavar="ACTION", required=True)
    entries = ccmds.add_parser("entries", help="campaign entries (all, or of one campaign)")
    entries.add_argument("campaign_no", nargs="?", default=None, metavar="CAMPAIGN_NO")
    entries.add_argument("--logged", type=int, default=None, metavar="ENTRY_NO")
    entries.add_argument("--canceled", choices=("yes", "no"), default=None)
    entries.add_argument("--json", action="store_true")
    entries.set_defaults(handler=campaign_entries_command)

    profile = sub.add_parser("profile", help="contacts' profile answers")
    pcmds = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    pimport = pcmds.add_parser(
        "import", help="import answers from a CSV file (contact no., questionnaire, line, answer)"
    )
    pimport.add_argument("file", type=Path)
    pimport.add_argument("--dry-run", action="store_true")
    pimport.add_argument(
        "--replace",
        action="store_true",
        help="a new answer to a single-answer question replaces the contact's old one",
    )
    pimport.add_argument("--json", action="store_true")
    pimport.set_defaults(handler=profile_import_command)
    plist = pcmds.add_parser("list", help="list answers")
    plist.add_argument("--contact", default=None, metavar="NO")
    plist.add_argument("--questionnaire", default=None, metavar="CODE")
    plist.add_argument("--json", action="store_true")
    plist.set_defaults(handler=profile_list_command)
    for name, text in (("set", "give a contact an answer"), ("remove", "take an answer away")):
        cmd = pcmds.add_parser(name, help=text)
        cmd.add_argument("contact_no", metavar="CONTACT_NO")
        cmd.add_argument("questionnaire", metavar="QUESTIONNAIRE")
        cmd.add_argument("line_no", type=int, metavar="LINE")
        cmd.add_argument("--json", action="store_true")
        cmd.set_defaults(handler=profile_set_command, remove=name == "remove")


def _create_values(args: argparse.Namespace) -> dict[str, object]:
    kind = args.correspondence_type
    if kind is not None and kind.strip().lower() in CORRESPONDENCE_NONE:
        kind = ""
    values = {
        "interaction_template_code": args.template,
        "description": args.description,
        "correspondence_type": kind,
        "evaluation": args.evaluation,
        "salesperson_code": args.salesperson,
        "date": args.date,
        "time_of_interaction": args.time,
        "campaign_no": args.campaign,
        "campaign_target": args.campaign_target,
        "campaign_response": args.campaign_response,
        "cost_lcy": args.cost,
        "duration_min": args.duration,
        "information_flow": args.information_flow,
        "initiated_by": args.initiated_by,
        "language_code": args.language,
        "attempt_failed": args.attempt_failed,
        "send_word_doc_as_attmt": args.send_as_attachment,
        "line_note": args.note,
    }
    return {key: value for key, value in values.items() if value is not None}


def create_command(args: argparse.Namespace) -> int:
    """Create Interaction: log one interaction, then deliver its letter."""
    from segment_tui.services.interactions.create import create_interaction, deliver
    from segment_tui.services.interactions.entries import entry_record

    open_db(args)
    created = create_interaction(args.contact_no, _create_values(args), send=not args.no_send)
    report = None
    if created.queued:
        show_entry_smtp_target(created.entry_no, args.json)
        out = Path(args.out).expanduser() if args.out else None
        report = deliver(created, out, pdf=False if args.no_pdf else None)
    record = entry_record(created.entry_no)
    if args.json:
        print_json({"entry": record, "delivery": report.as_record() if report else None})
        if report is None:
            return 0
        print_missing(report.missing_files)  # a missing PDF is named, and exits 1
        return 1 if report.incomplete else 0
    kind = {"hard_copy": "Hard Copy", "email": "Email"}.get(created.correspondence_type, "")
    print(
        f"created interaction log entry {created.entry_no} for contact {created.contact_no}"
        + (f" ({kind})" if kind else "")
    )
    return print_delivery(report, False) if report is not None else 0


def stats_command(args: argparse.Namespace) -> int:
    """Interaction statistics by contact, template or group."""
    from segment_tui.services.interactions.columns import STATISTICS_COLUMNS
    from segment_tui.services.interactions.stats import statistics

    open_db(args)
    rows = statistics(args.by, args.where)
    if args.json:
        print_json(rows)
        return 0
    # Every column the Interaction Statistics screen shows for the view, in its order.
    print_table(rows, tuple(STATISTICS_COLUMNS[args.by]), max_width=30)
    return 0


def letter_command(args: argparse.Namespace) -> int:
    """Write an entry's letter to a file."""
    from segment_tui.services.interactions.letters import DOCUMENT, export_letter

    open_db(args)
    letter, path = export_letter(args.entry_no, Path(args.out).expanduser())
    if letter.kind == DOCUMENT:
        print(
            f"note: entry {letter.entry_no} has no delivered letter; this one is merged now "
            "from its document with the contact's current data",
            file=sys.stderr,
        )
    if args.json:
        print_json(letter.as_record(path))
    else:
        print(f"wrote the letter of entry {letter.entry_no} to {path}")
    return 0


def campaign_entries_command(args: argparse.Namespace) -> int:
    """List campaign entries."""
    from segment_tui.services.interactions.campaign_entries import list_campaign_entries
    from segment_tui.services.interactions.columns import CAMPAIGN_ENTRY_COLUMNS

    open_db(args)
    canceled = None if args.canceled is None else args.canceled == "yes"
    rows = list_campaign_entries(args.campaign_no, logged=args.logged, canceled=canceled)
    if args.json:
        print_json(rows)
        return 0
    print_table(rows, CAMPAIGN_ENTRY_COLUMNS.pick(*CAMPAIGN_ENTRY_KEYS), max_width=30)
    return 0


def profile_import_command(args: argparse.Namespace) -> int:
    """Import profile answers from CSV."""
    from segment_tui.services.contacts.profile_answer_import import (
        AnswerImportRefused,
        import_answers,
    )

    open_db(args)
    try:
        report = import_answers(args.file, dry_run=args.dry_run, replace=args.replace)
    except AnswerImportRefused as refused:
        if args.json:
            print_json(refused.report.as_record())
        for problem in refused.report.problems[:50]:
            print(printable(f"error: {args.file}: {problem}"), file=sys.stderr)  # quotes cells
        extra = len(refused.report.problems) - 50
        if extra > 0:
            print(f"error: … and {extra} more", file=sys.stderr)
        print(printable(f"error: {refused}"), file=sys.stderr)
        return 1
    if args.json:
        print_json(report.as_record())
    else:
        print(report.summary())
    return 0


def profile_list_command(args: argparse.Namespace) -> int:
    """List contacts' profile answers."""
    from segment_tui.services.contacts.columns import PROFILE_COLUMNS
    from segment_tui.services.contacts.profile_answers import list_answers

    open_db(args)
    rows = list_answers(args.contact, args.questionnaire)
    if args.json:
        print_json(rows)
        return 0
    print_table(rows, PROFILE_COLUMNS.pick(*PROFILE_ANSWER_KEYS), max_width=30)
    return 0


def profile_set_command(args: argparse.Namespace) -> int:
    """Give or take away one answer."""
    from segment_tui.services.contacts.profile_answers import remove_answer, set_answer

    open_db(args)
    code = args.questionnaire.strip().upper()
    contact = args.contact_no.strip().upper()
    if args.remove:
        done = remove_answer(contact, code, args.line_no)
        outcome = "removed" if done else "was not given"
    else:
        done = set_answer(contact, code, args.line_no)
        outcome = "given" if done else "was given already"
    if args.json:
        print_json(
            {"contact_no": contact, "questionnaire": code, "line_no": args.line_no,
             "changed": done, "has_answer": done != args.remove}
        )  # fmt: skip
    else:
        print(f"contact {contact}: answer {code} {args.line_no} {outcome}")
    return 0
