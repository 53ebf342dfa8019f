"""Print Labels (BC's Segment - Labels, report 5065): the segment's contacts' addresses on
a sheet of labels, as a PDF.

One label per line with a contact, in line order (as BC), the address formatted by the
contact's country (:mod:`segment_tui.services.printouts.postal_address`). Beyond BC, contacts at
the same postal address (and company) can share one label, "Ann Smith, Bob Smith" above
the address, as CiviCRM merges households — one envelope instead of two. Text never
leaves its label: long lines wrap, then the font shrinks, and only at the minimum size is
a line cut with an ellipsis (:func:`segment_tui.services.printouts.pdf_text.fit_block`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from segment_tui.questions import NO_ANSWERS, Answers
from segment_tui.services.output_files import atomic_output, check_output
from segment_tui.services.printouts.label_layouts import DEFAULT_LAYOUT, LabelLayout, get_layout
from segment_tui.services.printouts.pdf_pages import new_canvas
from segment_tui.services.printouts.pdf_text import (
    FittedBlock,
    Fonts,
    block_height,
    fit_block,
    fonts,
    missing_characters,
)
from segment_tui.services.printouts.postal_address import (
    AddressBook,
    address_block,
    household_key,
    merged_block,
)
from segment_tui.services.segments.recipients import (
    Recipient,
    address_book,
    company_name,
    iter_recipients,
    require_lines,
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LabelsResult:
    """What Print Labels wrote."""

    segment_no: str
    file: str
    layout: str
    contacts: int
    """Lines with a contact that were printed."""
    labels: int
    pages: int
    merged: int
    """Contacts that share a label with another contact (0 without merging)."""
    shrunk: int
    """Labels printed in a smaller font so that everything fits."""
    truncated: int
    """Labels where even the smallest font was too big and a line was cut (…)."""
    missing_characters: str
    """Characters the font cannot show (they print as boxes); blank when none."""
    font: str


@dataclass(frozen=True)
class PlacedRow:
    """One line of text on a label: where its baseline starts, in points."""

    text: str
    x: float
    baseline: float
    size: float


def place_label(
    lines: Sequence[str], layout: LabelLayout, index: int, used: Fonts
) -> tuple[FittedBlock, list[PlacedRow]]:
    """Fit an address block into label ``index`` of a page and place its rows: left
    aligned, centred from top to bottom."""
    x, y, width, height = layout.text_box(index)
    fitted = fit_block(
        lines,
        width,
        height,
        font=used.regular,
        fonts_used=used,
        max_size=layout.max_font,
        min_size=layout.min_font,
    )
    top = y + height - (height - block_height(len(fitted.rows), fitted.size, used)) / 2
    first = top - used.ascent * fitted.size
    rows = [
        PlacedRow(text, x, first - number * fitted.leading, fitted.size)
        for number, text in enumerate(fitted.rows)
    ]
    return fitted, rows


def label_blocks(
    segment_no: str, book: AddressBook, *, merge_households: bool
) -> Iterator[tuple[list[str], int]]:
    """(address lines, contacts on the label) per label, in line order; merged labels
    take the place of their first contact."""
    if not merge_households:
        for contact in iter_recipients(segment_no):
            yield address_block(contact, book), 1
        return
    groups: dict[object, list[Recipient]] = {}
    for contact in iter_recipients(segment_no):
        key = household_key(contact)
        groups.setdefault(key if key is not None else ("line", contact["line_no"]), []).append(
            contact
        )
    for members in groups.values():
        yield merged_block(members, book), len(members)


def print_labels(
    segment_no: str,
    out: Path,
    *,
    layout: str = DEFAULT_LAYOUT,
    merge_households: bool = False,
    outline: bool = False,
    answers: Answers = NO_ANSWERS,
    progress: Progress | None = None,
) -> LabelsResult:
    """Write the segment's address labels to the PDF ``out``; ``outline`` draws each
    label's edge (for a test print on plain paper)."""
    sheet = get_layout(layout)
    number, description, total = require_lines(segment_no)
    path = check_output(out, (".pdf",), answers)
    used = fonts()
    book = address_book()
    sender = company_name()
    contacts = labels = shrunk = truncated = 0
    shown: set[str] = set()  # every character printed, checked against the font once
    with atomic_output(path) as temporary:
        canvas = new_canvas(temporary, sheet.page_size, f"Segment {number} - Labels", sender)
        canvas.setSubject(description)
        for lines, members in label_blocks(number, book, merge_households=merge_households):
            index = labels % sheet.per_page
            if labels and index == 0:
                canvas.showPage()
            fitted, rows = place_label(lines, sheet, index, used)
            if outline:
                canvas.setLineWidth(0.3)
                canvas.roundRect(*sheet.label_box(index), radius=6, stroke=1, fill=0)
            if rows:  # one text object per label: a fraction of drawString's cost per row
                text = canvas.beginText(rows[0].x, rows[0].baseline)
                text.setFont(used.regular, fitted.size, fitted.leading)
                text.textLines([row.text for row in rows])
                canvas.drawText(text)
            shown.update(*fitted.rows)
            labels += 1
            contacts += members
            shrunk += fitted.shrunk
            truncated += fitted.truncated
            if progress is not None and contacts % 500 == 0:
                progress(contacts, total)
        canvas.showPage()
        canvas.save()
    pages = -(-labels // sheet.per_page)
    return LabelsResult(
        segment_no=number,
        file=str(path),
        layout=sheet.name,
        contacts=contacts,
        labels=labels,
        pages=pages,
        merged=contacts - labels if merge_households else 0,
        shrunk=shrunk,
        truncated=truncated,
        missing_characters="".join(sorted(missing_characters("".join(shown), used.regular))),
        font=Path(used.path).stem,
    )


def describe_labels(result: LabelsResult) -> str:
    """One sentence for a person: what was printed where."""
    pages = f"{result.pages} page" + ("s" if result.pages != 1 else "")
    text = f"Printed {result.labels:,} labels ({pages}, {result.layout}) to {result.file}"
    if result.merged:
        text += f"; {result.merged:,} contacts share a label with another at the same address"
    if result.truncated:
        text += f"; {result.truncated:,} labels had text cut to fit"
    return text + "."
