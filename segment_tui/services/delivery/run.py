"""One delivery run: each entry through queued → sending → sent / error (``docs/delivery.md``).

For every entry the run first prepares everything that has no effect outside the
database (merges the letter, picks the file name, connects to the SMTP server, builds
the message), then commits ``sending`` — together with the outcome of the entry before,
one transaction per entry — and only then writes the file or sends the message. Its
outcome is committed with the next entry's ``sending`` (or at the end). So whatever
instant the process dies at, an entry is in one of three states: still queued (nothing
happened), ``sending`` (it may have happened: shown as *unknown*), or sent/error (known).

Hard copies are idempotent: a letter keeps its file name from the first attempt, is
written whole (:func:`.files.write_atomically`), and the print files (one per
document, and their PDFs) are rebuilt whole from every letter of the logged segment in
the folder (:mod:`.print_files`). Outcomes are stored by :mod:`.outcomes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from peewee import fn

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import UserError
from segment_tui.models import InteractionLogEntry
from segment_tui.private_files import private_folder
from segment_tui.services.delivery.body import attachment_note, letter_html
from segment_tui.services.delivery.claim import HeldClaim
from segment_tui.services.delivery.files import (
    FileNamer,
    letter_stem,
    safe_stem,
    write_atomically,
)
from segment_tui.services.delivery.mail import (
    ConnectionFailed,
    DeliveryUncertain,
    MailError,
    MailSender,
    SmtpSettings,
    build_message,
)
from segment_tui.services.delivery.outcomes import Outcome, record_outcomes
from segment_tui.services.delivery.print_files import PrintFiles
from segment_tui.services.delivery.report import DeliveryReport
from segment_tui.services.documents.merge_pdf import soffice_path
from segment_tui.services.documents.merge_preview import NO_DOCUMENT, DocumentCache
from segment_tui.services.documents.merge_sources import MergeSource
from segment_tui.services.documents.merge_values import MergeData

BATCH = 500
"""Entries whose merge data is read at once."""

Progress = Callable[[int, int], None]

_CLAIM_RENEW = dt.timedelta(seconds=30)
"""How often the claim's time is renewed (the claim itself is checked every entry)."""


def default_out_dir(segment_no: str) -> Path:
    """Where hard copies go without ``--out``: a folder per segment in the data dir."""
    from segment_tui.paths import data_dir

    return data_dir() / "deliveries" / safe_stem(f"Segment {segment_no}")


def interactions_out_dir() -> Path:
    """Where the letters of interactions created one by one (Create Interaction) go
    without ``--out``: one folder in the data dir, beside the segments' folders."""
    from segment_tui.paths import data_dir

    return data_dir() / "deliveries" / "Interactions"


