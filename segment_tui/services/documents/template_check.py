"""Template check: which merge fields a Word document uses, which of them are unknown (with
the nearest known name), which Word fields the merge does not evaluate, and - for a
segment - how many lines lack a value for each used field ("12 contacts have no
address"), so a 1,000-letter run is checked before it is printed or sent.

With a segment, **every line is checked against its own document**: the document its
``attachment_no`` names (its language's, or the line's own), which is exactly the one
``segment merge``, the preview and Log use (docs/word-documents.md). The check says how
many lines use each document and reports each missing value once.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from segment_tui.errors import UserError
from segment_tui.merge import DocxTemplate, MergeValue
from segment_tui.merge.limits import DocumentRefused, refused_at_merge
from segment_tui.merge.switches import loose_key, normalize_key
from segment_tui.models import Attachment, SegmentLine
from segment_tui.services.documents.merge_field_names import FIELD_NAMES
from segment_tui.services.documents.merge_values import iter_segment_merge_values
from segment_tui.services.documents.template_docs import template_row

_KEYS: dict[str, str] = {}
for _name in FIELD_NAMES:
    _KEYS.setdefault(normalize_key(_name), _name)
    _KEYS.setdefault(loose_key(_name), _name)

UNSUPPORTED_REASONS = {
    "NEXT": "each letter is merged from one contact, so NEXT would not move to the next one",
    "NEXTIF": "each letter is merged from one contact",
    "SKIPIF": "lines are chosen with the segment's criteria, not in the document",
    "MERGEREC": "there is no record number; use Entry No.",
    "MERGESEQ": "there is no record number; use Entry No.",
    "ASK": "nothing asks questions during a merge",
    "FILLIN": "nothing asks questions during a merge",
    "SET": "bookmarks are not filled during a merge",
    "DATABASE": "the data comes from the segment",
    "ADDRESSBLOCK": 'use MERGEFIELD "Contact Mail Address" instead',
    "GREETINGLINE": 'use MERGEFIELD "Formal Salutation" instead',
    "COMPARE": "it is not evaluated; use IF",
    "IF": "this IF could not be evaluated (it spans paragraphs or holds other fields); "
    "Word would show its stored result",
    "MERGEFIELD": "a MERGEFIELD without a field name",
}
"""Why each Word mail-merge field the engine leaves alone is a problem in a letter."""


def known_field(name: str) -> str | None:
    """The dictionary field a template's field name refers to (the merge engine's
    matching: case and spacing ignored, ``Contact_Name`` finds ``Contact Name``)."""
    return _KEYS.get(normalize_key(name)) or _KEYS.get(loose_key(name))


def nearest_field(name: str) -> str | None:
    """The known field an unknown name most likely means (``Contact Nmae`` → ``Contact
    Name``), or None when nothing is close."""
    by_key = {normalize_key(n): n for n in FIELD_NAMES}
    close = difflib.get_close_matches(normalize_key(name), list(by_key), n=1, cutoff=0.75)
    return by_key[close[0]] if close else None


@dataclass(frozen=True)
class FieldGap:
    """A used field that some letters would get blank."""

    field: str
    missing: int
    sentence: str


@dataclass(frozen=True)
class DocumentCheck:
    """One document and the lines that get it."""

    attachment_no: int
    label: str
    """Its language, ``line <n>`` for a line's own document, or ``<template> <language>``."""
    file_name: str
    lines: int
    fields: list[str]
    unknown_fields: list[str]
    unsupported_fields: list[str]


