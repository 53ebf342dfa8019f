"""The files for printing of a hard-copy delivery: combined letters and PDFs, made the way
``segment merge`` makes them (docs/delivery.md, docs/word-documents.md).

The letters a delivery wrote into a folder are combined **per Word document** the entries
were logged with: one file per document, letters in line order (entries are logged in
line order), named as :func:`segment_tui.services.documents.merge_preview.group_paths` names
segment merge's files —
``Segment S01.docx`` when there is one document, else ``Segment S01 - ENU.docx``,
``Segment S01 - DEU.docx`` … — and written by segment merge's streaming writer
(:func:`segment_tui.services.documents.merge_preview.write_combined_file`). The groups and their
names come from the
entries alone (not from which letters happened to succeed), so every delivery of a logged
segment uses the same names, and each rebuild writes every file whole from every letter
of the logged segment in the folder: a resend never leaves a `` (2)`` print file or an
old one holding letters twice.

PDFs come from :func:`segment_tui.services.documents.merge_pdf.letters_to_pdf`: LibreOffice
converts the letters in
chunks, pypdf joins the chunks into each print file's PDF and cuts each letter's PDF
from its chunk, so no letter is converted twice. Every PDF that could not be made is
reported by file with the reason.

An interaction created on its own (Create Interaction, docs/interactions.md) is one
letter: it gets its letter's PDF the same way, but no print file (``combined=False``).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import fn

from segment_tui.db import chunked, tuples
from segment_tui.errors import UserError
from segment_tui.merge import MergeValue
from segment_tui.models import Contact, InteractionLogEntry
from segment_tui.services.delivery.files import safe_stem
from segment_tui.services.documents.merge_pdf import letters_to_pdf
from segment_tui.services.documents.merge_preview import (
    DocumentCache,
    DocumentGroup,
    group_paths,
    write_combined_file,
)
from segment_tui.services.documents.merge_sources import MergeSource, entry_sources
from segment_tui.services.documents.merge_values import MergeData


def print_groups(entries: Any) -> list[DocumentGroup]:
    """The documents the hard-copy entries matching ``entries`` (a condition: a logged
    segment's, a delivery claim's) were logged with, in the order
    of their first entry, labelled as segment merge labels them, from what the entries
    recorded: the language (``<template> <language>`` for entries of another template
    than the one most entries have). When documents would share a label (a line's own
    document in the language of the template's), the one most entries use keeps it and
    each other is named ``entry <n>`` after its first entry: a logged segment no longer
    has line numbers."""
    entry = InteractionLogEntry
    counts = [
        (int(no), int(count), int(first))
        for no, count, first in tuples(
            entry.select(entry.attachment_no, fn.COUNT(entry.entry_no), fn.MIN(entry.entry_no))
            .where(
                entries
                & (entry.correspondence_type == "hard_copy")
                & entry.attachment_no.is_null(False)
            )
            .group_by(entry.attachment_no)
            .order_by(fn.MIN(entry.entry_no))
        )
    ]
    firsts: dict[int, tuple[str, str]] = {}
    for part in chunked([first for _, _, first in counts]):
        for no, template, language in tuples(
            entry.select(
                entry.entry_no, entry.interaction_template_code, entry.interaction_language_code
            ).where(entry.entry_no.in_(list(part)))
        ):
            firsts[int(no)] = (template or "", language or "")
    weights: Counter[str] = Counter()
    for _, count, first in counts:
        weights[firsts[first][0]] += count
    main = weights.most_common(1)[0][0] if weights else ""  # ties: the first in line order
    labelled: list[tuple[str, int, int, int, str]] = []
    keeper: dict[str, tuple[int, int]] = {}  # label → (entries, first entry) of its holder
    for no, count, first in counts:
        template, language = firsts[first]
        other = f"{template} {language}".strip()
        label = (language or "no language") if template == main else other
        labelled.append((label, count, first, no, language))
        if label not in keeper or count > keeper[label][0]:
            keeper[label] = (count, first)
    return [
        DocumentGroup(no, label if keeper[label][1] == first else f"entry {first}", count, language)
        for label, count, first, no, language in labelled
    ]


@dataclass
class PrintOutput:
    """What a rebuild of the print files made, and which promised files are missing."""

    files: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    missing: dict[Path, str] = field(default_factory=dict)
    """Promised files (print files, PDFs) that were not made, with the reason."""


class PrintFiles:
    """The print files of one logged segment (or of one delivery claim's entries) in one
    folder."""

    def __init__(
        self, entries: Any, segment_no: str, folder: Path, *, combined: bool = True
    ) -> None:
        """Groups and file names of the entries matching ``entries`` (a logged segment's,
        segment ``segment_no``); without ``combined`` no print file is made, only the
        letters' PDFs (a single interaction's letter)."""
        self.entries = entries
        self.combined = combined
        self.groups = print_groups(entries)
        base = folder / f"{safe_stem(f'Segment {segment_no}')}.docx"
        self.paths = group_paths(base, [g.label for g in self.groups]) if combined else []

    def rebuild(
        self, letters: Mapping[int, str], cache: DocumentCache, *, pdf: bool
    ) -> PrintOutput:
        """Write every print file whole from the sent letters of ``letters`` (entry →
        its letter's file in the folder); with ``pdf`` each print file's PDF and one PDF
        per letter beside its .docx. A print file whose document has no letter in the
        folder is removed with its PDF, and so is one that cannot be written (reported
        missing): no file is left from an earlier delivery to pass for this one."""
        out = PrintOutput()
        by_document: dict[int, list[MergeSource]] = {}
        for source in _sent_letters(self.entries, list(letters)):
            assert source.attachment_no is not None
            by_document.setdefault(source.attachment_no, []).append(source)
        paths: list[Path | None] = [*self.paths] if self.combined else [None] * len(self.groups)
        for group, path in zip(self.groups, paths, strict=True):
            sources = by_document.get(group.attachment_no)
            if not sources:
                if path is not None:
                    _remove([path, path.with_suffix(".pdf")])
                continue
            letter_pdfs = []
            for source in sources:
                assert source.entry_no is not None
                letter_pdfs.append(Path(letters[source.entry_no]).with_suffix(".pdf"))
            combined = None if path is None else path.with_suffix(".pdf")
            promised = [p for p in (path, combined if pdf else None) if p is not None]
            promised += letter_pdfs if pdf else []
            try:
                template = cache.get(group.attachment_no)
                if path is not None:
                    write_combined_file(template, _records(sources), path)
            except UserError as err:
                _remove(promised)
                out.missing.update(dict.fromkeys(promised, str(err)))
                continue
            if path is not None:
                out.files.append(path)
            if pdf:
                report = letters_to_pdf(
                    template, _records(sources), combined=combined, letters=letter_pdfs
                )
                out.pdfs += report.made
                out.missing.update(report.failed)
        return out


def _remove(paths: Sequence[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):  # gone already (or the folder is not writable)
            path.unlink()


def _sent_letters(entries: Any, entry_nos: Sequence[int]) -> list[MergeSource]:
    """The sent hard copies among ``entry_nos`` whose contact still exists, in entry
    order (a deleted contact's letter cannot be merged again)."""
    sources: list[MergeSource] = []
    for part in chunked(list(entry_nos)):
        sources += entry_sources(
            entries
            & InteractionLogEntry.entry_no.in_(list(part))
            & (InteractionLogEntry.correspondence_type == "hard_copy")
            & (InteractionLogEntry.delivery_status == "sent")
            & InteractionLogEntry.attachment_no.is_null(False)
        )
    existing: set[str] = set()
    for numbers in chunked(sorted({s.contact_no for s in sources})):
        existing.update(
            row[0]
            for row in tuples(Contact.select(Contact.no).where(Contact.no.in_(list(numbers))))
        )
    sources = [s for s in sources if s.contact_no in existing]
    sources.sort(key=lambda s: s.entry_no or 0)
    return sources


def _records(sources: Sequence[MergeSource]) -> Iterator[Mapping[str, MergeValue]]:
    """The letters' merge values, read in batches (memory stays flat)."""
    for part in chunked(sources):
        data = MergeData.for_sources(part)
        for source in part:
            yield data.values(source)
