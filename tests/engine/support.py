"""Small helpers shared by the engine tests: filters, segment lines, row counts, worlds.

Not a test module (no ``test_`` prefix); imported as ``tests.engine.support``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from segment_tui.models import (
    Attachment,
    CampaignEntry,
    InteractionLogEntry,
    LoggedSegment,
    SavedSegmentCriteria,
    SavedSegmentCriteriaLine,
    SegmentCriteriaLine,
    SegmentHeader,
    SegmentHistory,
    SegmentInteractionLanguage,
    SegmentLine,
    UserSetup,
)
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.criteria.fields import FieldFilter, parse_where
from segment_tui.services.segments.headers import create_segment, current_user
from segment_tui.services.segments.view import LineRecord, lines_after

ContactFactory = Callable[..., ContactRecord]

COUNTED = {
    "segment_header": SegmentHeader,
    "segment_line": SegmentLine,
    "segment_criteria_line": SegmentCriteriaLine,
    "segment_history": SegmentHistory,
    "segment_interaction_language": SegmentInteractionLanguage,
    "saved_segment_criteria": SavedSegmentCriteria,
    "saved_segment_criteria_line": SavedSegmentCriteriaLine,
    "logged_segment": LoggedSegment,
    "interaction_log_entry": InteractionLogEntry,
    "campaign_entry": CampaignEntry,
    "attachment": Attachment,
}


def where(*items: str) -> list[FieldFilter]:
    """``where("city=London", "type=Person")`` — parsed criteria filters."""
    return parse_where(items)


def row_counts() -> dict[str, int]:
    """How many rows each segment-related table holds (to prove that nothing was written)."""
    return {name: int(model.select().count()) for name, model in COUNTED.items()}


def lines(segment_no: str) -> list[LineRecord]:
    """Every line of a segment with its computed columns, in line order."""
    return lines_after(segment_no, None, 100_000)


def contacts_on(segment_no: str) -> list[str]:
    """The contact numbers of a segment's lines, in line order."""
    return [line["contact_no"] for line in lines(segment_no)]


def line_nos(segment_no: str) -> list[int]:
    """The line numbers of a segment, in order."""
    return [line["line_no"] for line in lines(segment_no)]


def new_segment(description: str = "Spring mailing", **options: Any) -> str:
    """Create a segment (``template=…``, ``salesperson=…``, ``date=…``); returns its No."""
    return str(create_segment(description, **options)["no"])


def give_user_salesperson(code: str) -> None:
    """User Setup: the operating-system user works as salesperson ``code``."""
    UserSetup.insert(user_id=current_user(), salesperson_code=code).execute()


def history(segment_no: str) -> list[tuple[int, str, str]]:
    """(action no., contact no., action taken) of a segment's history, in order."""
    return [
        (row.segment_action_no, row.contact_no, row.action_taken)
        for row in SegmentHistory.select()
        .where(SegmentHistory.segment_no == segment_no)
        .order_by(SegmentHistory.segment_action_no, SegmentHistory.segment_line_no)
    ]


def adatum_and_trey(make_contact: ContactFactory) -> None:
    """Two companies with people, and a person without a company.

    - C1 Adatum (London, salesperson JO): P1 Ann Smith, P2 Bob Jones
    - C2 Trey Research (Paris, salesperson PS): P3 Carl Berg
    - P9 Dana Lone (no company, London)
    """
    make_contact(no="C1", type="company", name="Adatum", city="London", salesperson_code="JO",
                 email="info@adatum.example")  # fmt: skip
    make_contact(no="P1", type="person", name="Ann Smith", company_no="C1",
                 email="ann@adatum.example")  # fmt: skip
    make_contact(no="P2", type="person", name="Bob Jones", company_no="C1",
                 email="bob@adatum.example")  # fmt: skip
    make_contact(no="C2", type="company", name="Trey Research", city="Paris",
                 salesperson_code="PS", email="info@trey.example")  # fmt: skip
    make_contact(no="P3", type="person", name="Carl Berg", company_no="C2",
                 email="carl@trey.example")  # fmt: skip
    make_contact(no="P9", type="person", name="Dana Lone", city="London", salesperson_code="HR",
                 email="dana@lone.example")  # fmt: skip
