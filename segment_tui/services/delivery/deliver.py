"""Deliver the documents of a logged segment (Log with Send, Resend), exactly once
(``docs/delivery.md``).

Log with Send queues the entries to deliver (status ``in_progress``, shown "Queued") and
claims the logged segment in the transaction that logs; delivery runs afterwards, so a
failed delivery never undoes the log. For every queued entry the entry's Word document
is merged with the entry's values (:mod:`segment_tui.services.documents.merge_values`), then:

* **Hard Copy**: one .docx per contact in the output folder, named as BC names them
  ("<Company Name> - <Contact Name>.docx", made safe for any file system, never
  overwriting another letter), the files for printing — one combined file per Word
  document, named and ordered as ``segment merge`` does (:mod:`.print_files`) — and
  PDFs when LibreOffice is installed.
* **E-mail**: one message per entry over SMTP (:mod:`.mail`) to the contact's
  e-mail, subject = the entry's subject (else its description), with the merged .docx
  attached as "<Subject>.docx" (or "Attachment.docx") and a short note — or, with Send
  Word Doc. as Attmt. off, the letter itself as an HTML body with a plain-text
  alternative (:mod:`.body`).

Each entry goes queued → sending → sent / error, every change committed before the side
effect it announces (:mod:`.run`); an entry a killed delivery left in
``sending`` becomes ``unknown`` and is sent again only when asked
(``include_unknown``): without it, **no entry is delivered more than once**. Hard copies
are the exception that proves the rule: writing the same letter to the same file again
cannot print it twice, so an unknown hard copy is simply written again.

:func:`resend` delivers failed, queued and (hard-copy) unknown entries again with the
contacts' current data, as BC's Resend with "Update Merge Fields" does (but without
logging new entries). Every delivery holds its logged segment's claim
(:mod:`.claim`), so two can never send the same entries at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.services.delivery.claim import HeldClaim, delivery_claim
from segment_tui.services.delivery.outcomes import most_used_folder
from segment_tui.services.delivery.report import DeliveryReport
from segment_tui.services.delivery.run import (
    BATCH,
    DeliveryRun,
    Progress,
    default_out_dir,
)
from segment_tui.services.documents.merge_sources import entry_sources

__all__ = [
    "BATCH",
    "NOTHING_TO_SEND",
    "DeliveryReport",
    "default_out_dir",
    "deliver_entry",
    "deliver_logged_segment",
    "resend",
    "resend_logged_segment",
]

NOTHING_TO_SEND = (
    "There is nothing to send. Only entries whose delivery failed or did not finish are "
    "sent again (delivered entries only when asked); canceled entries and entries without "
    "a correspondence type are never sent."
)


def _logged_segment(entry_no: int) -> LoggedSegment:
    from segment_tui.services.log.logged_segments import get_logged

    return get_logged(entry_no)


def _deliver(
    condition: Any,
    report: DeliveryReport,
    out_dir: Path | None,
    pdf: bool | None,
    on_progress: Progress | None,
    claim: HeldClaim,
    *,
    combined: bool = True,
) -> DeliveryReport:
    """Deliver the queued entries matching ``condition`` under ``claim``."""
    sources = entry_sources(condition & (InteractionLogEntry.delivery_status == "in_progress"))
    if out_dir is None:
        # A resend goes where the letters went before.
        out_dir = most_used_folder(claim.entries())
    DeliveryRun(claim, report, out_dir, pdf, combined=combined).run(sources, on_progress)
    report.unknown_entries = _unknown(condition)
    return report


def _unknown(condition: Any) -> list[int]:
    return [
        int(row[0])
        for row in tuples(
            InteractionLogEntry.select(InteractionLogEntry.entry_no)
            .where(condition & (InteractionLogEntry.delivery_status == "unknown"))
            .order_by(InteractionLogEntry.entry_no)
        )
    ]


def deliver_logged_segment(
    entry_no: int,
    out_dir: Path | None = None,
    *,
    pdf: bool | None = None,
    on_progress: Progress | None = None,
) -> DeliveryReport:
    """Deliver the queued entries of logged segment ``entry_no``.

    ``out_dir``: folder for hard copies (default :func:`default_out_dir`); ``pdf``: make
    PDFs (default: when LibreOffice is installed); ``on_progress(done, total)`` is called
    after every batch.
    """
    logged = _logged_segment(entry_no)
    with delivery_claim(logged.entry_no) as claim:
        report = DeliveryReport(logged.segment_no, logged.entry_no)
        mine = InteractionLogEntry.logged_segment_entry_no == logged.entry_no
        return _deliver(mine, report, out_dir, pdf, on_progress, claim)


def _entry_report(entry_no: int) -> DeliveryReport:
    return DeliveryReport("", None, title=f"Interaction Log Entry {entry_no}")


def deliver_entry(
    entry_no: int,
    out_dir: Path | None = None,
    *,
    pdf: bool | None = None,
    on_progress: Progress | None = None,
) -> DeliveryReport:
    """Deliver the queued letter of an interaction that belongs to no logged segment
    (Create Interaction), under the entry's own claim
    (:mod:`.entry_claim`); without ``out_dir`` a hard copy goes to
    :func:`.run.interactions_out_dir`."""
    from segment_tui.services.delivery.entry_claim import entry_delivery_claim

    with entry_delivery_claim(entry_no) as claim:
        report = _entry_report(entry_no)
        mine = InteractionLogEntry.entry_no == entry_no
        return _deliver(mine, report, out_dir, pdf, on_progress, claim, combined=False)


def _resend_entry(
    entry_no: int,
    *,
    include_delivered: bool,
    include_unknown: bool,
    out_dir: Path | None,
    pdf: bool | None,
    on_progress: Progress | None,
) -> DeliveryReport:
    """:func:`resend` of an entry that belongs to no logged segment."""
    from segment_tui.services.delivery.entry_claim import entry_delivery_claim

    chosen = InteractionLogEntry.entry_no == entry_no
    with entry_delivery_claim(entry_no) as claim:
        condition = chosen & resendable(
            include_delivered=include_delivered, include_unknown=include_unknown
        )
        if not _queue(condition):
            raise _nothing_to_send(chosen)
        report = _entry_report(entry_no)
        return _deliver(chosen, report, out_dir, pdf, on_progress, claim, combined=False)


def resendable(*, include_delivered: bool = False, include_unknown: bool = False) -> Any:
    """The entries a Resend sends: failed and queued ones, hard copies whose outcome is
    unknown, e-mails whose outcome is unknown with ``include_unknown``, and with
    ``include_delivered`` every entry (never canceled ones or ones without a type)."""
    entry = InteractionLogEntry
    condition = (entry.correspondence_type != "") & (entry.canceled == False)  # noqa: E712
    if include_delivered:
        return condition
    statuses = entry.delivery_status.in_(("error", "in_progress"))
    if include_unknown:
        statuses |= entry.delivery_status == "unknown"
    else:
        statuses |= (entry.delivery_status == "unknown") & (entry.correspondence_type != "email")
    return condition & statuses


def _queue(condition: Any) -> int:
    with write_transaction():
        return int(
            InteractionLogEntry.update(delivery_status="in_progress", delivery_error="")
            .where(condition)
            .execute()
        )


def _nothing_to_send(condition: Any) -> UserError:
    """BC's "nothing to send", saying so when unknown e-mails are held back."""
    held = _unknown(condition & (InteractionLogEntry.correspondence_type == "email"))
    if not held:
        return UserError(NOTHING_TO_SEND)
    numbers = ", ".join(str(n) for n in held[:10]) + (" …" if len(held) > 10 else "")
    return UserError(
        f"There is nothing to send. {len(held)} e-mail{'s' if len(held) != 1 else ''} "
        f"(entries {numbers}) {'have' if len(held) != 1 else 'has'} delivery status Unknown: "
        "a delivery stopped while sending them, so they may have gone out. Check with the "
        "recipients; resend them only if they did not arrive (--include-unknown)."
    )


