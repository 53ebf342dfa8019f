"""The import cleans a batch of rows at once and gives exactly the cells the cell-by-cell
cleaning gives (docs/contacts-import.md, "Cells"); rows it cannot judge that way (a NUL
or a control character in a cell, white space beyond ASCII, a blank row) are set apart
for the careful path, one at a time."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from segment_tui.services.contacts.cell_batches import clean_batch
from segment_tui.services.contacts.csv_reading import clean_cell, control_character

CELL = st.one_of(
    st.sampled_from(["", "NULL", "null", " NULL ", "'=1+2", "''x", "'+1 555", "'s-Hertogenbosch",
                     "'", "''", "'''=", "'\t", " ", "\u00a0x\u00a0", "x ", " x", "nullx", "Null",
                     "né ", "a\x00b", "\x00", "\x1b[31m", "x\r\ny", "\x85", "O’Brien", "x\u2003",
                     "£5", "Zoë", "İ null", "ßnull", "Łódź ", " 東京"]),
    st.text(alphabet=" \t\u00a0\u2003\u3000'=+-@nulNULİßxyéŁ\x00\x01\x7f\x9f", max_size=6),
    st.text(max_size=12),
)  # fmt: skip


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[tuple[str, ...]], int]:
    width = draw(st.integers(1, 6))
    rows = draw(st.lists(st.tuples(*[CELL] * width), min_size=1, max_size=8))
    return rows, width


def _rows(cells: list[str], width: int) -> list[tuple[str, ...]]:
    return [tuple(cells[i : i + width]) for i in range(0, len(cells), width)]


@given(batches())
def test_a_batch_is_cleaned_exactly_as_cell_by_cell(
    batch: tuple[list[tuple[str, ...]], int],
) -> None:
    rows, width = batch
    cells, odd = clean_batch(rows, width)
    cleaned = _rows(cells, width)
    assert len(cleaned) == len(rows)
    for i, row in enumerate(rows):
        expected = tuple(clean_cell(c) for c in row)
        if any(control_character(c) for c in row):
            assert i in odd  # refused by the careful path
        elif i in odd:
            # White space beyond ASCII, maybe, or a blank row for the careful path.
            assert not "".join(row).isascii() or not any(expected)
        else:
            assert cleaned[i] == expected


def _clean(*cells: str) -> tuple[str, ...] | None:
    cleaned, odd = clean_batch([tuple(cells)], len(cells))
    return None if odd else tuple(cleaned)


def test_rows_with_control_characters_or_wide_spaces_are_set_apart() -> None:
    for cell in ("a\x00b", "\x1b[31m", "x\r\ny", "tab\there", "\x85", "\x9f", "\x7f", "\u00a0a",
                 "Ł\u2003", "東京\u3000"):  # fmt: skip
        assert _clean("ok", cell) is None, repr(cell)
    rows = [("a", "b"), ("c\x00", "d"), ("e ", "'=f")]
    assert clean_batch(rows, 2) == (["a", "b", "", "", "e", "=f"], {1})


def test_rows_blank_once_cleaned_are_set_apart() -> None:
    """A blank line is no row, a row of NULLs is one: the careful path tells them apart."""
    rows = [("a", "b"), (" ", ""), ("NULL", "null"), ("", "c")]
    assert clean_batch(rows, 2)[1] == {1, 2}


def test_a_row_that_needs_no_cleaning_keeps_its_cells() -> None:
    cells = ("CT1", "Ann Smith", "ann@example.com", "Zoë", "O'Brien", "Łódź", "O’Brien")
    assert _clean(*cells) == cells


def test_every_kind_of_cell_to_clean_is_cleaned() -> None:
    cells = ("a ", " b", "NULL", "null", "'=x", " ", "''y", "'+1 555", "n", "'t Hoekje", "NuLl")
    assert _clean(*cells) == ("a", "b", "", "", "=x", "", "'y", "+1 555", "n", "'t Hoekje", "")
    assert _clean("Łódź ", " '=東京", "''=x") == ("Łódź", "'=東京", "'=x")


def test_neighbouring_cells_to_clean_are_all_cleaned() -> None:
    """Two cells to clean share a separator: each is found, across rows too."""
    assert _clean("'", "'=x", "'+y") == ("'", "=x", "+y")
    assert _clean(" ", " x", "y ", " z") == ("", "x", "y", "z")
    assert clean_batch([("null", "x"), ("Null", "NULL")], 2)[0] == ["", "x", "", ""]
