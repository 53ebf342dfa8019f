"""The outcome of a delivery (:mod:`.deliver`): counts, the output folder, the errors
of the entries that failed, the promised files that are missing, a summary for people
and a record for JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict


class EntryError(TypedDict):
    """Why one entry's delivery failed."""

    entry_no: int
    error: str


class DeliveryReportRecord(TypedDict):
    """A delivery report as JSON (``--json`` of Log with Send, Resend, Create Interaction)."""

    segment_no: str
    logged_segment_entry_no: int | None
    out_dir: str | None
    files: int
    emails: int
    failed: int
    pdfs: int
    skipped: int
    combined: list[str]
    errors: list[EntryError]
    missing_files: dict[str, str]
    unknown: int
    unknown_entries: list[int]
    summary: str


@dataclass
class DeliveryReport:
    """What a delivery did."""

    segment_no: str
    logged_segment_entry_no: int | None
    out_dir: Path | None = None
    """The folder of the hard-copy documents (None when there were none)."""
    files: int = 0
    """Hard-copy letters written (one per contact; the combined files not counted)."""
    emails: int = 0
    failed: int = 0
    pdfs: int = 0
    """PDFs made (the print files' and the letters')."""
    skipped: int = 0
    """Entries asked for but not sent (delivered already, canceled, no correspondence type)."""
    combined: list[Path] = field(default_factory=list)
    """The print files written (one per Word document, see :mod:`.print_files`)."""
    errors: dict[int, str] = field(default_factory=dict)
    """Entry no. → why its delivery failed."""
    missing_files: dict[Path, str] = field(default_factory=dict)
    """Promised files that were not made (print files, PDFs), each with the reason. The
    letters are delivered all the same; a delivery with missing files is incomplete."""
    unknown_entries: list[int] = field(default_factory=list)
    """Entries whose delivery status is Unknown afterwards: a delivery stopped (or the
    connection broke) while sending them, so they may have gone out. They are not sent
    again unless asked (``--include-unknown``)."""
    title: str = ""
    """What was delivered, when it is not a segment ("Interaction Log Entry 12")."""

    @property
    def delivered(self) -> int:
        """Entries delivered (letters written plus e-mails sent)."""
        return self.files + self.emails

    @property
    def incomplete(self) -> bool:
        """True when something promised did not happen: a delivery failed, an entry's
        outcome is unknown or a promised file is missing (the commands exit 1)."""
        return bool(self.failed or self.unknown_entries or self.missing_files)

    @property
    def summary(self) -> str:
        """The outcome in a few lines, for people."""
        lines: list[str] = []
        if self.files:
            combined = ", ".join(p.name for p in self.combined)
            lines.append(
                f"{_count(self.files, 'letter')} written to {self.out_dir}"
                + (f" (for printing: {combined})" if combined else "")
            )
        if self.pdfs:
            lines.append(f"{_count(self.pdfs, 'PDF')} made with LibreOffice")
        if self.missing_files:
            lines.append(f"{_count(len(self.missing_files), 'file')} not made:")
            for path, reason in list(self.missing_files.items())[:10]:
                lines.append(f"  {path.name}: {reason}")
            if len(self.missing_files) > 10:
                lines.append(f"  … and {len(self.missing_files) - 10} more")
        if self.emails:
            lines.append(f"{_count(self.emails, 'e-mail')} sent")
        if self.skipped:
            lines.append(f"{_count(self.skipped, 'entry', 'entries')} skipped")
        if self.failed:
            lines.append(
                f"{_count(self.failed, 'delivery', 'deliveries')} failed "
                "(status Error; they can be resent once the cause is fixed):"
            )
            lines += _error_lines(self.errors)
        if self.unknown_entries:
            numbers = ", ".join(str(n) for n in self.unknown_entries[:10])
            extra = len(self.unknown_entries) - 10
            more = f" and {extra} more" if extra > 0 else ""
            lines.append(
                f"{_count(len(self.unknown_entries), 'entry', 'entries')} with delivery status "
                f"Unknown (may have gone out; not sent again unless asked with "
                f"--include-unknown): {numbers}{more}"
            )
        head = self.title or f"Segment {self.segment_no}"
        if self.logged_segment_entry_no is not None:
            head += f" (logged segment {self.logged_segment_entry_no})"
        if not lines:
            return f"{head}: nothing to deliver."
        return "\n  ".join([f"{head}:", *lines])

    def as_record(self) -> DeliveryReportRecord:
        """A JSON-ready dict (paths as strings)."""
        return {
            "segment_no": self.segment_no,
            "logged_segment_entry_no": self.logged_segment_entry_no,
            "out_dir": str(self.out_dir) if self.out_dir else None,
            "files": self.files,
            "emails": self.emails,
            "failed": self.failed,
            "pdfs": self.pdfs,
            "skipped": self.skipped,
            "combined": [str(p) for p in self.combined],
            "errors": [{"entry_no": n, "error": e} for n, e in self.errors.items()],
            "missing_files": {str(p): reason for p, reason in self.missing_files.items()},
            "unknown": len(self.unknown_entries),
            "unknown_entries": list(self.unknown_entries),
            "summary": self.summary,
        }


def _count(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _error_lines(errors: dict[int, str], shown: int = 10) -> list[str]:
    """One line per distinct error with the entries it hit: a server that is down fails
    every entry with the same message, which must read once, not once per entry."""
    by_error: dict[str, list[int]] = {}
    for entry_no, error in errors.items():
        by_error.setdefault(error, []).append(entry_no)
    lines: list[str] = []
    for error, numbers in list(by_error.items())[:shown]:
        if len(numbers) == 1:
            lines.append(f"  entry {numbers[0]}: {error}")
            continue
        listed = ", ".join(str(n) for n in numbers[:5])
        more = f" … ({len(numbers):,} entries)" if len(numbers) > 5 else ""
        lines.append(f"  entries {listed}{more}: {error}")
    if len(by_error) > shown:
        others = sum(len(numbers) for numbers in list(by_error.values())[shown:])
        lines.append(f"  … and {_count(others, 'more entry', 'more entries')} with other errors")
    return lines
