"""Print Cover Sheets (BC's Segment - Cover Sheet, report 5064): one A4 page per segment
line with a contact, as a PDF.

A page carries what BC's does: the company's name, address and numbers (Phone No., Fax
No., VAT Reg. No., Giro No., Bank, Account No.), the contact's address where a window
envelope shows it, the date (today, as BC), "Cover Sheet", up to five lines of text of
up to 100 characters, the remarks (As agreed upon, For your information, Your comments
please, For your approval, Please call, Returned after use, and a custom remark) with
the chosen ones ticked, and "Best regards," above the line's salesperson.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from segment_tui.db import tuples
from segment_tui.models import CompanyInformation, Salesperson
from segment_tui.questions import NO_ANSWERS, Answers
from segment_tui.services.output_files import atomic_output, check_output
from segment_tui.services.printouts.cover_sheet_options import REMARKS, CoverSheetOptions
from segment_tui.services.printouts.pdf_pages import draw_fitted, long_date, new_canvas
from segment_tui.services.printouts.pdf_text import Fonts, ellipsize, fonts, missing_characters
from segment_tui.services.printouts.postal_address import AddressBook, address_block, postal_lines
from segment_tui.services.segments.recipients import (
    Recipient,
    address_book,
    iter_recipients,
    require_lines,
)

COMPANY_NUMBERS = (
    ("phone_no", "Phone No."), ("fax_no", "Fax No."),
    ("vat_registration_no", "VAT Reg. No."), ("giro_no", "Giro No."),
    ("bank_name", "Bank"), ("bank_account_no", "Account No."),
)  # fmt: skip

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CoverSheetsResult:
    """What Print Cover Sheets wrote."""

    segment_no: str
    file: str
    pages: int
    truncated: int
    """Pages where the address or the text had to be cut to fit (…)."""
    missing_characters: str
    font: str


@dataclass(frozen=True)
class _Sender:
    name: str
    block: list[str]
    numbers: list[tuple[str, str]]
    return_line: str


def _sender(book: AddressBook) -> _Sender:
    info = CompanyInformation.get_or_none(CompanyInformation.primary_key == "")
    record: dict[str, object] = {} if info is None else dict(info.__data__)
    name = str(record.get("name") or "")
    postal = postal_lines({**record, "type": "company"}, book)
    block = [line for line in (name, str(record.get("name_2") or "")) if line] + postal
    numbers = [(caption, str(record.get(key) or "")) for key, caption in COMPANY_NUMBERS]
    return _Sender(name, block, [(c, v) for c, v in numbers if v], " · ".join([name, *postal]))


def _salespeople() -> dict[str, str]:
    return dict(tuples(Salesperson.select(Salesperson.code, Salesperson.name)))


def print_cover_sheets(
    segment_no: str,
    out: Path,
    options: CoverSheetOptions | None = None,
    *,
    answers: Answers = NO_ANSWERS,
    progress: Progress | None = None,
) -> CoverSheetsResult:
    """Write one cover sheet per line with a contact to the PDF ``out``."""
    chosen = (options or CoverSheetOptions()).checked()
    number, _, total = require_lines(segment_no)
    path = check_output(out, (".pdf",), answers)
    used = fonts()
    book = address_book()
    sender = _sender(book)
    salespeople = _salespeople()
    date = long_date(chosen.date or dt.date.today())
    pages = truncated = 0
    shown: set[str] = set()  # every character printed, checked against the font once
    with atomic_output(path) as temporary:
        canvas = new_canvas(temporary, A4, f"Segment {number} - Cover Sheet", sender.name)
        for contact in iter_recipients(number):
            code = contact["line_salesperson_code"] or contact["salesperson_code"]
            cut, text = _draw_page(
                canvas, used, sender, contact, book, chosen, date, salespeople.get(code, "")
            )
            canvas.showPage()
            shown.update(text)
            pages += 1
            truncated += cut
            if progress is not None and pages % 200 == 0:
                progress(pages, total)
        canvas.save()
    return CoverSheetsResult(
        number,
        str(path),
        pages,
        truncated,
        "".join(sorted(missing_characters("".join(shown), used.regular))),
        Path(used.path).stem,
    )


def _draw_page(
    canvas: Any,
    used: Fonts,
    sender: _Sender,
    contact: Recipient,
    book: AddressBook,
    options: CoverSheetOptions,
    date: str,
    salesperson: str,
) -> tuple[bool, str]:
    """One cover sheet; returns (something was cut, the contact's text shown)."""
    width, height = A4
    left, right = 20 * mm, width - 20 * mm

    def y(from_top_mm: float) -> float:
        return float(height - from_top_mm * mm)

    # The sender, top right.
    draw_fitted(canvas, sender.block[:1], (110 * mm, y(24), right - 110 * mm, 9 * mm),
                       used=used, max_size=13, min_size=8, bold=True)  # fmt: skip
    draw_fitted(canvas, sender.block[1:], (110 * mm, y(42), right - 110 * mm, 17 * mm),
                used=used, max_size=9, min_size=6)  # fmt: skip
    # The address window of a C5/DL envelope: a return line, then the contact's address.
    canvas.setFont(used.regular, 6.5)
    canvas.drawString(left, y(49), ellipsize(sender.return_line, used.regular, 6.5, 85 * mm))
    canvas.setLineWidth(0.3)
    canvas.line(left, y(50), left + 85 * mm, y(50))
    block = address_block(contact, book)
    address = draw_fitted(canvas, block, (left, y(90), 85 * mm, 38 * mm),
                          used=used, max_size=11, min_size=7)  # fmt: skip
    # The company's numbers beside the window.
    top = y(52)
    for caption, value in sender.numbers:
        canvas.setFont(used.regular, 8)
        canvas.drawString(125 * mm, top - 8, caption)
        canvas.drawString(150 * mm, top - 8, ellipsize(value, used.regular, 8, right - 150 * mm))
        top -= 11
    canvas.setFont(used.regular, 10)
    canvas.drawRightString(right, y(102), date)
    canvas.setFont(used.bold, 22)
    canvas.drawString(left, y(118), "Cover Sheet")
    canvas.setFont(used.regular, 8)
    canvas.drawString(left, y(124), f"Contact No. {contact['no']}")
    text = draw_fitted(canvas, list(options.text), (left, y(180), right - left, 48 * mm),
                       used=used, max_size=12, min_size=8)  # fmt: skip
    _draw_remarks(canvas, used, options, left, y(192))
    canvas.setFont(used.regular, 11)
    canvas.drawString(left, y(242), "Best regards,")
    if salesperson:
        canvas.drawString(left, y(262), ellipsize(salesperson, used.regular, 11, right - left))
    canvas.setFont(used.regular, 7)
    canvas.drawString(left, y(287), ellipsize(sender.name, used.regular, 7, 120 * mm))
    shown = " ".join([*address.rows, *text.rows, salesperson])
    return address.truncated or text.truncated, shown


def _draw_remarks(
    canvas: Any, used: Fonts, options: CoverSheetOptions, left: float, top: float
) -> None:
    """The remark boxes in two columns; the chosen ones carry BC's 'x'."""
    items = [(caption, key in options.remarks) for key, caption in REMARKS.items()]
    if options.custom_remark:
        items.append((options.custom_remark, True))
    canvas.setFont(used.bold, 11)
    canvas.drawString(left, top, "Remarks")
    column_width = 85 * mm
    for index, (caption, ticked) in enumerate(items):
        column, row = (index // 3, index % 3) if index < 6 else (0, 3)
        x = left + column * column_width
        base = top - 8 * mm - row * 7 * mm
        canvas.setLineWidth(0.6)
        canvas.rect(x, base - 0.8 * mm, 3.6 * mm, 3.6 * mm, stroke=1, fill=0)
        if ticked:
            canvas.setFont(used.bold, 10)
            canvas.drawCentredString(x + 1.8 * mm, base, "x")
        canvas.setFont(used.regular, 10)
        limit = (column_width if index < 6 else 2 * column_width) - 8 * mm
        canvas.drawString(x + 6 * mm, base, ellipsize(caption, used.regular, 10, limit))
