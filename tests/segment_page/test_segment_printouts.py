"""Print Labels, Print Cover Sheets, the Segment - Contacts report and Export Contacts:
through the services and the command line (in-process and in real processes).

What a user checks in the files is read back with poppler: page counts (pdfinfo), the
text (pdftotext). Refusals write nothing and leave an existing file as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.questions import NO_ANSWERS, Answers, ConfirmationRequired
from segment_tui.services.output_files import REPLACE_FILE
from segment_tui.services.printouts.cover_sheet_options import CoverSheetOptions
from segment_tui.services.printouts.cover_sheets import print_cover_sheets
from segment_tui.services.printouts.labels import print_labels
from segment_tui.services.printouts.reports import export_segment_contacts, segment_contacts_report
from tests.conftest import ContactFactory
from tests.segment_page.conftest import Run, ok_json, pdf_pages, pdf_text

# -- labels -------------------------------------------------------------------------------


def test_labels_one_per_line_in_line_order_with_addresses_by_country(
    addresses: str, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    result = print_labels(addresses, out, layout="a4-2x7")
    assert (result.labels, result.contacts, result.pages, result.merged) == (7, 7, 1, 0)
    assert pdf_pages(out) == 1
    text = pdf_text(out)
    # Domestic (GB): no country line; city and post code on lines of their own.
    assert "Ann Smith\nAdatum Corporation\nStation Road 21\nLondon\nW2 8HG" in text
    assert "Hohe Straße 12\n50667 Köln\nGERMANY" in text  # no county for Germany
    assert "Redmond, WA 98052\nUNITED STATES" in text
    assert "80-831 Gdańsk\nPOLAND" in text
    assert text.index("Adatum Corporation") < text.index("Bürohaus") < text.index("Contoso")


def test_labels_merge_contacts_at_one_address_into_one_label(
    addresses: str, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    result = print_labels(addresses, out, merge_households=True)
    # Adatum, Ann and Bob share Station Road 21: one label for the three of them.
    assert (result.labels, result.contacts, result.merged) == (5, 7, 2)
    text = pdf_text(out)
    assert "Ann Smith, Bob Jones\nAdatum Corporation\nStation Road 21" in text
    assert text.count("Station Road 21") == 1


def test_labels_fill_pages_of_the_chosen_sheet(
    make_contact: ContactFactory, tmp_path: Path
) -> None:
    from segment_tui.services.criteria.actions import AddOptions, add_contacts
    from segment_tui.services.segments.headers import create_segment
    from tests.engine.support import where

    for n in range(31):
        make_contact(no=f"K{n:02}", type="company", name=f"Company {n:02}", city="Leeds")
    number = create_segment("Many")["no"]
    add_contacts(number, where("city=Leeds"), AddOptions())
    letter = print_labels(number, tmp_path / "a.pdf", layout="avery-5160")
    a4 = print_labels(number, tmp_path / "b.pdf", layout="a4-3x8")
    assert (letter.layout, letter.pages, pdf_pages(tmp_path / "a.pdf")) == ("letter-3x10", 2, 2)
    assert (a4.pages, pdf_pages(tmp_path / "b.pdf")) == (2, 2)


def test_labels_refuse_an_empty_segment_and_write_nothing(cronus: object, out_dir: Path) -> None:
    from segment_tui.services.segments.headers import create_segment

    number = create_segment("Empty")["no"]
    with pytest.raises(UserError, match=f"Segment {number} is empty."):
        print_labels(number, out_dir / "x.pdf")
    assert list(out_dir.iterdir()) == []


def test_an_existing_file_is_replaced_only_when_the_user_says_so(
    addresses: str, out_dir: Path
) -> None:
    out = out_dir / "labels.pdf"
    out.write_bytes(b"old")
    with pytest.raises(ConfirmationRequired) as asked:
        print_labels(addresses, out, answers=NO_ANSWERS)
    assert asked.value.default is False and "already exists" in asked.value.text
    with pytest.raises(UserError, match="already exists; nothing was written"):
        print_labels(addresses, out, answers=Answers({REPLACE_FILE: False}))
    assert out.read_bytes() == b"old"
    print_labels(addresses, out, answers=Answers({REPLACE_FILE: True}))
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out_dir.iterdir()] == ["labels.pdf"]  # no temporary left


# -- cover sheets -------------------------------------------------------------------------


def test_cover_sheets_one_page_per_contact_with_text_and_remarks(
    addresses: str, tmp_path: Path
) -> None:
    out = tmp_path / "cover.pdf"
    options = CoverSheetOptions(
        text=("Please find enclosed our spring catalogue.", "We look forward to your order."),
        remarks=("information", "call"),
        custom_remark="Bring it to the fair",
        date=dt.date(2026, 3, 2),
    )
    result = print_cover_sheets(addresses, out, options)
    assert result.pages == 7 and pdf_pages(out) == 7
    text = pdf_text(out)
    assert text.count("Cover Sheet") == 7
    assert text.count("Please find enclosed our spring catalogue.") == 7
    for caption in ("As agreed upon", "For your information", "Please call", "Returned after use",
                    "Bring it to the fair", "Best regards,", "2 March 2026",
                    "CRONUS International Ltd.", "VAT Reg. No.", "GB777777771"):  # fmt: skip
        assert caption in text, caption
    first = pdf_text(out).split("\f")[0]
    assert "Adatum Corporation\nStation Road 21\nLondon\nW2 8HG" in first
    # The ticked remarks carry BC's "x" before their caption; the others do not.
    page = pdf_text(out, layout=True).split("\f")[0]
    marked = {caption for caption in ("As agreed upon", "For your information", "Please call",
                                      "Returned after use", "Bring it to the fair")
              if f"x {caption}" in page}  # fmt: skip
    assert marked == {"For your information", "Please call", "Bring it to the fair"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (CoverSheetOptions(text=tuple(f"line {n}" for n in range(6))), "text: at most 5 lines"),
        (CoverSheetOptions(text=("x" * 101,)), "text line 1: at most 100 characters"),
        (CoverSheetOptions(remarks=("thanks",)), "remark: 'thanks' is not a remark"),
        (CoverSheetOptions(custom_remark="y" * 101), "custom remark: at most 100"),
    ],
)
def test_cover_sheet_options_bc_would_not_accept_are_refused(
    addresses: str, out_dir: Path, options: CoverSheetOptions, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        print_cover_sheets(addresses, out_dir / "cover.pdf", options)
    assert list(out_dir.iterdir()) == []


# -- Segment - Contacts report ------------------------------------------------------------


def _log_and_cancel_one(addresses: str) -> None:
    """Log a copy of the segment's contacts twice (6 + 1 interactions), cancel one entry."""
    from segment_tui.models import InteractionLogEntry
    from segment_tui.services.interactions.entries import toggle_canceled
    from segment_tui.services.log.log_segment import log_segment
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    for contacts in (["P1", "P2", "C2"], ["P1"]):
        header = create_segment("Earlier letter", template="LETTER", salesperson="BC")
        for no in contacts:
            add_line(header["no"], no)
        log_segment(header["no"])
    bob = InteractionLogEntry.get(InteractionLogEntry.contact_no == "P2")
    toggle_canceled([bob.entry_no])