@dataclass(frozen=True)
class TemplateCheck:
    """What :func:`check_template` found."""

    template_code: str
    language_code: str
    fields: list[str]
    """The fields the documents use, in document order, as spelled there."""
    unknown_fields: list[str]
    """Used fields the merge has no value for (they would stay «Name» in the letters)."""
    segment_no: str | None = None
    lines: int = 0
    """Lines checked (lines with a contact and the template), when a segment was given."""
    gaps: list[FieldGap] = field(default_factory=list)
    suggestions: dict[str, str] = field(default_factory=dict)
    """Unknown field → the nearest known field."""
    unsupported_fields: list[str] = field(default_factory=list)
    """Word mail-merge fields the merge leaves as they are (NEXT, SKIPIF, ASK, ...)."""
    documents: list[DocumentCheck] = field(default_factory=list)
    """With a segment: each document its lines get and how many lines get it."""
    lines_without_document: int = 0
    other_template_lines: int = 0
    """Lines of the segment with another template (check them with that template)."""

    @property
    def ok(self) -> bool:
        """True when every field is known and supported and no letter would get a blank
        or be left out."""
        return not (
            self.unknown_fields
            or self.gaps
            or self.unsupported_fields
            or self.lines_without_document
        )

    @property
    def summary(self) -> str:
        """The findings as lines of text for people."""
        count = len(self.fields)
        lines = [
            f"Template {self.template_code}"
            + (f" ({self.language_code})" if self.language_code else "")
            + f" uses {count} merge field{'s' if count != 1 else ''}"
            + (": " + ", ".join(self.fields) if self.fields else ".")
        ]
        if self.segment_no is not None:
            for doc in self.documents:
                used = "line uses" if doc.lines == 1 else "lines use"
                lines.append(
                    f"{doc.lines} {used} {doc.label} ({doc.file_name}, attachment "
                    f"{doc.attachment_no}): {len(doc.fields)} merge field"
                    f"{'s' if len(doc.fields) != 1 else ''}"
                )
        for name in self.unknown_fields:
            hint = self.suggestions.get(name)
            lines.append(
                f"Unknown merge field «{name}»: the letters would show it unmerged"
                + (f" (did you mean {hint}?)." if hint else ".")
            )
        for keyword in self.unsupported_fields:
            reason = UNSUPPORTED_REASONS.get(keyword, "the merge does not evaluate it")
            lines.append(f"Word field {keyword} is not supported: {reason}.")
        if self.segment_no is not None:
            if self.lines_without_document:
                n = self.lines_without_document
                lines.append(
                    f"{n} line{' has' if n == 1 else 's have'} no Word document "
                    "(no letter would be made)."
                )
            lines.extend(gap.sentence for gap in self.gaps)
            if self.other_template_lines:
                n = self.other_template_lines
                lines.append(
                    f"{n} line{'' if n == 1 else 's'} with another template "
                    f"{'was' if n == 1 else 'were'} not checked."
                )
            if self.ok:
                lines.append(
                    f"All {self.lines} lines of segment {self.segment_no} have a value for "
                    "every field their document uses."
                )
        return "\n".join(lines)

    def as_record(self) -> dict[str, object]:
        """A JSON-ready dict: the fields (nested checks as dicts) and ``ok``."""
        record: dict[str, object] = asdict(self)
        record["ok"] = self.ok
        return record


OPTIONAL_FIELDS = frozenset({"Line Note"})
"""Fields whose blanks the check does not count."""

_NOUNS = {
    "Contact Mail Address": "address",
    "Contact Address": "address line",
    "Contact Address 2": "second address line",
    "Contact Email": "e-mail address",
    "FaxMailTo": "e-mail address",
    "Salesperson/Purchaser Code": "salesperson",
    "Document Date": "date",
    "Line Note": "line note",
}


def _noun(name: str) -> str:
    if name in _NOUNS:
        return _NOUNS[name]
    for prefix, replacement in (
        ("Contact ", ""),
        ("Salesperson/Purchaser ", "salesperson "),
        ("Document ", ""),
        ("Company Information ", ""),
    ):
        if name.startswith(prefix):
            name = replacement + name[len(prefix) :]
            break
    return name.replace("No.", "number").replace("VAT", "\0").lower().replace("\0", "VAT")


def _gap_sentence(name: str, missing: int, lines: int) -> str:
    noun = _noun(name)
    if name.startswith("Company Information "):
        return f"Company Information has no {noun} (blank in all {lines} letters)."
    if name.startswith("Contact ") or name == "FaxMailTo":
        who = "contact has" if missing == 1 else "contacts have"
    else:
        who = "line has" if missing == 1 else "lines have"
    return f"{missing} {who} no {noun}."


def _blank(name: str, values: Mapping[str, MergeValue]) -> bool:
    if name == "Contact Mail Address":
        # The block always holds the name; the letter lacks an address when nothing else is.
        parts = ("Contact Address", "Contact Address 2", "Contact Post Code", "Contact City")
        return all(not values.get(part) for part in parts)
    value = values.get(name)
    return value is None or (isinstance(value, str) and not value.strip())