@dataclass
class _Step:
    """An entry ready for its side effect (everything before it is done)."""

    source: MergeSource
    document: bytes
    document_name: str
    path: Path | None = None
    message: EmailMessage | None = None
    outcome: Outcome = field(init=False)

    def __post_init__(self) -> None:
        assert self.source.entry_no is not None
        self.outcome = Outcome(self.source.entry_no)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class DeliveryRun:
    """Delivers the given entries of one logged segment under its claim."""

    def __init__(
        self,
        claim: HeldClaim,
        report: DeliveryReport,
        out_dir: Path | None,
        pdf: bool | None,
        *,
        combined: bool = True,
    ) -> None:
        """``combined``: also write the print files (a logged segment's letters; a
        single interaction's letter needs none, only its PDF)."""
        self.claim = claim
        self.combined = combined
        self.report = report
        self.out_dir = out_dir
        self.pdf = soffice_path() is not None if pdf is None else pdf
        self.cache = DocumentCache()
        self.namer: FileNamer | None = None
        self.prints: PrintFiles | None = None
        self.folder_error = ""
        self.earlier_files: dict[int, str] = {}
        self.letters: list[Path] = []
        self.mail: MailSender | None = None
        self.mail_down = ""
        self.last_renewal = _utc_now()

    # -- hard copy -----------------------------------------------------------------

    def _folder(self) -> FileNamer | None:
        if self.namer is None and not self.folder_error:
            default = default_out_dir(self.report.segment_no) if self.combined else None
            folder = (self.out_dir or default or interactions_out_dir()).absolute()
            try:
                private_folder(folder)
            except OSError as err:
                self.folder_error = f"Cannot create the folder {folder}: {err.strerror or err}"
                return None
            self.report.out_dir = folder
            self.namer = FileNamer(folder)
            self.prints = PrintFiles(
                self.claim.entries(), self.report.segment_no, folder, combined=self.combined
            )
            for path in self.prints.paths:  # no letter takes a print file's name
                self.namer.reserve(path)
            for name in self._files_in(folder).values():
                self.namer.reserve(Path(name))
        return self.namer

    def _files_in(self, folder: Path) -> dict[int, str]:
        """Entry → file of the claimed entries' letters named in ``folder`` already."""
        found: dict[int, str] = {}
        for entry_no, name in tuples(
            InteractionLogEntry.select(
                InteractionLogEntry.entry_no, InteractionLogEntry.delivery_file
            ).where(self.claim.entries() & (InteractionLogEntry.delivery_file != ""))
        ):
            if Path(name).parent == folder:
                found[int(entry_no)] = str(name)
        self.earlier_files = found
        return found

    def _prepare_hard_copy(self, source: MergeSource, data: MergeData) -> _Step | str:
        namer = self._folder()
        if namer is None:
            return self.folder_error
        assert source.attachment_no is not None and source.entry_no is not None
        document = self.cache.get(source.attachment_no).merge(data.values(source)).document
        earlier = self.earlier_files.get(source.entry_no)
        if earlier:
            path = Path(earlier)  # the same name as before: the file is replaced, not copied
        else:
            contact = data.contacts[source.contact_no]
            at_company = contact["type"] == "person" and bool(contact["company_no"])
            path = namer.take(letter_stem(contact["company_name"], contact["name"], at_company))
        return _Step(source, document, path.name, path=path)

    # -- e-mail --------------------------------------------------------------------

    def _prepare_email(self, source: MergeSource, data: MergeData) -> _Step | str:
        if self.mail_down:
            return self.mail_down
        contact = data.contacts[source.contact_no]
        recipient = contact["email"] or source.recipient
        if not recipient:
            return (
                f"Make sure that the Email field is specified for contact no. {source.contact_no}."
            )
        if self.mail is None:
            try:
                self.mail = MailSender(SmtpSettings.load())
                self.mail.connect()
            except MailError as err:  # not set up, or no connection: all e-mails fail alike
                self.mail_down = str(err)
                return self.mail_down
        assert source.attachment_no is not None
        template = self.cache.get(source.attachment_no)
        values = data.values(source)
        document = template.merge(values).document
        subject = source.subject or source.description
        name = f"{safe_stem(source.subject)}.docx" if source.subject.strip() else "Attachment.docx"
        settings = self.mail.settings
        if source.send_as_attachment:
            message = build_message(
                settings,
                recipient,
                subject,
                body=attachment_note(values, name),
                attachment=document,
                attachment_name=name,
            )
        else:
            message = build_message(
                settings,
                recipient,
                subject,
                body=template.merge_text(values),
                html=letter_html(document, subject),
            )
        return _Step(source, document, name, message=message)

    # -- one entry -----------------------------------------------------------------

    def prepare(self, source: MergeSource, data: MergeData) -> _Step | str:
        """Everything before the side effect; the error text when the entry cannot go."""
        try:
            if source.contact_no not in data.contacts:
                return f"Contact {source.contact_no} does not exist."
            if not source.attachment_no:
                return NO_DOCUMENT
            if source.correspondence_type == "hard_copy":
                return self._prepare_hard_copy(source, data)
            if source.correspondence_type == "email":
                return self._prepare_email(source, data)
            return "Correspondence Type must have a value in Interaction Log Entry."
        except UserError as err:
            return str(err)

    def perform(self, step: _Step) -> Outcome:
        """The side effect: write the letter or send the message."""
        out = step.outcome
        if step.path is not None:
            try:
                write_atomically(step.path, step.document)
            except OSError as err:
                out.status, out.error = "error", f"Cannot write {step.path}: {err.strerror or err}"
                return out
            self.letters.append(step.path)
            out.file = str(step.path)
        else:
            assert self.mail is not None and step.message is not None
            try:
                self.mail.send(step.message)
            except DeliveryUncertain as err:
                out.status, out.error = "unknown", str(err)
                return out
            except ConnectionFailed as err:
                self.mail_down = out.error = str(err)
                out.status = "error"
                return out
            except MailError as err:
                out.status, out.error = "error", str(err)
                return out
        out.document, out.document_name = step.document, step.document_name
        return out

    def _count(self, out: Outcome, kind: str) -> None:
        if out.status == "error":
            self.report.failed += 1
            self.report.errors[out.entry_no] = out.error
        elif out.status == "unknown":
            self.report.unknown_entries.append(out.entry_no)
        elif kind == "hard_copy":
            self.report.files += 1
        else:
            self.report.emails += 1

    # -- the state changes ---------------------------------------------------------

    def commit(self, outcomes: list[Outcome], sending: _Step | None) -> bool:
        """One transaction: record ``outcomes`` (the list is emptied once they are
        stored), then mark ``sending`` as Sending (with its file name). False when that
        entry is no longer queued (skip it). Raises when the claim was taken over (after
        recording the outcomes: they happened)."""
        now = dt.datetime.now().replace(microsecond=0)
        marked = False
        ours = True
        with write_transaction():
            record_outcomes(outcomes, now)
            if _utc_now() - self.last_renewal > _CLAIM_RENEW:
                ours = self.claim.renew_in_transaction()
                self.last_renewal = _utc_now()
            if ours and sending is not None:
                # Marked only while the claim is still this run's (one statement).
                marked = bool(
                    InteractionLogEntry.update(
                        delivery_status="sending",
                        delivery_error="",
                        delivery_file=str(sending.path) if sending.path else "",
                    )
                    .where(
                        (InteractionLogEntry.entry_no == sending.outcome.entry_no)
                        & (InteractionLogEntry.delivery_status == "in_progress")
                        & fn.EXISTS(self.claim.held())
                    )
                    .execute()
                )
                if not marked:
                    ours = bool(self.claim.held().exists())
        outcomes.clear()
        if not ours:
            raise self.claim.lost()
        return marked

    def run(self, sources: Sequence[MergeSource], on_progress: Progress | None) -> None:
        """Deliver ``sources`` (queued entries, in entry order), then the combined files."""
        pending: list[Outcome] = []
        try:
            for start in range(0, len(sources), BATCH):
                batch = sources[start : start + BATCH]
                data = MergeData.for_sources(batch)
                for source in batch:
                    assert source.entry_no is not None
                    step = self.prepare(source, data)
                    if isinstance(step, str):
                        failed = Outcome(source.entry_no, "error", step)
                        self._count(failed, source.correspondence_type)
                        pending.append(failed)
                        continue
                    if not self.commit(pending, step):
                        self.report.skipped += 1
                        continue
                    pending.append(self.perform(step))
                    self._count(pending[-1], source.correspondence_type)
                if on_progress is not None:
                    on_progress(start + len(batch), len(sources))
            self.commit(pending, None)
        finally:
            if self.mail is not None:
                self.mail.close()
            if pending:  # stopped by an error: still record what did happen
                self.commit(pending, None)
        self.finish_hard_copies()

    # -- the print files -----------------------------------------------------------

    def finish_hard_copies(self) -> None:
        """Rebuild the print files (and the PDFs) from every letter of the logged segment
        in the folder, when this run wrote letters."""
        if self.namer is None or self.prints is None or not self.letters:
            return
        made = self.prints.rebuild(self._files_in(self.namer.folder), self.cache, pdf=self.pdf)
        self.report.combined = made.files
        self.report.pdfs = len(made.pdfs)
        self.report.missing_files.update(made.missing)
