"""Merge a segment before logging it: one letter, all letters in one .docx, or the
text of a letter for the terminal preview. Nothing is logged or stored.

Each line is merged with its own document (inherited or unique, in its language).
Lines that share a document are combined into one file, a page (section) per letter;
when the lines use several documents (several languages, unique documents) each
document gets its own combined file, ``<name> (2).docx`` and so on. Lines without a
document are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segment_tui.errors import NotFoundError, UserError
from segment_tui.merge import DocxTemplate, MergeValue
from segment_tui.models import Attachment
from segment_tui.services.criteria import get_header
from segment_tui.services.merge_values import (
    MergeData,
    MergeSource,
    line_sources,
    segment_merge_values,
)

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
            except (ValueError, SyntaxError, KeyError):
                raise UserError(
                    f"Attachment {attachment_no} must have file extension doc or docx."
                ) from None
            self._templates[attachment_no] = template
        return template


@dataclass(frozen=True)
class MergeOutput:
    """What :func:`merge_segment` wrote."""

    paths: list[Path]
    letters: int
    skipped: int = 0
    """Lines without a document."""
    unknown_fields: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "paths": [str(p) for p in self.paths],
            "letters": self.letters,
            "skipped": self.skipped,
            "unknown_fields": self.unknown_fields,
        }


def group_by_document(
    pairs: Sequence[tuple[MergeSource, Mapping[str, MergeValue]]],
) -> tuple[dict[int, list[Mapping[str, MergeValue]]], int]:
    """Values grouped by document (first use first), and how many had no document."""
    groups: dict[int, list[Mapping[str, MergeValue]]] = {}
    skipped = 0
    for source, values in pairs:
        if source.attachment_no:
            groups.setdefault(source.attachment_no, []).append(values)
        else:
            skipped += 1
    return groups, skipped


def numbered(path: Path, index: int) -> Path:
    """``path`` for the first file, ``name (2).docx`` … for the following ones."""
    return path if index == 0 else path.with_name(f"{path.stem} ({index + 1}){path.suffix}")


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(data)
        temporary.replace(path)
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


def merge_segment(segment_no: str, out: Path, line_no: int | None = None) -> MergeOutput:
    """Merge one line (``line_no``) into ``out``, or every line into one combined file.

    ``out`` may be a folder: the file is then ``Segment <No>.docx`` (``… Line <N>.docx``).
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
        result = cache.get(source.attachment_no).merge(values)
        _write(out, result.document)
        return MergeOutput([out], 1, 0, sorted(result.unknown_fields))
    groups, skipped = group_by_document(segment_merge_values(header.no))
    if not groups:
        raise UserError(f"{NO_DOCUMENT} No line of segment {header.no} has a Word document.")
    paths: list[Path] = []
    unknown: set[str] = set()
    letters = 0
    for index, (attachment_no, records) in enumerate(groups.items()):
        combined = cache.get(attachment_no).merge_combined(records)
        path = numbered(out, index)
        _write(path, combined.document)
        paths.append(path)
        unknown |= combined.unknown_fields
        letters += len(records)
    return MergeOutput(paths, letters, skipped, sorted(unknown))


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
