"""The Segment - Contacts report (BC report 5063) as PDF or CSV, and Export Contacts.

The report lists a segment's contacts by contact no. (one row per line, as BC's, so a
contact on two lines is listed twice) with the address block, salesperson and the
contact's interaction statistics: No. of Interactions and Cost (LCY) count the entries
that are not canceled — a company's include those of its persons, a person's only their
own (BC's Contact FlowFields). BC's currency and opportunity columns are left out: this
product has neither.

Export Contacts (BC's Export Segment Contact) writes the segment's contacts with the same
CSV writer as ``contacts export``, so the file imports back with ``contacts import``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from peewee import fn

from segment_tui.db import tuples
from segment_tui.models import CompanyInformation, Contact, InteractionLogEntry, SegmentLine
from segment_tui.questions import NO_ANSWERS, Answers
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.csv_output import csv_writer
from segment_tui.services.output_files import atomic_output, check_output
from segment_tui.services.printouts.columns import REPORT_COLUMNS
from segment_tui.services.printouts.pdf_text import (
    Fonts,
    ellipsize,
    fonts,
    missing_characters,
    text_width,
    wrap,
)
from segment_tui.services.printouts.postal_address import AddressBook, address_block
from segment_tui.services.segments.recipients import (
    BATCH,
    Recipient,
    address_book,
    iter_recipients,
)

CSV_COLUMNS = (
    "segment_no", "segment_description", "contact_no", "type", "name", "company_name",
    "address", "address_2", "post_code", "city", "county", "country_region_code",
    "salesperson_code", "no_of_interactions", "cost_lcy",
)  # fmt: skip
"""The report's CSV columns (snake_case, as every CSV and JSON of this product)."""


@dataclass(frozen=True)
class ReportResult:
    """What the report wrote."""

    segment_no: str
    file: str
    format: str
    contacts: int
    pages: int
    """PDF pages (0 for CSV)."""
    missing_characters: str = ""


class ReportRow(Recipient):
    """A row of the Segment - Contacts report: the recipient and the contact's
    interaction statistics (see the module)."""

    no_of_interactions: int
    cost_lcy: Decimal


def _totals(records: list[Recipient]) -> dict[str, tuple[int, Decimal]]:
    """(No. of Interactions, Cost (LCY)) per contact no. of ``records``."""
    entry = InteractionLogEntry
    result: dict[str, tuple[int, Decimal]] = {}
    for kind, column in (("person", entry.contact_no), ("company", entry.contact_company_no)):
        numbers = sorted({r["no"] for r in records if r["type"] == kind})
        if not numbers:
            continue
        query = (
            entry.select(column, fn.COUNT(entry.entry_no), fn.SUM(entry.cost_lcy))
            .where(column.in_(numbers) & (entry.canceled == False))  # noqa: E712 - SQL
            .group_by(column)
        )
        for no, count, cost in tuples(query):
            result[no] = (int(count), Decimal(str(cost or 0)).quantize(Decimal("0.01")))
    return result


def report_rows(segment_no: str) -> Iterator[ReportRow]:
    """The report's rows, by contact no., with the interaction statistics."""
    batch: list[Recipient] = []

    def flush() -> Iterator[ReportRow]:
        totals = _totals(batch)
        for record in batch:
            count, cost = totals.get(record["no"], (0, Decimal("0.00")))
            yield {**record, "no_of_interactions": count, "cost_lcy": cost}
        batch.clear()

    for record in iter_recipients(segment_no, by_contact=True):
        batch.append(record)
        if len(batch) >= BATCH:
            yield from flush()
    yield from flush()


def segment_contacts_report(
    segment_no: str, out: Path, *, answers: Answers = NO_ANSWERS, date: dt.date | None = None
) -> ReportResult:
    """Write the Segment - Contacts report to ``out``: PDF or CSV by its extension."""
    header = get_header(segment_no)
    path = check_output(out, (".pdf", ".csv"), answers)
    if path.suffix.lower() == ".csv":
        return _write_csv(header.no, header.description or "", path)
    return _write_pdf(header.no, header.description or "", path, date or dt.date.today())


def _write_csv(number: str, description: str, path: Path) -> ReportResult:
    count = 0
    with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as f:
        writer = csv_writer(f)
        writer.writerow(CSV_COLUMNS)
        for row in report_rows(number):
            values = {
                **row,
                "segment_no": number,
                "segment_description": description,
                "contact_no": row["no"],
                "salesperson_code": row["salesperson_code"],
                "cost_lcy": Decimal(str(row["cost_lcy"])).quantize(Decimal("0.01")),
            }
            writer.writerow([values.get(column, "") for column in CSV_COLUMNS])
            count += 1
    return ReportResult(number, str(path), "csv", count, 0)


_POINTS = {
    "no": 62.0, "address": 238.0, "salesperson_code": 70.0, "no_of_interactions": 70.0,
    "cost_lcy": 70.0,
}  # fmt: skip
"""The width of each of the PDF's columns, in points."""
_COLUMNS = tuple((c.caption, _POINTS[c.key], c.align == "right") for c in REPORT_COLUMNS)
"""The PDF's columns (services/printouts/columns.py): (heading, width, right-aligned)."""
_INTERACTIONS, _COST = REPORT_COLUMNS.pick("no_of_interactions", "cost_lcy")
_SIZE, _MARGIN = 8.5, 42.5


