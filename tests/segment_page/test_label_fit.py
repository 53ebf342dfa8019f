"""Label text fits its label on every sheet: the layout computation, then the PDF itself.

A 100-character name and an address that fills every field must wrap or shrink, never
leave the label; the PDF check reads each word's box back with ``pdftotext -bbox`` and
checks the ink of a rendering (pdftoppm) against the label boxes.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from segment_tui.services.printouts.label_layouts import LAYOUTS, LabelLayout, get_layout
from segment_tui.services.printouts.labels import place_label, print_labels
from segment_tui.services.printouts.pdf_text import (
    ELLIPSIS,
    fit_block,
    fonts,
    text_width,
    wrap,
)
from segment_tui.services.printouts.postal_address import AddressBook, address_block
from tests.segment_page.conftest import LONG_NAME, need_poppler

HUGE = {
    "type": "person",
    "name": LONG_NAME,
    "company_no": "C1",
    "company_name": "Internationale Gesellschaft für Wohlfahrtspflege und Entwicklungszusammen"
    "arbeit GmbH & Co. KG",
    "address": "Industriegebiet Nord, Gewerbepark an der alten Ziegelei, Halle 7, Rampe 3, "
    "Tor Süd, Eingang B",
    "address_2": "c/o Zentrale Warenannahme, Abteilung Einkauf, 4.OG",
    "post_code": "LL61 5UJ",
    "city": "Llanfairpwllgwyngyllgogerychwy",
    "county": "Isle of Anglesey",
    "country_region_code": "FR",
}
"""Every field of an address block filled to (nearly) its length."""


def assert_inside(layout: LabelLayout, index: int, lines: list[str]) -> tuple[bool, bool]:
    """Place ``lines`` on label ``index``; every row must be inside the text box."""
    used = fonts()
    fitted, rows = place_label(lines, layout, index, used)
    x, y, width, height = layout.text_box(index)
    assert rows, "nothing was placed"
    for row in rows:
        assert row.x >= x - 1e-6
        assert row.x + text_width(row.text, used.regular, row.size) <= x + width + 1e-6, row
        assert row.baseline + used.ascent * row.size <= y + height + 1e-6, row
        assert row.baseline - used.descent * row.size >= y - 1e-6, row
        assert row.size >= layout.min_font
    return fitted.shrunk, fitted.truncated


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_a_100_character_name_and_a_full_address_fit_every_layout(name: str) -> None:
    layout = get_layout(name)
    block = address_block(HUGE, AddressBook({}, "GB"))
    assert len(block) == 7 and block[0] == LONG_NAME
    for index in (0, layout.per_page - 1):  # the first and the last label of a sheet
        shrunk, _ = assert_inside(layout, index, block)
        assert shrunk  # wrapped and shrunk, not just cut
    # Nothing of the name is lost on any sheet: wrapping keeps every character.
    used = fonts()
    fitted, _ = place_label(block, layout, 0, used)
    if not fitted.truncated:
        assert "".join(fitted.rows).replace(" ", "").startswith(LONG_NAME.replace(" ", ""))


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_text_no_font_size_can_hold_is_cut_with_an_ellipsis_inside_the_box(name: str) -> None:
    layout = get_layout(name)
    lines = [LONG_NAME * 3] + [f"line {n} " + "word " * 30 for n in range(7)]
    shrunk, truncated = assert_inside(layout, 3, lines)
    assert shrunk and truncated
    fitted, _ = place_label(lines, layout, 3, fonts())
    assert fitted.size == layout.min_font
    assert any(row.endswith(ELLIPSIS) for row in fitted.rows)
    # Every line keeps at least its start: the name first, the last line (the country) too.
    assert fitted.rows[0].startswith("Maximiliane")
    assert [n for n in range(7) if any(r.startswith(f"line {n} ") for r in fitted.rows)] == [
        *range(7)
    ]


def test_a_short_address_keeps_the_normal_size() -> None:
    layout = get_layout("a4-3x8")
    shrunk, truncated = assert_inside(layout, 0, ["Ann Smith", "Adatum", "London", "W2 8HG"])
    assert (shrunk, truncated) == (False, False)


def test_wrap_breaks_at_spaces_and_only_splits_words_too_wide_alone() -> None:
    font = fonts().regular
    width = text_width("Station Road", font, 10)
    assert wrap("Station Road 21 London", font, 10, width) == ["Station Road", "21 London"]
    pieces = wrap("X" * 60, font, 10, width)
    assert "".join(pieces) == "X" * 60
    assert all(text_width(piece, font, 10) <= width for piece in pieces)


def test_fit_block_never_returns_rows_taller_than_the_box() -> None:
    used = fonts()
    for height in (5.0, 20.0, 40.0, 90.0):
        fitted = fit_block(["a " * 80] * 8, 100.0, height, font=used.regular,
                           fonts_used=used, max_size=10, min_size=6)  # fmt: skip
        rows = len(fitted.rows)
        assert (
            rows == 0
            or (rows - 1) * fitted.leading + fitted.size * (used.ascent + used.descent)
            <= height + 1e-6
        )


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@pytest.mark.parametrize("name", ["a4-3x8", "a4-2x7", "letter-3x10"])
def test_in_the_pdf_every_word_lies_inside_its_label(
    addresses: str, tmp_path: Path, name: str
) -> None:
    need_poppler()
    out = tmp_path / f"{name}.pdf"
    result = print_labels(addresses, out, layout=name)
    assert result.labels == 7 and result.shrunk >= 1
    layout = get_layout(name)
    page_height = layout.page_size[1]
    boxes = [layout.label_box(i) for i in range(result.labels)]
    html = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = _WORD.findall(html)
    assert len(words) > 30
    for x0, y0, x1, y1, text in words:
        # pdftotext measures from the top of the page; the layout from the bottom.
        top, bottom = page_height - float(y0), page_height - float(y1)
        inside = [
            (bx, by, bw, bh)
            for bx, by, bw, bh in boxes
            if bx - 0.5 <= float(x0) and float(x1) <= bx + bw + 0.5
            and by - 0.5 <= bottom and top <= by + bh + 0.5
        ]  # fmt: skip
        assert inside, f"{text!r} at ({x0}, {y0})–({x1}, {y1}) is outside every label"
    assert "Maximiliane" in html and "Gdańsk" in html


@pytest.mark.parametrize("name", ["a4-3x8", "a4-2x7", "letter-3x10"])
def test_the_rendered_page_has_ink_only_inside_the_labels(
    addresses: str, tmp_path: Path, name: str
) -> None:
    need_poppler()
    from PIL import Image  # installed with reportlab

    out = tmp_path / f"{name}.pdf"
    print_labels(addresses, out, layout=name)
    dpi = 72  # one pixel per point
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(out), str(tmp_path / name)],
        check=True,
    )
    image = Image.open(tmp_path / f"{name}.png").convert("L")
    layout = get_layout(name)
    assert abs(image.size[0] - layout.page_size[0]) <= 1
    assert abs(image.size[1] - layout.page_size[1]) <= 1
    inside = set()
    for index in range(7):
        x, y, width, height = layout.label_box(index)
        top = layout.page_size[1] - (y + height)
        for px in range(int(x), int(x + width) + 1):
            for py in range(int(top), int(top + height) + 1):
                inside.add((px, py))
    pixels = image.load()
    assert pixels is not None
    ink = [
        (px, py)
        for px in range(image.size[0])
        for py in range(image.size[1])
        if pixels[px, py] < 200  # type: ignore[operator]
    ]
    assert len(ink) > 500  # the labels were printed
    outside = [p for p in ink if p not in inside]
    assert outside == []
