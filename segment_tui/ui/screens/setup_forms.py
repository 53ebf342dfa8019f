"""How setup fields look and are typed on the Setup screen: cell text, the text an edit
starts from, which lookup a field has, column widths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from segment_tui.models.enums import caption
from segment_tui.services.setup.lookups import lookup_for
from segment_tui.services.setup.tables import SetupField, SetupValue, option_rows

LOOKUP_TABLES = frozenset(
    {
        "salesperson", "interaction_template", "interaction_group", "language", "campaign",
        "country_region", "territory", "salutation", "mailing_group", "industry_group",
        "business_relation", "job_responsibility", "no_series", "contact",
    }
)  # fmt: skip
"""Referenced tables that have a lookup (:mod:`segment_tui.services.setup.lookups`)."""


def display_value(spec: SetupField, value: SetupValue) -> str:
    """How a setup value reads in the table."""
    if value is None:
        return ""
    if spec.kind == "boolean":
        return "Yes" if value else "No"
    if spec.kind == "option":
        return caption(str(value))
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\n", " ")


def edit_text(spec: SetupField, value: SetupValue) -> str:
    """A value as the edit dialog starts with it."""
    if value is None:
        return ""
    if spec.kind == "option":
        return caption(str(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def field_lookup(spec: SetupField) -> Callable[[str], list[tuple[str, str]]] | None:
    """The lookup of a setup field (options and referenced codes), or None."""
    if spec.kind == "option":
        return lambda search: option_rows(spec.name, search)
    if spec.reference in LOOKUP_TABLES:
        return lookup_for(spec.reference)
    return None


SHORT_CAPTIONS = {
    "interaction_group_code": "Group",
    "unit_cost_lcy": "Unit Cost",
    "unit_duration_min": "Duration",
    "information_flow": "Info. Flow",
    "initiated_by": "Initiated By",
    "campaign_no": "Campaign",
    "campaign_target": "Target",
    "campaign_response": "Response",
    "correspondence_type_default": "Corr. Type",
    "language_code_default": "Language",
    "ignore_contact_corres_type": "Ign. Contact Corr.",
    "salesperson_code": "Salesperson",
    "starting_date": "Starting",
    "ending_date": "Ending",
    "vat_registration_no": "VAT Reg. No.",
}
"""Column headings of long captions (the edit dialog shows the full caption)."""


def column_label(spec: SetupField) -> str:
    """The heading of a record column."""
    return SHORT_CAPTIONS.get(spec.name, spec.caption)


def column_width(spec: SetupField, cells: list[str]) -> int:
    """Width of a record column: its heading or its longest cell, at most 30."""
    longest = max((len(cell) for cell in cells), default=0)
    return max(len(column_label(spec)), min(30, longest))
