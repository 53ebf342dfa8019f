"""What the CLI prints about a delivery: the report, missing files, where e-mail goes.

Shared by ``segment log``, ``logged resend`` and ``interactions create``, so each
command reports a delivery the same way (and exits 1 when it is incomplete).
Services are imported inside the functions to keep ``segment-tui --help`` fast.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from segment_tui.cli.output import print_json
from segment_tui.printable import printable

if TYPE_CHECKING:
    from segment_tui.services.delivery.report import DeliveryReport

EXIT_DELIVERY_FAILED = 1
"""Exit status of a command whose delivery is incomplete (entries stay logged)."""


def print_missing(failures: Mapping[Path, str]) -> None:
    """Name each promised file that was not made, with the reason, on stderr."""
    for path, reason in failures.items():
        print(printable(f"error: {path} was not made: {reason}"), file=sys.stderr)


def print_delivery(report: DeliveryReport, as_json: bool) -> int:
    """Print a :class:`~segment_tui.services.delivery.deliver.DeliveryReport`; the exit status
    is 1 when the delivery is incomplete: some delivery failed (the entries stay logged,
    with status Error), some entry's outcome is unknown, or a promised file (a print
    file, a PDF) is missing."""
    if as_json:
        print_json(report.as_record())
    else:
        print(report.summary)
    print_missing(report.missing_files)
    logged = report.logged_segment_entry_no
    # An interaction created on its own has no logged segment: it is resent by entry.
    target = (
        str(logged)
        if logged is not None
        else "--interactions " + " ".join(str(n) for n in (report.unknown_entries or report.errors))
    )
    if report.unknown_entries:
        print(
            f"error: {len(report.unknown_entries)} entries have delivery status Unknown (a "
            "delivery stopped while sending them); check with the recipients, then "
            f"'segment-tui logged resend {target} --include-unknown' "
            "sends them again",
            file=sys.stderr,
        )
    if report.failed:
        hint = f" (segment-tui logged resend {target})"
        print(
            f"error: {report.failed} of {report.failed + report.delivered} deliveries failed; "
            f"resend them once the cause is fixed{hint}",
            file=sys.stderr,
        )
        return EXIT_DELIVERY_FAILED
    return EXIT_DELIVERY_FAILED if report.incomplete else 0


def show_smtp_target(logged_segment_entry_no: int, as_json: bool) -> None:
    """Say where e-mail goes before any is sent (stderr with --json, to keep it JSON)."""
    from segment_tui.services.delivery.mail import smtp_target
    from segment_tui.services.delivery.states import emails_to_send

    if emails_to_send(logged_segment_entry_no):
        # Marketing Setup's host and user come from a setup file too: printable.
        print(printable(f"E-mail via {smtp_target()}"), file=sys.stderr if as_json else sys.stdout)


def show_entry_smtp_target(entry_no: int, as_json: bool) -> None:
    """Say where e-mail goes before an entry's e-mail is sent (stderr with --json)."""
    from segment_tui.models import InteractionLogEntry
    from segment_tui.services.delivery.mail import smtp_target

    entry = InteractionLogEntry.get_or_none(InteractionLogEntry.entry_no == entry_no)
    if entry is not None and entry.correspondence_type == "email":
        print(printable(f"E-mail via {smtp_target()}"), file=sys.stderr if as_json else sys.stdout)