class _ReportPages:
    """The report's pages: a heading on each, rows until the page is full."""

    def __init__(
        self, canvas: Any, size: tuple[float, float], used: Fonts, heading: tuple[str, str, str]
    ) -> None:
        self.canvas, self.used = canvas, used
        self.title, self.company, self.date = heading
        self.width, self.height = size
        self.page = 0
        self.y = 0.0

    def new_page(self) -> None:
        canvas, used = self.canvas, self.used
        if self.page:
            canvas.showPage()
        self.page += 1
        top = self.height - _MARGIN
        right = self.width - _MARGIN
        canvas.setFont(used.bold, 14)
        canvas.drawString(_MARGIN, top - 14, "Segment - Contacts")
        canvas.setFont(used.regular, 9)
        canvas.drawRightString(right, top - 12, self.date)
        canvas.drawString(_MARGIN, top - 30, ellipsize(self.company, used.regular, 9, 300))
        canvas.drawRightString(right, top - 30, f"Page {self.page}")
        canvas.setFont(used.bold, 10)
        canvas.drawString(_MARGIN, top - 52, ellipsize(self.title, used.bold, 10, right - _MARGIN))
        # Headings wrap within their column ("No. of" / "Interactions").
        headings = [wrap(h, used.bold, _SIZE, width - 8) for h, width, _ in _COLUMNS]
        pitch = _SIZE * 1.2
        y = top - 72
        canvas.setFont(used.bold, _SIZE)
        x = _MARGIN
        for lines, (_, width, right_aligned) in zip(headings, _COLUMNS, strict=True):
            baseline = y - (max(map(len, headings)) - len(lines)) * pitch
            for line in lines:
                if right_aligned:
                    canvas.drawRightString(x + width - 4, baseline, line)
                else:
                    canvas.drawString(x, baseline, line)
                baseline -= pitch
            x += width
        y -= (max(map(len, headings)) - 1) * pitch
        canvas.setLineWidth(0.6)
        canvas.line(_MARGIN, y - 4, right, y - 4)
        self.y = y - 8

    def row(self, cells: list[list[str]]) -> None:
        """One row; its cells are lists of lines (already wrapped)."""
        pitch = _SIZE * 1.2
        height = max(len(c) for c in cells) * pitch + 6
        if self.page == 0 or self.y - height < _MARGIN:
            self.new_page()
        canvas, used = self.canvas, self.used
        # One text object for the whole row: drawString per cell line costs several times more.
        text = canvas.beginText()
        text.setFont(used.regular, _SIZE, pitch)
        baseline = self.y - 3 - used.ascent * _SIZE
        x = _MARGIN
        for (_, width, right_aligned), lines in zip(_COLUMNS, cells, strict=True):
            if right_aligned:
                for number, line in enumerate(lines):
                    right = x + width - 4 - text_width(line, used.regular, _SIZE)
                    text.setTextOrigin(right, baseline - number * pitch)
                    text.textOut(line)
            elif any(lines):
                text.setTextOrigin(x, baseline)
                text.textLines(lines)
            x += width
        canvas.drawText(text)
        self.y -= height
        canvas.setLineWidth(0.2)
        canvas.line(_MARGIN, self.y, self.width - _MARGIN, self.y)

    def closing(self, text: str) -> None:
        if self.page == 0 or self.y - 30 < _MARGIN:
            self.new_page()
        self.canvas.setFont(self.used.bold, _SIZE)
        self.canvas.drawString(_MARGIN, self.y - 16, text)


def _cells(row: ReportRow, book: AddressBook, used: Fonts) -> list[list[str]]:
    block = address_block(row, book)
    width = _COLUMNS[1][1] - 6
    lines = [part for line in block for part in wrap(line, used.regular, _SIZE, width)]
    return [
        [ellipsize(row["no"], used.regular, _SIZE, _COLUMNS[0][1] - 4)],
        lines or [""],
        [ellipsize(row["salesperson_code"], used.regular, _SIZE, _COLUMNS[2][1] - 4)],
        [_INTERACTIONS.format(row["no_of_interactions"])],
        [_COST.format(row["cost_lcy"])],
    ]


def _write_pdf(number: str, description: str, path: Path, date: dt.date) -> ReportResult:
    from reportlab.lib.pagesizes import A4

    from segment_tui.services.printouts.pdf_pages import long_date, new_canvas

    used = fonts()
    book = address_book()
    info = CompanyInformation.get_or_none(CompanyInformation.primary_key == "")
    company = (info.name or "") if info is not None else ""
    count = 0
    shown: set[str] = set()  # every character printed, checked against the font once
    with atomic_output(path) as temporary:
        canvas = new_canvas(temporary, A4, f"Segment {number} - Contacts", company)
        title = f"Segment {number}" + (f" · {description}" if description else "")
        pages = _ReportPages(canvas, A4, used, (title, company, long_date(date)))
        for row in report_rows(number):
            cells = _cells(row, book, used)
            pages.row(cells)
            shown.update(*cells[1])
            count += 1
        pages.closing(f"{count:,} contact" + ("s" if count != 1 else ""))
        canvas.showPage()
        canvas.save()
    missing = "".join(sorted(missing_characters("".join(shown), used.regular)))
    return ReportResult(number, str(path), "pdf", count, pages.page, missing)


def export_segment_contacts(
    segment_no: str, out: Path, *, answers: Answers = NO_ANSWERS
) -> tuple[str, int]:
    """Write the segment's contacts (each once, by contact no.) with ``contacts export``'s
    columns; returns (segment no., contacts written)."""
    from segment_tui.services.contacts.export import export_contacts

    header = get_header(segment_no)
    path = check_output(out, (".csv",), answers)
    on_segment = Contact.no.in_(
        SegmentLine.select(SegmentLine.contact_no).where(SegmentLine.segment_no == header.no)
    )
    with atomic_output(path) as temporary:
        count = export_contacts(temporary, on_segment)
    return header.no, count