def _document(attachment_no: int) -> tuple[DocxTemplate, str]:
    row = Attachment.get_or_none(Attachment.no == attachment_no)
    if row is None:
        raise UserError(f"Attachment {attachment_no} does not exist.")
    try:
        return DocxTemplate.from_bytes(bytes(row.content)), row.file_name
    except DocumentRefused as err:
        raise UserError(refused_at_merge(attachment_no, row.file_name, err)) from None
    except ValueError as err:
        raise UserError(f"Attachment {attachment_no} is not a usable .docx: {err}") from None


def _collect(templates: list[DocxTemplate]) -> tuple[list[str], list[str], list[str]]:
    """Fields, unknown fields and unsupported fields of several documents, each once."""
    fields: dict[str, str] = {}
    unsupported: list[str] = []
    for template in templates:
        for name in template.fields:
            fields.setdefault(normalize_key(name), name)
        unsupported += [k for k in template.unsupported_fields if k not in unsupported]
    names = list(fields.values())
    return names, [n for n in names if known_field(n) is None], unsupported


def check_template(code: str, language: str = "", segment_no: str | None = None) -> TemplateCheck:
    """The merge fields a template's document uses, the unknown and unsupported ones and,
    for a segment, each line checked against its own document: how many lines get each
    document and how many would get a blank for each used field."""
    row = template_row(code, language)
    if segment_no is None:
        template, _ = _document(row.attachment_no)
        fields, unknown, unsupported = _collect([template])
        return TemplateCheck(
            row.interaction_template_code,
            row.language_code,
            fields,
            unknown,
            suggestions=_suggestions(unknown),
            unsupported_fields=unsupported,
        )
    from segment_tui.services.criteria.actions import get_header
    from segment_tui.services.documents.merge_preview import document_groups

    header = get_header(segment_no)
    template_code = row.interaction_template_code
    lang = language.strip().upper()
    mine = (SegmentLine.segment_no == header.no) & SegmentLine.contact_no.is_null(False)
    others = (
        SegmentLine.select()
        .where(
            mine
            & (
                SegmentLine.interaction_template_code.is_null()
                | (SegmentLine.interaction_template_code != template_code)
            )
        )
        .count()
    )
    groups, _ = document_groups(header.no, template_code)
    if lang:
        groups = [g for g in groups if g.language_code == lang]
    without = (
        SegmentLine.select()
        .where(
            mine
            & (SegmentLine.interaction_template_code == template_code)
            & SegmentLine.attachment_no.is_null()
        )
        .count()
    )
    if not groups and not without:
        raise UserError(
            f"No line of segment {header.no} uses template {template_code}.",
            field="segment",
        )
    documents: list[DocumentCheck] = []
    templates: list[DocxTemplate] = []
    # Per dictionary field: lines whose document uses it, and those without a value.
    missing: dict[str, int] = {}
    lines = 0
    for group in groups:
        template, file_name = _document(group.attachment_no)
        fields, unknown, unsupported = _collect([template])
        documents.append(
            DocumentCheck(
                group.attachment_no, group.label, file_name, group.lines, fields, unknown,
                unsupported,
            )
        )  # fmt: skip
        templates.append(template)
        used = [
            key
            for key in dict.fromkeys(known_field(n) for n in fields)
            if key is not None and key not in OPTIONAL_FIELDS
        ]
        for key in used:
            missing.setdefault(key, 0)
        for _, values in iter_segment_merge_values(header.no, attachment_no=group.attachment_no):
            lines += 1
            for key in used:
                if _blank(key, values):
                    missing[key] += 1
    fields, unknown, unsupported = _collect(templates)
    gaps = [
        FieldGap(name, count, _gap_sentence(name, count, lines))
        for name, count in missing.items()
        if count
    ]
    return TemplateCheck(
        template_code,
        lang or row.language_code if len(documents) <= 1 else "",
        fields,
        unknown,
        header.no,
        lines,
        gaps,
        _suggestions(unknown),
        unsupported,
        documents,
        without,
        others,
    )


def _suggestions(unknown: list[str]) -> dict[str, str]:
    return {name: hint for name in unknown if (hint := nearest_field(name)) is not None}