def test_the_report_as_csv_lists_contacts_by_number_with_their_interactions(
    addresses: str, tmp_path: Path
) -> None:
    _log_and_cancel_one(addresses)
    out = tmp_path / "report.csv"
    result = segment_contacts_report(addresses, out)
    assert (result.format, result.contacts) == ("csv", 7)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["contact_no"] for r in rows] == ["C1", "C2", "C3", "P1", "P2", "P8", "P9"]
    counts = {r["contact_no"]: (r["no_of_interactions"], r["cost_lcy"]) for r in rows}
    # A person counts their own entries, a company its persons' too; canceled ones don't.
    assert counts["P1"][0] == "2" and counts["P2"][0] == "0"
    assert counts["C1"][0] == "2" and counts["C2"][0] == "1" and counts["C3"][0] == "0"
    assert rows[0]["segment_no"] == addresses and rows[0]["segment_description"] == "Spring letter"
    assert rows[1]["city"] == "Köln" and rows[1]["country_region_code"] == "DE"


def test_the_report_as_pdf_pages_through_a_long_segment(
    make_contact: ContactFactory, tmp_path: Path
) -> None:
    from segment_tui.services.criteria.actions import AddOptions, add_contacts
    from segment_tui.services.segments.headers import create_segment
    from tests.engine.support import where

    for n in range(60):
        make_contact(no=f"K{n:02}", type="company", name=f"Company {n:02}",
                     address=f"{n} High Street", city="Leeds", post_code="LS1 1UR",
                     country_region_code="GB")  # fmt: skip
    number = create_segment("Many")["no"]
    add_contacts(number, where("city=Leeds"), AddOptions())
    out = tmp_path / "report.pdf"
    result = segment_contacts_report(number, out, date=dt.date(2026, 3, 2))
    assert result.pages == pdf_pages(out) >= 3
    text = pdf_text(out)
    assert text.count("Segment - Contacts") == result.pages
    assert "Page 1" in text and f"Page {result.pages}" in text
    assert "60 contacts" in text and "Company 59" in text and "2 March 2026" in text


def test_the_report_needs_a_pdf_or_csv_file_name(addresses: str, out_dir: Path) -> None:
    with pytest.raises(UserError, match=r"must end in \.pdf or \.csv"):
        segment_contacts_report(addresses, out_dir / "report.txt")
    with pytest.raises(UserError, match="does not exist"):
        segment_contacts_report(addresses, out_dir / "missing" / "report.csv")
    assert list(out_dir.iterdir()) == []


# -- Export Contacts -----------------------------------------------------------------------


