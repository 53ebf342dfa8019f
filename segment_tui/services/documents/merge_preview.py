"""Merge a segment before logging it: one letter, all letters in combined files, or the
text of a letter for the terminal preview. Nothing is logged or stored.

Each line is merged with its own document - the one its ``attachment_no`` names, the
same one the template check checks and Log records (docs/word-documents.md). Lines that
share a document are combined into one file, a section per letter; when the lines use
several documents (several languages, a line's own document) each document gets its own
file **named by its language or line**: ``Segment S01 - ENU.docx``, ``Segment S01 -
DEU.docx``, ``Segment S01 - line 30000.docx`` (the letters of each file in line order).
Lines without a document are skipped and counted.

Combined files are written as the lines are read, in batches, so a segment of 100,000
lines merges in flat memory (:meth:`~segment_tui.merge.DocxTemplate.write_combined`).
With ``pdf`` the combined PDF is made too (:mod:`.merge_pdf`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from peewee import fn

from segment_tui.db import tuples
from segment_tui.errors import NotFoundError, UserError
from segment_tui.merge import DocxTemplate, MergeValue
from segment_tui.merge.limits import DocumentRefused, refused_at_merge
from segment_tui.models import Attachment, SegmentInteractionLanguage, SegmentLine
from segment_tui.private_files import open_private, private_folder, write_private
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.documents.merge_pdf import PdfReport, letters_to_pdf
from segment_tui.services.documents.merge_sources import MergeSource, line_sources
from segment_tui.services.documents.merge_values import MergeData, iter_segment_merge_values

NO_DOCUMENT = "You must select an interaction template with an attachment."


class DocumentCache:
    """Compiled Word documents by attachment number, each parsed once per run."""

    def __init__(self) -> None:
        """An empty cache."""
        self._templates: dict[int, DocxTemplate] = {}

    def get(self, attachment_no: int) -> DocxTemplate:
        """The compiled document; UserError (BC's message) when it is not a .docx."""
        template = self._templates.get(attachment_no)
        if template is None:
            row = Attachment.get_or_none(Attachment.no == attachment_no)
            if row is None:
                raise UserError(f"Attachment {attachment_no} does not exist.")
            try:
                template = DocxTemplate.from_bytes(bytes(row.content))
            except DocumentRefused as err:
                raise UserError(refused_at_merge(attachment_no, row.file_name, err)) from None
            except (ValueError, SyntaxError, KeyError):
                raise UserError(
                    f"Attachment {attachment_no} must have file extension doc or docx."
                ) from None
            self._templates[attachment_no] = template
        return template


class MergeOutputRecord(TypedDict):
    """What ``segment merge`` wrote, as JSON (paths as strings)."""

    paths: list[str]
    letters: int
    skipped: int
    unknown_fields: list[str]
    pdfs: list[str]
    pdf_failures: dict[str, str]


@dataclass(frozen=True)
class MergeOutput:
    """What :func:`merge_segment` wrote."""

    paths: list[Path]
    letters: int
    skipped: int = 0
    """Lines without a document."""
    unknown_fields: list[str] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    pdf_failures: dict[Path, str] = field(default_factory=dict)
    """Promised PDFs that could not be made, with the reason."""

    def as_record(self) -> MergeOutputRecord:
        """A JSON-ready dict."""
        return {
            "paths": [str(p) for p in self.paths],
            "letters": self.letters,
            "skipped": self.skipped,
            "unknown_fields": self.unknown_fields,
            "pdfs": [str(p) for p in self.pdfs],
            "pdf_failures": {str(p): reason for p, reason in self.pdf_failures.items()},
        }


@dataclass(frozen=True)
class DocumentGroup:
    """The lines of a segment that get one document."""

    attachment_no: int
    label: str
    """What tells the group's file apart: its language, ``line <n>`` for a line's own
    document, ``<template> <language>`` for lines with another template."""
    lines: int
    language_code: str = ""


def document_groups(
    segment_no: str, template_code: str | None = None
) -> tuple[list[DocumentGroup], int]:
    """The documents a segment's lines (with template ``template_code`` when given) get,
    in the order of their first line, and how many lines (with a contact) have none."""
    condition = (SegmentLine.segment_no == segment_no) & SegmentLine.contact_no.is_null(False)
    if template_code is not None:
        condition &= SegmentLine.interaction_template_code == template_code
    query = (
        SegmentLine.select(
            SegmentLine.attachment_no, fn.COUNT(SegmentLine.id), fn.MIN(SegmentLine.line_no)
        )
        .where(condition)
        .group_by(SegmentLine.attachment_no)
        .order_by(fn.MIN(SegmentLine.line_no))
    )
    counts = [(no, int(count)) for no, count, _ in tuples(query)]
    skipped = sum(count for no, count in counts if not no)
    numbers = [int(no) for no, _ in counts if no]
    rows = tuples(
        SegmentInteractionLanguage.select(
            SegmentInteractionLanguage.attachment_no,
            SegmentInteractionLanguage.segment_line_no,
            SegmentInteractionLanguage.language_code,
        ).where(
            (SegmentInteractionLanguage.segment_no == segment_no)
            & SegmentInteractionLanguage.attachment_no.in_(numbers)
        )
    )
    own: dict[int, tuple[int, str]] = {}
    for no, line_no, language in rows:
        if no not in own or line_no == 0:
            own[int(no)] = (int(line_no), language or "")
    templates = dict(
        tuples(
            SegmentLine.select(SegmentLine.line_no, SegmentLine.interaction_template_code).where(
                (SegmentLine.segment_no == segment_no)
                & SegmentLine.line_no.in_([ln for ln, _ in own.values() if ln])
            )
        )
    )
    header_template = get_header(segment_no).interaction_template_code or ""
    groups: list[DocumentGroup] = []
    for no, count in counts:
        if not no:
            continue
        line_no, language = own.get(int(no), (-1, ""))
        if line_no == 0:
            label = language or "no language"
        elif line_no > 0 and (templates.get(line_no) or "") != header_template:
            label = f"{templates.get(line_no) or ''} {language}".strip()
        elif line_no > 0:
            label = f"line {line_no}"
        else:
            label = f"document {no}"
        groups.append(DocumentGroup(int(no), label, count, language))
    return groups, skipped


def group_paths(out: Path, labels: Sequence[str]) -> list[Path]:
    """File names for combined files: ``out`` itself for one group, else ``out`` with
    `` - <label>`` (labels made unique and safe for file names)."""
    from segment_tui.services.delivery.files import safe_stem

    if len(labels) == 1:
        return [out]
    paths: list[Path] = []
    seen: set[str] = set()
    for label in labels:
        stem = safe_stem(f"{out.stem} - {label}")
        candidate, number = stem, 1
        while candidate.casefold() in seen:
            number += 1
            candidate = f"{stem} ({number})"
        seen.add(candidate.casefold())
        paths.append(out.with_name(candidate + out.suffix))
    return paths


def _write(path: Path, data: bytes) -> None:
    try:
        private_folder(path.parent)
        write_private(path, data)
    except OSError as err:
        raise UserError(f"Cannot write {path}: {err.strerror or err}", field="out") from None


def _line_source(segment_no: str, line_no: int) -> MergeSource:
    sources = line_sources(segment_no, [line_no])
    if not sources:
        raise NotFoundError(
            "The Segment Line does not exist or has no contact. Identification fields and "
            f"values: Segment No.='{segment_no}',Line No.='{line_no}'"
        )
    if not sources[0].attachment_no:
        raise UserError(f"{NO_DOCUMENT} Line {line_no} has no Word document.")
    return sources[0]


def _values(segment_no: str, attachment_no: int) -> Iterator[Mapping[str, MergeValue]]:
    for _, values in iter_segment_merge_values(segment_no, attachment_no=attachment_no):
        yield values


def write_combined_file(
    template: DocxTemplate,
    records: Iterable[Mapping[str, MergeValue]],
    path: Path,
    on_letter: Callable[[int], None] | None = None,
) -> tuple[int, frozenset[str]]:
    """Stream the combined document of ``records`` into ``path``, whole or not at all
    (via a temporary name); UserError naming the file when it cannot be written.
    Returns the letters written and the unknown fields."""
    try:
        private_folder(path.parent)
        with open_private(path) as out:
            result: tuple[int, frozenset[str]] = template.write_combined(
                records, out, on_letter=on_letter
            )
    except OSError as err:
        raise UserError(f"Cannot write {path}: {err.strerror or err}", field="out") from None
    return result


def merge_segment(
    segment_no: str,
    out: Path,
    line_no: int | None = None,
    *,
    pdf: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> MergeOutput:
    """Merge one line (``line_no``) into ``out``, or every line into combined files (one
    per document, see the module).

    ``out`` may be a folder: the file is then ``Segment <No>.docx`` (``… Line <N>.docx``).
    ``pdf``: also the PDF of each file (``<name>.pdf``); the PDFs that could not be made
    are listed in ``pdf_failures``. ``on_progress(done, total)`` reports letters merged
    (and then converted).
    """
    header = get_header(segment_no)
    if out.is_dir():
        suffix = f" Line {line_no}" if line_no is not None else ""
        out = out / f"Segment {header.no}{suffix}.docx"
    cache = DocumentCache()
    if line_no is not None:
        source = _line_source(header.no, line_no)
        values = MergeData.for_sources([source]).values(source)
        assert source.attachment_no is not None
        template = cache.get(source.attachment_no)
        result = template.merge(values)
        _write(out, result.document)
        report = PdfReport()
        if pdf:
            report = letters_to_pdf(template, [values], combined=out.with_suffix(".pdf"))
        return MergeOutput([out], 1, 0, sorted(result.unknown_fields), report.made, report.failed)
    groups, skipped = document_groups(header.no)
    if not groups:
        raise UserError(f"{NO_DOCUMENT} No line of segment {header.no} has a Word document.")
    total = sum(g.lines for g in groups)
    paths = group_paths(out, [g.label for g in groups])
    unknown: set[str] = set()
    letters = 0
    for group, path in zip(groups, paths, strict=True):
        template = cache.get(group.attachment_no)
        done = letters

        def progress(n: int, done: int = done) -> None:
            if on_progress is not None and (n % 500 == 0 or done + n == total):
                on_progress(done + n, total)

        count, group_unknown = write_combined_file(
            template, _values(header.no, group.attachment_no), path, progress
        )
        unknown |= group_unknown
        letters += count
    report = PdfReport()
    if pdf:
        for group, path in zip(groups, paths, strict=True):
            report.merge(
                letters_to_pdf(
                    cache.get(group.attachment_no),
                    _values(header.no, group.attachment_no),
                    combined=path.with_suffix(".pdf"),
                )
            )
    return MergeOutput(paths, letters, skipped, sorted(unknown), report.made, report.failed)


def preview_line_document(segment_no: str, line_no: int) -> bytes:
    """The merged letter of one line as .docx bytes."""
    header = get_header(segment_no)
    source = _line_source(header.no, line_no)
    assert source.attachment_no is not None
    values = MergeData.for_sources([source]).values(source)
    return DocumentCache().get(source.attachment_no).merge(values).document


def preview_line_text(segment_no: str, line_no: int) -> str:
    """The merged letter of one line as plain text (header, body, footer), for the TUI."""
    header = get_header(segment_no)
    source = _line_source(header.no, line_no)
    assert source.attachment_no is not None
    values = MergeData.for_sources([source]).values(source)
    return DocumentCache().get(source.attachment_no).merge_text(values)
