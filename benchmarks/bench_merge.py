"""Benchmark: 1,000 merged letters with segment_tui.merge and with docx-mailmerge2.

Run with ``.venv/bin/python benchmarks/bench_merge.py [--letters N] [--repeat R]``.

Builds a realistic one-page letter template with python-docx (header with the company name
field, address block, salutation, body paragraphs, a small table, a footer with a PAGE
field), using real Word MERGEFIELDs with Business Central's field names so that both
engines can merge the same file, then times:

* 1,000 letters into one combined .docx (a section per letter, per-letter headers);
* 1,000 letters into separate files in a temporary directory (template parsed once);

for segment_tui.merge and for docx-mailmerge2 (if installed).  Prints the best of
``--repeat`` runs in seconds.  The speed targets of PRODUCT.md §8 are printed alongside;
nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import datetime
import io
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from segment_tui.merge import DocxTemplate  # noqa: E402

LOREM = (
    "Thank you for your interest in our spring programme. As discussed with {name}, we would "
    "like to invite you to our product day, where our team presents this year's range and "
    "answers your questions in person. Refreshments will be served throughout the day."
)


def add_field(par: Paragraph, name: str, *, bold: bool = False, switches: str = "") -> None:
    """Append a complex MERGEFIELD (begin/instr/separate/«result»/end) to ``par``."""

    def run(child: OxmlElement) -> None:
        r = OxmlElement("w:r")
        if bold:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            r.append(rpr)
        r.append(child)
        par._p.append(r)

    def fld(kind: str) -> OxmlElement:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f' MERGEFIELD "{name}" {switches}\\* MERGEFORMAT '
    result = OxmlElement("w:t")
    result.text = f"\u00ab{name}\u00bb"
    for child in (fld("begin"), instr, fld("separate"), result, fld("end")):
        run(child)


def add_page_field(par: Paragraph) -> None:
    """Append a simple PAGE field (left alone by both engines)."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    par._p.append(fld)


