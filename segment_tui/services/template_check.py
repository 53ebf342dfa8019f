"""Template check: which merge fields a template's Word document uses, which of them are
unknown, and — for a segment — how many lines lack a value for each ("12 contacts have no
address"), so a 1,000-letter run is checked before it is printed or sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from segment_tui.merge import DocxTemplate, MergeValue
from segment_tui.merge.switches import loose_key, normalize_key
from segment_tui.models import (
    Attachment,
)
from segment_tui.services.merge_field_names import FIELD_NAMES
from segment_tui.services.merge_values import iter_segment_merge_values
from segment_tui.services.template_docs import template_row

_KEYS: dict[str, str] = {}
for _name in FIELD_NAMES:
    _KEYS.setdefault(normalize_key(_name), _name)
    _KEYS.setdefault(loose_key(_name), _name)


def known_field(name: str) -> str | None:
    """The dictionary field a template's field name refers to (the merge engine's
    matching: case and spacing ignored, ``Contact_Name`` finds ``Contact Name``)."""
    return _KEYS.get(normalize_key(name)) or _KEYS.get(loose_key(name))


@dataclass(frozen=True)
class FieldGap:
    """A used field that some letters would get blank."""

    field: str
    missing: int
    sentence: str


@dataclass(frozen=True)
class TemplateCheck:
    """What :func:`check_template` found."""

    template_code: str
    language_code: str
    fields: list[str]
    """The fields the document uses, in document order, as spelled there."""
    unknown_fields: list[str]
    """Used fields the merge has no value for (they would stay «Name» in the letters)."""
    segment_no: str | None = None
    lines: int = 0
    """Lines checked (lines with a contact), when a segment was given."""
    gaps: list[FieldGap] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every field is known and no letter would get a blank."""
        return not self.unknown_fields and not self.gaps

    @property
    def summary(self) -> str:
        """The findings as lines of text for people."""
        lines = [
            f"Template {self.template_code}"
            + (f" ({self.language_code})" if self.language_code else "")
            + f" uses {len(self.fields)} merge field{'s' if len(self.fields) != 1 else ''}"
            + (": " + ", ".join(self.fields) if self.fields else ".")
        ]
        for name in self.unknown_fields:
            lines.append(f"Unknown merge field «{name}»: the letters would show it unmerged.")
        if self.segment_no is not None:
            lines.extend(gap.sentence for gap in self.gaps)
            if not self.gaps:
                lines.append(
                    f"All {self.lines} lines of segment {self.segment_no} have a value for "
                    "every field the document uses."
                )
        return "\n".join(lines)

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        record = asdict(self)
        record["ok"] = self.ok
        return record


OPTIONAL_FIELDS = frozenset({"Line Note"})
"""Fields whose blanks the check does not count."""

_NOUNS = {
    "Contact Mail Address": "address",
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


def check_template(code: str, language: str = "", segment_no: str | None = None) -> TemplateCheck:
    """The merge fields a template's document uses, the unknown ones and, for a segment,
    how many lines would get a blank for each used field."""
    row = template_row(code, language)
    document = Attachment.get(Attachment.no == row.attachment_no).content
    fields = DocxTemplate.from_bytes(bytes(document)).fields
    known = {name: known_field(name) for name in fields}
    unknown = [name for name, key in known.items() if key is None]
    used = list(dict.fromkeys(key for key in known.values() if key is not None))
    if segment_no is None:
        return TemplateCheck(row.interaction_template_code, row.language_code, fields, unknown)
    from segment_tui.services.criteria import get_header

    header = get_header(segment_no)
    # A line note is a personal note for some lines only: its absence is no gap.
    missing = dict.fromkeys((name for name in used if name not in OPTIONAL_FIELDS), 0)
    lines = 0
    for _, values in iter_segment_merge_values(header.no):
        lines += 1
        for name in missing:
            if _blank(name, values):
                missing[name] += 1
    gaps = [
        FieldGap(name, count, _gap_sentence(name, count, lines))
        for name, count in missing.items()
        if count
    ]
    return TemplateCheck(
        row.interaction_template_code, row.language_code, fields, unknown, header.no, lines, gaps
    )
