"""The template check (:mod:`.template_check`) put in short sentences for the places that
must warn before anything is written: Setup right after a Word document is attached, and
the Log dialog before a segment is logged ("12 contacts have no address; 3 unknown
fields"). The check itself is :func:`.template_check.check_template`; this module only
picks what to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from segment_tui.errors import UserError
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.documents.template_check import TemplateCheck, check_template


@dataclass(frozen=True)
class TemplateWarnings:
    """What a user should know about the letters before going on."""

    checked: str
    """What was checked, e.g. ``template LETTER (ENU), 12 merge fields``; blank: nothing
    was checked (no template, or no Word document)."""
    warnings: tuple[str, ...] = ()
    """One sentence per problem; empty when the letters will be complete."""

    @property
    def headline(self) -> str:
        """The problems on one line (``12 contacts have no address; 3 unknown fields``)."""
        return "; ".join(w.rstrip(".") for w in self.warnings)


def _unknown(check: TemplateCheck) -> list[str]:
    unknown = check.unknown_fields
    if not unknown:
        return []
    hints = check.suggestions
    names = ", ".join(
        f"«{name}»" + (f" (did you mean {hints[name]}?)" if name in hints else "")
        for name in unknown
    )
    noun, them = ("field", "it") if len(unknown) == 1 else ("fields", "them")
    return [f"{len(unknown)} unknown {noun}: {names}; the letters would show {them} unmerged."]


def _unsupported(check: TemplateCheck) -> list[str]:
    if not check.unsupported_fields:
        return []
    names = ", ".join(check.unsupported_fields)
    return [f"Word fields the merge leaves as they are: {names}."]


def _checked(check: TemplateCheck) -> str:
    language = f" ({check.language_code})" if check.language_code else ""
    count = len(check.fields)
    text = f"template {check.template_code}{language}, {count} merge field{'s' * (count != 1)}"
    if len(check.documents) > 1:
        text += f", {len(check.documents)} documents"
    return text


def document_warnings(template_code: str, language: str = "") -> TemplateWarnings:
    """After attaching a document: the merge fields it uses that the app cannot fill."""
    check = check_template(template_code, language)
    return TemplateWarnings(_checked(check), tuple(_unknown(check) + _unsupported(check)))


def segment_warnings(segment_no: str) -> TemplateWarnings:
    """Before Log: each line against its own document (the check's rules): unknown and
    unsupported fields, lines without a document, and how many lines would get a blank
    for each field used; nothing to say without a template or a Word document."""
    header = get_header(segment_no)
    if not header.interaction_template_code:
        return TemplateWarnings("")
    try:
        check = check_template(header.interaction_template_code, "", header.no)
    except UserError:
        # No Word document for the template, or no line uses it: nothing is merged.
        return TemplateWarnings("")
    found = _unknown(check) + _unsupported(check)
    if check.lines_without_document:
        n = check.lines_without_document
        found.append(f"{n} line{' has' if n == 1 else 's have'} no Word document.")
    found.extend(gap.sentence for gap in check.gaps)
    return TemplateWarnings(_checked(check), tuple(found))