def resend(
    entry_nos: Sequence[int],
    *,
    include_delivered: bool = False,
    include_unknown: bool = False,
    out_dir: Path | None = None,
    pdf: bool | None = None,
    on_progress: Progress | None = None,
) -> DeliveryReport:
    """Deliver interaction log entries again: failed and unfinished ones (see
    :func:`resendable`); ``include_unknown`` adds e-mails whose outcome is unknown (they
    may be received twice), ``include_delivered`` every entry.

    The entries must belong to one logged segment (BC's rule). Entries that are not
    sent are counted as skipped; when none is left, BC's "There is nothing to send."
    """
    numbers = list(dict.fromkeys(entry_nos))
    if not numbers:
        raise UserError("Select at least one interaction log entry.")
    rows = {
        number: (logged, segment)
        for number, logged, segment in tuples(
            InteractionLogEntry.select(
                InteractionLogEntry.entry_no,
                InteractionLogEntry.logged_segment_entry_no,
                InteractionLogEntry.segment_no,
            ).where(InteractionLogEntry.entry_no.in_(numbers))
        )
    }
    for number in numbers:
        if number not in rows:
            raise NotFoundError(
                "The Interaction Log Entry does not exist. Identification fields and values: "
                f"Entry No.='{number}'"
            )
    if len({logged for logged, _ in rows.values()}) > 1:
        raise UserError("The interaction log entries must always be from the same Logged Segment.")
    logged_no, segment_no = rows[numbers[0]]
    if logged_no is None and segment_no:
        raise UserError(
            f"The logged segment of Interaction Log Entry {numbers[0]} has been deleted; "
            "its documents cannot be sent again."
        )
    if logged_no is None:
        # An interaction created on its own (Create Interaction: no segment, no logged
        # segment) is delivered under its own claim, one entry at a time.
        if len(numbers) > 1:
            raise UserError(
                "The interaction log entries must always be from the same Logged Segment. "
                "Entries without a logged segment are resent one at a time."
            )
        return _resend_entry(
            numbers[0],
            include_delivered=include_delivered,
            include_unknown=include_unknown,
            out_dir=out_dir,
            pdf=pdf,
            on_progress=on_progress,
        )
    chosen = InteractionLogEntry.entry_no.in_(numbers)
    with delivery_claim(logged_no) as claim:
        condition = chosen & resendable(
            include_delivered=include_delivered, include_unknown=include_unknown
        )
        queued = _queue(condition)
        if not queued:
            raise _nothing_to_send(chosen)
        report = DeliveryReport(segment_no, logged_no, skipped=len(numbers) - queued)
        return _deliver(chosen, report, out_dir, pdf, on_progress, claim)


def resend_logged_segment(
    entry_no: int,
    *,
    include_delivered: bool = False,
    include_unknown: bool = False,
    out_dir: Path | None = None,
    pdf: bool | None = None,
    on_progress: Progress | None = None,
) -> DeliveryReport:
    """:func:`resend` for every entry of logged segment ``entry_no``."""
    logged = _logged_segment(entry_no)
    mine = InteractionLogEntry.logged_segment_entry_no == logged.entry_no
    with delivery_claim(logged.entry_no) as claim:
        condition = mine & resendable(
            include_delivered=include_delivered, include_unknown=include_unknown
        )
        if not _queue(condition):
            raise _nothing_to_send(mine)
        report = DeliveryReport(logged.segment_no, logged.entry_no)
        return _deliver(mine, report, out_dir, pdf, on_progress, claim)