def build_template() -> bytes:
    """A one-page business letter with BC merge fields."""
    doc = docx.Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    section = doc.sections[0]
    hp = section.header.paragraphs[0]
    add_field(hp, "Company Information Name", bold=True)
    hp.add_run(" \u00b7 ")
    add_field(hp, "Company Information Address")
    hp.add_run(", ")
    add_field(hp, "Company Information City")
    fp = section.footer.paragraphs[0]
    fp.add_run("Phone ")
    add_field(fp, "Company Information Phone No.")
    fp.add_run(" \u00b7 VAT ")
    add_field(fp, "Company Information VAT Registration No.")
    fp.add_run(" \u00b7 Page ")
    add_page_field(fp)

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_field(p, "Document Date", switches='\\@ "d MMMM yyyy" ')
    add_field(doc.add_paragraph(), "Contact Mail Address")
    doc.add_paragraph()
    p = doc.add_paragraph()
    p.add_run("Subject: ").bold = True
    add_field(p, "Document Subject", bold=True)
    p = doc.add_paragraph()
    add_field(p, "Formal Salutation")
    p.add_run(",")
    for i in range(3):
        p = doc.add_paragraph(LOREM.format(name="our colleague") if i else "")
        if i == 0:
            p.add_run("we are pleased to write to you, ")
            add_field(p, "Contact Name")
            p.add_run(". " + LOREM.format(name="you"))
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    cells = [
        ("Contact No.", "Contact Company Name", "Contact Phone No."),
        ("Salesperson/Purchaser Name", "Salesperson/Purchaser Email", "Document Campaign No."),
    ]
    for c, title in enumerate(("Customer", "Contact", "Phone")):
        table.cell(0, c).paragraphs[0].add_run(title).bold = True
    for r, row in enumerate(cells, 1):
        for c, name in enumerate(row):
            add_field(table.cell(r, c).paragraphs[0], name)
    p = doc.add_paragraph()
    add_field(p, "Line Note")
    doc.add_paragraph("Kind regards,")
    p = doc.add_paragraph()
    add_field(p, "Salesperson/Purchaser Name")
    p = doc.add_paragraph()
    add_field(p, "Salesperson/Purchaser Job Title")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def records(n: int) -> list[dict[str, object]]:
    """``n`` realistic records with BC field names."""
    rows: list[dict[str, object]] = []
    for i in range(n):
        name = f"Ann M\u00fcller-{i:04d}"
        rows.append(
            {
                "Company Information Name": "CRONUS International Ltd.",
                "Company Information Address": "5 The Ring",
                "Company Information City": "Westminster",
                "Company Information Phone No.": "0666-666-6666",
                "Company Information VAT Registration No.": "GB777777777",
                "Document Date": datetime.date(2025, 3, 14),
                "Contact Mail Address": f"{name}\nO'Brien & Co <Ltd>\n{i} High Street\nLondon",
                "Document Subject": "Invitation to our product day",
                "Formal Salutation": f"Dear Ms. {name}",
                "Contact Name": name,
                "Contact No.": f"CT{i:06d}",
                "Contact Company Name": "O'Brien & Co",
                "Contact Phone No.": f"+44 20 7946 {i:04d}",
                "Salesperson/Purchaser Name": "Peter Saddow",
                "Salesperson/Purchaser Email": "ps@cronus.example",
                "Document Campaign No.": "CP1001",
                "Line Note": "Looking forward to seeing you \u20ac \U0001f600",
                "Salesperson/Purchaser Job Title": "Sales Manager",
            }
        )
    return rows


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Best wall-clock time of ``repeat`` runs of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run the benchmark and print a table of seconds."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the output directory")
    args = ap.parse_args()
    n, repeat = args.letters, args.repeat
    template = build_template()
    rows = records(n)
    tmp = Path(tempfile.mkdtemp(prefix="bench_merge_"))
    try:
        run(template, rows, tmp, n, repeat)
    finally:
        if args.keep:
            print(f"outputs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def mailmerge_runs(
    template: bytes, rows: list[dict[str, str]], tmp: Path
) -> tuple[Callable[[], None], Callable[[], None]] | None:
    """docx-mailmerge2 merging ``rows`` into one file and into one file each (the same
    runs for bench_delivery), or None when it is not installed."""
    try:
        from mailmerge import MailMerge
    except ImportError:
        return None

    def combined() -> None:
        with warnings.catch_warnings(), MailMerge(io.BytesIO(template)) as mm:
            warnings.simplefilter("ignore")
            mm.merge_templates(rows, separator="nextPage_section")
            mm.write(str(tmp / "mm_combined.docx"))

    def separate() -> None:
        out = tmp / "mm"
        out.mkdir(exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for i, row in enumerate(rows):
                with MailMerge(io.BytesIO(template)) as mm:
                    mm.merge(**row)
                    mm.write(str(out / f"letter_{i:04d}.docx"))

    return combined, separate


def run(template: bytes, rows: list[dict[str, object]], tmp: Path, n: int, repeat: int) -> None:
    """Time both engines, both outputs; print the table."""
    results: list[tuple[str, str, float, int]] = []

    def ours_combined() -> None:
        tpl = DocxTemplate.from_bytes(template)
        doc = tpl.merge_combined(rows).document
        (tmp / "ours_combined.docx").write_bytes(doc)

    def ours_separate() -> None:
        tpl = DocxTemplate.from_bytes(template)
        out = tmp / "ours"
        out.mkdir(exist_ok=True)
        for i, row in enumerate(rows):
            (out / f"letter_{i:04d}.docx").write_bytes(tpl.merge(row).document)

    results.append(("segment_tui.merge", "combined", best_of(repeat, ours_combined), 0))
    results.append(("segment_tui.merge", "separate", best_of(repeat, ours_separate), 0))

    # docx-mailmerge2 formats dates only from strings; hand it the same text we print.
    def text(v: object) -> str:
        return v.strftime("%-d %B %Y") if isinstance(v, datetime.date) else str(v)

    runs = mailmerge_runs(template, [{k: text(v) for k, v in r.items()} for r in rows], tmp)
    if runs is not None:
        mm_combined, mm_separate = runs
        results.append(("docx-mailmerge2", "combined", best_of(repeat, mm_combined), 0))
        results.append(("docx-mailmerge2", "separate", best_of(repeat, mm_separate), 0))

    sizes = {
        ("segment_tui.merge", "combined"): tmp / "ours_combined.docx",
        ("docx-mailmerge2", "combined"): tmp / "mm_combined.docx",
    }
    print(f"{n} letters, best of {repeat} (template {len(template) / 1024:.1f} KiB)")
    print(f"{'engine':<20} {'output':<10} {'seconds':>8} {'per letter':>11} {'size':>10}")
    for engine, mode, secs, _ in results:
        path = sizes.get((engine, mode))
        size = f"{path.stat().st_size / 1024:.0f} KiB" if path and path.exists() else ""
        per = f"{secs / n * 1000:.2f} ms"
        print(f"{engine:<20} {mode:<10} {secs:>8.3f} {per:>11} {size:>10}")
    print("targets (PRODUCT.md §8 / brief): combined <= 1.5 s, separate <= 4 s for 1,000 letters")


if __name__ == "__main__":
    main()
