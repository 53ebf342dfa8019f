"""Deliver the documents of a logged segment (Log with Send, bc-segments §6 step 9, §7).

Log marks the entries to deliver In Progress and commits; delivery runs afterwards, so
a failed delivery never undoes the log. For every In Progress entry of the logged
segment the entry's Word document is merged with the entry's values
(:mod:`.merge_values`), then:

* **Hard Copy**: one .docx per contact in the output folder, named as BC names them
  ("<Company Name> - <Contact Name>.docx", made safe for any file system and never
  overwriting a file), one combined ``Segment <No>.docx`` for printing (a page per
  letter), and PDFs of all of them when LibreOffice is installed (one conversion run).
* **E-mail**: one message per entry over SMTP (:mod:`.delivery_mail`) to the contact's
  e-mail, subject = the entry's subject (else its description), with the merged .docx
  attached as "<Subject>.docx" (or "Attachment.docx") — or, with Send Word Doc. as
  Attmt. off, the merged document's text as the message body.

Each entry then records the outcome: delivered → status blank, the merged document
stored as an attachment (``delivered_attachment_no``), the time and, for a hard copy,
the file; failed → status Error and the reason (``delivery_error``). Results are
committed per batch of entries, so a delivery killed half-way keeps what was done and
leaves the rest In Progress; :func:`resend` delivers failed (and unfinished) entries
again, with the contacts' current data, as BC's Resend with "Update Merge Fields" does
(but without logging new entries). Every delivery holds its logged segment's claim
(:mod:`.delivery_claim`) so two can never send the same entries at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segment_tui.db import data_dir, tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.merge import MergeValue
from segment_tui.models import Attachment, InteractionLogEntry, LoggedSegment
from segment_tui.services.delivery_claim import Claim, delivery_claim
from segment_tui.services.delivery_files import (
    FileNamer,
    convert_to_pdf,
    letter_stem,
    safe_stem,
    soffice_path,
)
from segment_tui.services.delivery_mail import (
    ConnectionFailed,
    MailError,
    MailSender,
    SmtpSettings,
    build_message,
)
from segment_tui.services.delivery_report import DeliveryReport
from segment_tui.services.merge_preview import NO_DOCUMENT, DocumentCache
from segment_tui.services.merge_values import MergeData, MergeSource, entry_sources

__all__ = [
    "DeliveryReport",
    "default_out_dir",
    "deliver_logged_segment",
    "resend",
    "resend_logged_segment",
]

BATCH = 500
"""Entries merged, sent and recorded per transaction."""

Progress = Callable[[int, int], None]


def default_out_dir(segment_no: str) -> Path:
    """Where hard copies go without ``--out``: a folder per segment in the data dir."""
    return data_dir() / "deliveries" / safe_stem(f"Segment {segment_no}")


@dataclass
class _Outcome:
    entry_no: int
    error: str = ""
    document: bytes | None = None
    document_name: str = ""
    file: str = ""


class _Delivery:
    """One delivery run: shared caches, the file namer and the SMTP session."""

    def __init__(self, report: DeliveryReport, out_dir: Path | None, pdf: bool | None) -> None:
        self.report = report
        self.out_dir = out_dir
        self.pdf = soffice_path() is not None if pdf is None else pdf
        self.cache = DocumentCache()
        self.namer: FileNamer | None = None
        self.folder_error = ""
        self.letters: list[Path] = []
        self.groups: dict[int, list[dict[str, MergeValue]]] = {}
        self.mail: MailSender | None = None
        self.mail_down = ""

    # -- hard copy -----------------------------------------------------------------

    def _folder(self) -> FileNamer | None:
        if self.namer is None and not self.folder_error:
            folder = self.out_dir or default_out_dir(self.report.segment_no)
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                self.folder_error = f"Cannot create the folder {folder}: {err.strerror or err}"
                return None
            self.report.out_dir = folder
            self.namer = FileNamer(folder)
        return self.namer

    def hard_copy(self, source: MergeSource, data: MergeData, out: _Outcome) -> None:
        namer = self._folder()
        if namer is None:
            out.error = self.folder_error
            return
        assert source.attachment_no is not None
        values = data.values(source)
        document = self.cache.get(source.attachment_no).merge(values).document
        contact = data.contacts[source.contact_no]
        person_at_company = contact["type"] == "person" and bool(contact["company_no"])
        path = namer.take(letter_stem(contact["company_name"], contact["name"], person_at_company))
        try:
            path.write_bytes(document)
        except OSError as err:
            out.error = f"Cannot write {path}: {err.strerror or err}"
            return
        self.letters.append(path)
        self.groups.setdefault(source.attachment_no, []).append(values)
        out.document, out.document_name, out.file = document, path.name, str(path)

    def finish_hard_copies(self) -> None:
        """The combined files for printing, then the PDFs of everything written."""
        if self.namer is None or not self.letters:
            return
        written: list[Path] = []
        for attachment_no, records in self.groups.items():
            path = self.namer.take(f"Segment {self.report.segment_no}")
            try:
                path.write_bytes(self.cache.get(attachment_no).merge_combined(records).document)
            except OSError as err:
                self.report.combined_error = f"Cannot write {path}: {err.strerror or err}"
                continue
            written.append(path)
        self.report.combined = written
        if self.pdf:
            assert self.report.out_dir is not None
            pdfs, error = convert_to_pdf([*self.letters, *written], self.report.out_dir)
            self.report.pdfs = len(pdfs)
            self.report.pdf_error = error

    # -- e-mail --------------------------------------------------------------------

    def email(self, source: MergeSource, data: MergeData, out: _Outcome) -> None:
        if self.mail_down:
            out.error = self.mail_down
            return
        contact = data.contacts[source.contact_no]
        recipient = contact["email"] or source.recipient
        if not recipient:
            out.error = (
                f"Make sure that the Email field is specified for contact no. {source.contact_no}."
            )
            return
        assert source.attachment_no is not None
        template = self.cache.get(source.attachment_no)
        values = data.values(source)
        document = template.merge(values).document
        subject = source.subject or source.description
        name = f"{safe_stem(source.subject)}.docx" if source.subject.strip() else "Attachment.docx"
        if self.mail is None:
            try:
                self.mail = MailSender(SmtpSettings.load())
                self.mail.connect()
            except MailError as err:  # not set up, or no connection: all e-mails fail alike
                self.mail_down = str(err)
                out.error = self.mail_down
                return
        if source.send_as_attachment:
            message = build_message(
                self.mail.settings, recipient, subject, attachment=document, attachment_name=name
            )
        else:
            message = build_message(
                self.mail.settings, recipient, subject, body=template.merge_text(values)
            )
        try:
            self.mail.send(message)
        except ConnectionFailed as err:
            self.mail_down = out.error = str(err)
            return
        except MailError as err:
            out.error = str(err)
            return
        out.document, out.document_name = document, name

    def close(self) -> None:
        if self.mail is not None:
            self.mail.close()

    # -- one entry -----------------------------------------------------------------

    def deliver(self, source: MergeSource, data: MergeData) -> _Outcome:
        assert source.entry_no is not None
        out = _Outcome(source.entry_no)
        try:
            if source.contact_no not in data.contacts:
                out.error = f"Contact {source.contact_no} does not exist."
            elif not source.attachment_no:
                out.error = NO_DOCUMENT
            elif source.correspondence_type == "hard_copy":
                self.hard_copy(source, data, out)
            elif source.correspondence_type == "email":
                self.email(source, data, out)
            else:
                out.error = "Correspondence Type must have a value in Interaction Log Entry."
        except UserError as err:
            out.error = str(err)
        if out.error:
            self.report.failed += 1
            self.report.errors[out.entry_no] = out.error
        elif source.correspondence_type == "hard_copy":
            self.report.files += 1
        else:
            self.report.emails += 1
        return out


def _record(outcomes: Sequence[_Outcome]) -> None:
    """Store the outcomes of one batch: documents as attachments, statuses, errors."""
    now = dt.datetime.now().replace(microsecond=0)
    with write_transaction():
        failures: dict[str, list[int]] = {}
        delivered = [out.entry_no for out in outcomes if not out.error]
        # A delivered-again entry replaces its previous document.
        replaced = [
            row[0]
            for row in tuples(
                InteractionLogEntry.select(InteractionLogEntry.delivered_attachment_no).where(
                    InteractionLogEntry.entry_no.in_(delivered)
                    & InteractionLogEntry.delivered_attachment_no.is_null(False)
                )
            )
        ]
        for out in outcomes:
            if out.error:
                failures.setdefault(out.error[:2000], []).append(out.entry_no)
                continue
            attachment_no = Attachment.insert(
                file_name=out.document_name[:250],
                file_extension="docx",
                content=out.document or b"",
                read_only=True,
                last_modified=now,
            ).execute()
            InteractionLogEntry.update(
                delivery_status="",
                delivery_error="",
                delivered_attachment_no=attachment_no,
                delivered_at=now,
                delivery_file=out.file,
            ).where(InteractionLogEntry.entry_no == out.entry_no).execute()
        for error, numbers in failures.items():
            InteractionLogEntry.update(delivery_status="error", delivery_error=error).where(
                InteractionLogEntry.entry_no.in_(numbers)
            ).execute()
        if replaced:
            used = InteractionLogEntry.select(InteractionLogEntry.delivered_attachment_no).where(
                InteractionLogEntry.delivered_attachment_no.in_(replaced)
            )
            Attachment.delete().where(
                Attachment.no.in_(replaced) & ~Attachment.no.in_(used)
            ).execute()


def _deliver(
    claim: Claim,
    sources: Sequence[MergeSource],
    report: DeliveryReport,
    out_dir: Path | None,
    pdf: bool | None,
    on_progress: Progress | None,
) -> DeliveryReport:
    run = _Delivery(report, out_dir, pdf)
    try:
        for start in range(0, len(sources), BATCH):
            claim.renew()  # still ours (and alive) before sending the next batch
            batch = sources[start : start + BATCH]
            data = MergeData.for_sources(batch)
            _record([run.deliver(source, data) for source in batch])
            if on_progress is not None:
                on_progress(start + len(batch), len(sources))
        run.finish_hard_copies()
    finally:
        run.close()
    return report


def _logged_segment(entry_no: int) -> LoggedSegment:
    from segment_tui.services.logged_segments import get_logged

    return get_logged(entry_no)


def deliver_logged_segment(
    entry_no: int,
    out_dir: Path | None = None,
    *,
    pdf: bool | None = None,
    on_progress: Progress | None = None,
) -> DeliveryReport:
    """Deliver the In Progress entries of logged segment ``entry_no``.

    ``out_dir``: folder for hard copies (default :func:`default_out_dir`); ``pdf``: make
    PDFs (default: when LibreOffice is installed); ``on_progress(done, total)`` is called
    after every batch.
    """
    logged = _logged_segment(entry_no)
    with delivery_claim(logged.entry_no) as claim:
        sources = entry_sources(
            (InteractionLogEntry.logged_segment_entry_no == logged.entry_no)
            & (InteractionLogEntry.delivery_status == "in_progress")
        )
        report = DeliveryReport(logged.segment_no, logged.entry_no)
        return _deliver(claim, sources, report, out_dir, pdf, on_progress)


NOTHING_TO_SEND = (
    "There is nothing to send. Only entries whose delivery failed or did not finish are "
    "sent again (delivered entries only when asked); canceled entries and entries without "
    "a correspondence type are never sent."
)


def _resendable(include_delivered: bool) -> Any:
    condition = (InteractionLogEntry.correspondence_type != "") & (
        InteractionLogEntry.canceled == False  # noqa: E712 - peewee expression
    )
    if not include_delivered:
        condition &= InteractionLogEntry.delivery_status.in_(("error", "in_progress"))
    return condition


def resend(
    entry_nos: Sequence[int],
    *,
    include_delivered: bool = False,
    out_dir: Path | None = None,
    pdf: bool | None = None,
    on_progress: Progress | None = None,
) -> DeliveryReport:
    """Deliver interaction log entries again: those with status Error (or still In
    Progress), and with ``include_delivered`` the delivered ones too.

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
    if logged_no is None:
        raise UserError(
            f"The logged segment of Interaction Log Entry {numbers[0]} has been deleted; "
            "its documents cannot be sent again."
        )
    condition = InteractionLogEntry.entry_no.in_(numbers) & _resendable(include_delivered)
    with delivery_claim(logged_no) as claim:
        with write_transaction():
            chosen = (
                InteractionLogEntry.update(delivery_status="in_progress").where(condition).execute()
            )
        if not chosen:
            raise UserError(NOTHING_TO_SEND)
        sources = entry_sources(
            InteractionLogEntry.entry_no.in_(numbers)
            & (InteractionLogEntry.delivery_status == "in_progress")
        )
        report = DeliveryReport(segment_no, logged_no, skipped=len(numbers) - len(sources))
        return _deliver(claim, sources, report, out_dir, pdf, on_progress)


def resend_logged_segment(
    entry_no: int,
    *,
    include_delivered: bool = False,
    out_dir: Path | None = None,
    pdf: bool | None = None,
    on_progress: Progress | None = None,
) -> DeliveryReport:
    """:func:`resend` for every entry of logged segment ``entry_no``."""
    logged = _logged_segment(entry_no)
    mine = InteractionLogEntry.logged_segment_entry_no == logged.entry_no
    with delivery_claim(logged.entry_no) as claim:
        with write_transaction():
            chosen = (
                InteractionLogEntry.update(delivery_status="in_progress")
                .where(mine & _resendable(include_delivered))
                .execute()
            )
        if not chosen:
            raise UserError(NOTHING_TO_SEND)
        report = DeliveryReport(logged.segment_no, logged.entry_no)
        sources = entry_sources(mine & (InteractionLogEntry.delivery_status == "in_progress"))
        return _deliver(claim, sources, report, out_dir, pdf, on_progress)