def test_export_contacts_writes_the_contacts_export_columns_for_the_segment_only(
    addresses: str, make_contact: ContactFactory, tmp_path: Path
) -> None:
    from segment_tui.services.contacts.export import EXPORT_COLUMNS, export_contacts
    from segment_tui.services.contacts.query import contact_condition

    make_contact(no="Z1", type="company", name="Not on the segment")
    out = tmp_path / "segment.csv"
    assert export_segment_contacts(addresses, out) == (addresses, 7)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert [r["no"] for r in rows] == ["C1", "C2", "C3", "P1", "P2", "P8", "P9"]
    # The same writer as `contacts export`: byte for byte what it writes for them.
    same = tmp_path / "same.csv"
    export_contacts(same, contact_condition(["no=C1|C2|C3|P1|P2|P8|P9"]))
    assert out.read_bytes() == same.read_bytes()


# -- the command line ------------------------------------------------------------------------


def test_the_commands_print_json_documents(addresses: str, cli: Run, tmp_path: Path) -> None:
    out = str(tmp_path / "l.pdf")
    labels = ok_json(cli, "segment", "labels", addresses.lower(), "--out", out,
                     "--layout", "L7163", "--merge-households")  # fmt: skip
    assert labels["layout"] == "a4-2x7" and labels["labels"] == 5 and labels["merged"] == 2
    cover = ok_json(cli, "segment", "cover-sheets", addresses, "--out", str(tmp_path / "c.pdf"),
                    "--text", "Hello", "--remark", "call")  # fmt: skip
    assert cover["pages"] == 7 and cover["file"] == str(tmp_path / "c.pdf")
    report = ok_json(cli, "segment", "report", addresses, "--out", str(tmp_path / "r.csv"))
    assert (report["format"], report["contacts"]) == ("csv", 7)
    export = ok_json(cli, "segment", "export-contacts", addresses, str(tmp_path / "e.csv"))
    assert export == {"segment_no": addresses, "file": str(tmp_path / "e.csv"), "contacts": 7}


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["labels", "SEG00001", "--out", "{tmp}/x.pdf", "--layout", "a5"], 2, "invalid choice"),
        (["labels", "SEG00001"], 2, "--out"),
        (["labels", "SEG09999", "--out", "{tmp}/x.pdf"], 1, "The Segment Header does not exist"),
        (["labels", "SEG00001", "--out", "{tmp}/x.png"], 1, "must end in .pdf"),
        (["labels", "SEG00001", "--out", "{tmp}/no/x.pdf"], 1, "does not exist"),
        (["cover-sheets", "SEG00001", "--out", "{tmp}/x.pdf", "--remark", "hi"], 2, "invalid"),
        (["cover-sheets", "SEG00001", "--out", "{tmp}/x.pdf", "--text", "x" * 101], 1,
         "text line 1: at most 100 characters"),
        (["report", "SEG00001", "--out", "{tmp}/x.xlsx"], 1, "must end in .pdf or .csv"),
        (["export-contacts", "SEG00001", "{tmp}/x.txt"], 1, "must end in .csv"),
    ],
)  # fmt: skip
def test_bad_requests_are_refused_with_a_message_and_nothing_written(
    addresses: str, cli: Run, out_dir: Path, args: list[str], status: int, message: str
) -> None:
    out = out_dir
    code, stdout, stderr = cli("segment", *[a.replace("{tmp}", str(out)) for a in args])
    assert code == status, stderr
    assert message in stderr and stderr.startswith(("error:", "usage:"))
    assert "Traceback" not in stderr and stdout == ""
    assert list(out.iterdir()) == []


def test_labels_and_report_in_a_real_process(addresses: str, process: Run, tmp_path: Path) -> None:
    code, out, err = process("segment", "labels", addresses, "--out", str(tmp_path / "l.pdf"))
    assert code == 0, err
    assert out.strip() == f"Printed 7 labels (1 page, a4-3x8) to {tmp_path / 'l.pdf'}."
    assert pdf_pages(tmp_path / "l.pdf") == 1
    code, out, err = process("segment", "report", addresses, "--out", str(tmp_path / "r.pdf"),
                             "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["pages"] == pdf_pages(tmp_path / "r.pdf") == 1
    # A font the machine lacks is named in the refusal, and nothing is written.
    code, out, err = process("segment", "labels", addresses, "--out", str(tmp_path / "x.pdf"),
                             env={"SEGMENT_TUI_PDF_FONT": "/nonexistent.ttf"})  # fmt: skip
    assert (code, out) == (1, "")
    assert "SEGMENT_TUI_PDF_FONT: /nonexistent.ttf is not a font file" in err
    assert not (tmp_path / "x.pdf").exists()


def test_characters_the_font_lacks_are_named(
    make_contact: ContactFactory, process: Run, out_dir: Path
) -> None:
    import reportlab

    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    make_contact(no="P1", type="person", name="王小明", city="Leeds")
    number = create_segment("Vera")["no"]
    add_line(number, "P1")
    vera = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")
    code, out, err = process("segment", "labels", number, "--out", str(out_dir / "l.pdf"),
                             "--json", env={"SEGMENT_TUI_PDF_FONT": vera})  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["missing_characters"] == "小明王"
    assert json.loads(out)["font"] == "Vera"
    assert "warning: the font Vera has no '小明王'" in err
