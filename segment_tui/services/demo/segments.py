"""The demo's segments, built with the same services a user would call: two logged
segments (with evaluated interaction log entries) and two segments in progress.

Progress is reported per step (``demo segments``, 1 to :data:`STEPS`): with a million
contacts each step handles a few hundred thousand lines and takes seconds.
"""

from __future__ import annotations

import datetime as dt

from segment_tui.db import chunked, tuples
from segment_tui.models import InteractionLogEntry, LoggedSegment, SegmentHeader, SegmentLine
from segment_tui.questions import Answers
from segment_tui.services.criteria.actions import AddOptions, add_contacts, remove_contacts
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.interactions.entries import evaluate
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.header_rules import LINE_QUESTIONS
from segment_tui.services.segments.headers import create_segment, set_header_fields
from segment_tui.services.segments.lines import set_line_fields
from segment_tui.services.streaming import Progress

STEPS = 6
"""Steps reported while the demo segments are built."""
EVALUATE_BATCH = 5000
"""Entries per Evaluate call (one IN list each; a million contacts log 200,000 entries)."""


def _logged(description: str, template: str, day: dt.date, where: list[str]) -> int:
    header = create_segment(description, template=template, salesperson="BC", date=day)
    add_contacts(header["no"], parse_where(where), AddOptions())
    return log_segment(header["no"]).logged_segment_entry_no


def _evaluate_some(entry_no: int) -> None:
    numbers = [
        row[0]
        for row in tuples(
            InteractionLogEntry.select(InteractionLogEntry.entry_no)
            .where(InteractionLogEntry.logged_segment_entry_no == entry_no)
            .order_by(InteractionLogEntry.entry_no)
        )
    ]
    for evaluation, step in (("positive", 3), ("very_positive", 7), ("negative", 5)):
        for picked in chunked(numbers[::step], EVALUATE_BATCH):
            evaluate(picked, evaluation)


def seed_demo_segments(progress: Progress | None = None) -> str:
    """Create the demo segments unless the database has segments already."""
    if SegmentHeader.select().exists() or LoggedSegment.select().exists():
        return ""

    def step(done: int) -> None:
        if progress:
            progress("demo segments", done, STEPS)

    step(0)
    christmas = _logged(
        "Christmas cards 2025", "LETTER", dt.date(2025, 12, 8), ["mailing_group=CHRISTMAS"]
    )
    step(1)
    survey = _logged(
        "Customer phone survey",
        "OUTCALL",
        dt.date(2026, 3, 16),
        ["type=Person", "business_relation=CUST", "country_region_code=GB|DE"],
    )
    step(2)
    for entry in (christmas, survey):
        _evaluate_some(entry)
    step(3)

    launch = create_segment(
        "Autumn product launch", template="LETTER", salesperson="BC", campaign="CP1001"
    )
    add_contacts(
        launch["no"],
        parse_where(
            ["type=Person", "job_title=Purchasing*|Buyer|Owner", "business_relation=CUST|PROS"]
        ),
        AddOptions(),
    )
    remove_contacts(launch["no"], parse_where(["country_region_code=US"]), "reduce")
    step(4)
    set_header_fields(
        launch["no"], {"subject_default": "Our autumn range"}, Answers.each(LINE_QUESTIONS, True)
    )
    first = (
        SegmentLine.select()
        .where(SegmentLine.segment_no == launch["no"])
        .order_by(SegmentLine.line_no)
        .first()
    )
    if first is not None:
        set_line_fields(
            launch["no"],
            first.line_no,
            {"line_note": "Thank you for the visit to our stand in May."},
        )
    step(5)

    news = create_segment("Newsletter November", template="NEWS")
    add_contacts(
        news["no"], parse_where(["mailing_group=NEWSLETTER"]), AddOptions(expand_companies=False)
    )
    step(6)
    return ", 2 logged segments, 2 segments in progress"
