"""The template check (:mod:`.template_check`) put in short sentences for the places that
must warn before anything is written: Setup right after a Word document is attached, and
the Log dialog before a segment is logged ("12 contacts have no address; 3 unknown
fields"). The check itself is :func:`.template_check.check_template`; this module only
picks what to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from segment_tui.errors import NotFoundError
from segment_tui.services.criteria import get_header
from segment_tui.services.template_check import TemplateCheck, check_template


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
    names = ", ".join(f"«{name}»" for name in unknown)
    noun = "field" if len(unknown) == 1 else "fields"
    return [f"{len(unknown)} unknown {noun} ({names}): the letters would show them unmerged."]


def _checked(check: TemplateCheck) -> str:
    language = f" ({check.language_code})" if check.language_code else ""
    count = len(check.fields)
    return f"template {check.template_code}{language}, {count} merge field{'s' * (count != 1)}"


def document_warnings(template_code: str, language: str = "") -> TemplateWarnings:
    """After attaching a document: the merge fields it uses that the app cannot fill."""
    check = check_template(template_code, language)
    return TemplateWarnings(_checked(check), tuple(_unknown(check)))


def segment_warnings(segment_no: str) -> TemplateWarnings:
    """Before Log: unknown fields of the segment's template document and how many lines
    would get a blank for each field it uses (nothing to say without a template or
    without a document)."""
    header = get_header(segment_no)
    if not header.interaction_template_code:
        return TemplateWarnings("")
    check: TemplateCheck | None = None
    # The header's language first, else the template's own choice (its neutral or
    # default-language document), as the merge picks it.
    for language in dict.fromkeys((header.language_code_default or "", "")):
        try:
            check = check_template(header.interaction_template_code, language, header.no)
            break
        except NotFoundError:
            continue
    if check is None:
        return TemplateWarnings("")  # no Word document: nothing will be merged
    gaps = [gap.sentence for gap in check.gaps]
    return TemplateWarnings(_checked(check), tuple(_unknown(check) + gaps))
