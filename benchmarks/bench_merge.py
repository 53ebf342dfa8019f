"""Benchmark the Word merge: engine speed, a big segment in flat memory, and PDFs.

    .venv/bin/python benchmarks/bench_merge.py [--letters N] [--repeat R]
        [--big N] [--db PATH] [--pdf N]

1. **Engine, 1,000 letters** (``--letters``): a realistic one-page letter built with
   python-docx (header and footer fields, address block, date switch, table) merged by
   segment_tui.merge and by docx-mailmerge2 (if installed) into one combined .docx and into
   one file per letter; prints the times and the ratio (target: ours >= 4x faster).
2. **A big segment** (``--big``, default 100,000 letters; 0 skips it): a demo database
   with that many contacts on one segment (built once, kept at ``--db``), then
   ``segment-tui segment merge`` in a child process: wall time and peak RSS (VmHWM, target
   <= 150 MB whatever the size). Next to it, measured in the same run, the floor: the
   raw sqlite3 query reading the same lines and contacts, plus the engine merging the same
   number of letters (the demo letter with values from that database) into memory. Target:
   ``segment merge`` within 2x of that floor.
3. **PDFs** (``--pdf N``, default 0): N hard-copy letters of the big segment's kind made
   into the combined PDF and one PDF per letter (LibreOffice in chunks, pypdf), as a
   delivery does (merge_pdf.letters_to_pdf).

Each figure is measured ``--repeat`` times and printed as best / median / worst; nothing
here asserts on time (the machine may be shared).
"""

from __future__ import annotations

import argparse
import datetime
import io
import itertools
import shutil
import sqlite3
import statistics
import subprocess
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


def runs_of(repeat: int, fn: Callable[[], object]) -> list[float]:
    """Wall-clock times of ``repeat`` runs of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Best wall-clock time of ``repeat`` runs of ``fn``."""
    return min(runs_of(repeat, fn))


def spread(times: list[float]) -> str:
    """``best / median / worst`` in seconds."""
    ordered = sorted(times)
    return f"{ordered[0]:.3f} / {statistics.median(ordered):.3f} / {ordered[-1]:.3f}"


def main() -> None:
    """Run the benchmarks and print their tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big", type=int, default=100_000, help="letters of the big segment (0: skip)")
    ap.add_argument("--db", type=Path, default=None, help="the big segment's database (kept)")
    ap.add_argument("--pdf", type=int, default=0, help="letters to make PDFs of (0: skip)")
    ap.add_argument("--keep", action="store_true", help="keep the output directory")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_merge_"))
    try:
        if args.letters:
            engine(build_template(), records(args.letters), tmp, args.letters, args.repeat)
        if args.big or args.pdf:
            size = max(args.big, args.pdf)
            db = args.db or Path(tempfile.gettempdir()) / f"bench_merge_{size}.db"
            segment = big_database(db, size)
            if args.big:
                big_segment(db, segment, args.big, tmp, args.repeat)
            if args.pdf:
                pdfs(db, segment, args.pdf, tmp, args.repeat)
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


def engine(template: bytes, rows: list[dict[str, object]], tmp: Path, n: int, repeat: int) -> None:
    """Time both engines, both outputs; print the table with the speed-up."""
    results: dict[tuple[str, str], list[float]] = {}

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

    results[("segment_tui.merge", "combined")] = runs_of(repeat, ours_combined)
    results[("segment_tui.merge", "separate")] = runs_of(repeat, ours_separate)

    # docx-mailmerge2 formats dates only from strings; hand it the same text we print.
    def text(v: object) -> str:
        return v.strftime("%-d %B %Y") if isinstance(v, datetime.date) else str(v)

    runs = mailmerge_runs(template, [{k: text(v) for k, v in r.items()} for r in rows], tmp)
    if runs is not None:
        mm_combined, mm_separate = runs
        results[("docx-mailmerge2", "combined")] = runs_of(repeat, mm_combined)
        results[("docx-mailmerge2", "separate")] = runs_of(repeat, mm_separate)

    sizes = {
        ("segment_tui.merge", "combined"): tmp / "ours_combined.docx",
        ("docx-mailmerge2", "combined"): tmp / "mm_combined.docx",
    }
    print(f"\n1. Engine: {n} letters, {repeat} runs (template {len(template) / 1024:.1f} KiB)")
    print(f"{'engine':<20} {'output':<10} {'best / median / worst s':>26} {'size':>10}")
    for (name, mode), times in results.items():
        path = sizes.get((name, mode))
        size = f"{path.stat().st_size / 1024:.0f} KiB" if path and path.exists() else ""
        print(f"{name:<20} {mode:<10} {spread(times):>26} {size:>10}")
    for mode in ("combined", "separate"):
        mm = results.get(("docx-mailmerge2", mode))
        if mm:
            ours = results[("segment_tui.merge", mode)]
            print(
                f"speed-up, {mode}: {min(mm) / min(ours):.1f}x (best), "
                f"{statistics.median(mm) / statistics.median(ours):.1f}x (median); target >= 4x"
            )


# --------------------------------------------------------------------------- big segment


def big_database(path: Path, letters: int) -> str:
    """A demo database with ``letters`` contacts all on one LETTER segment (built once)."""
    import segment_tui.db as sdb
    from segment_tui.models import SegmentHeader, SegmentLine
    from segment_tui.services.criteria.actions import AddOptions, add_contacts
    from segment_tui.services.demo.seed import seed_contacts
    from segment_tui.services.demo.setup_data import seed_setup
    from segment_tui.services.segments.headers import create_segment

    sdb.open_database(str(path))
    try:
        for header in SegmentHeader.select().where(SegmentHeader.description == "Bench merge"):
            count = SegmentLine.select().where(SegmentLine.segment_no == header.no).count()
            if count == letters:
                return str(header.no)
        start = time.perf_counter()
        with sdb.write_transaction():
            seed_setup()
            seed_contacts(letters)
        header_record = create_segment(
            "Bench merge", template="LETTER", salesperson="BC", date=datetime.date(2026, 12, 3)
        )
        add_contacts(header_record["no"], [], AddOptions(ignore_exclusion=True))
        print(f"built {path} ({letters:,} contacts) in {time.perf_counter() - start:.0f} s")
        return str(header_record["no"])
    finally:
        sdb.close_database()


_CHILD = """
import sys, time
from segment_tui.cli import main
start = time.perf_counter()
status = main(sys.argv[1:])
seconds = time.perf_counter() - start
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(f"BENCH {status} {seconds:.3f} {peak}", file=sys.stderr)
"""


def _child(args: list[str]) -> tuple[float, float]:
    """Run ``segment-tui ARGS`` in a fresh interpreter: (seconds, peak RSS in MB)."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, check=False
    )
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")), None)
    if line is None or line.split()[1] != "0":
        raise SystemExit(f"segment-tui {' '.join(args)} failed: {proc.stderr[-2000:]}")
    _, _, seconds, peak = line.split()
    return float(seconds), int(peak) / 1024


def raw_read(path: Path, segment: str) -> float:
    """The floor's first part: plain sqlite3 reading the lines with their contacts."""
    connection = sqlite3.connect(path)
    try:
        start = time.perf_counter()
        cursor = connection.execute(
            "SELECT l.line_no, l.date, l.subject, l.line_note, l.salesperson_code, c.* "
            "FROM segment_line l JOIN contact c ON c.no = l.contact_no "
            "WHERE l.segment_no = ? ORDER BY l.line_no",
            (segment,),
        )
        while cursor.fetchmany(2000):
            pass
        return time.perf_counter() - start
    finally:
        connection.close()


def engine_alone(path: Path, segment: str, letters: int) -> Callable[[], None]:
    """The floor's second part: the engine merging ``letters`` letters of the demo LETTER
    document with values already computed (2,000 real ones, cycled) into memory."""
    import segment_tui.db as sdb
    from segment_tui.services.documents.merge_preview import DocumentCache
    from segment_tui.services.documents.merge_values import iter_segment_merge_values

    sdb.open_database(str(path))
    try:
        pairs = list(itertools.islice(iter_segment_merge_values(segment), 2000))
        attachment = pairs[0][0].attachment_no
        assert attachment is not None
        template = DocumentCache().get(attachment)
    finally:
        sdb.close_database()
    values = [v for _, v in pairs]

    def run() -> None:
        out = io.BytesIO()
        template.write_combined(itertools.islice(itertools.cycle(values), letters), out)

    return run


def big_segment(path: Path, segment: str, letters: int, tmp: Path, repeat: int) -> None:
    """``segment merge`` of the big segment: time, peak RSS, and the floor beside it."""
    out = tmp / "big.docx"
    merged: list[float] = []
    peaks: list[float] = []
    for _ in range(repeat):
        seconds, peak = _child(["--db", str(path), "segment", "merge", segment, "--out", str(out)])
        merged.append(seconds)
        peaks.append(peak)
    raw = [raw_read(path, segment) for _ in range(repeat)]
    alone = runs_of(repeat, engine_alone(path, segment, letters))
    floor = [r + a for r, a in zip(raw, alone, strict=True)]
    print(f"\n2. segment merge of {letters:,} letters into one .docx, {repeat} runs")
    print(f"{'what':<44} {'best / median / worst s':>26}")
    print(f"{'segment merge (child process, end to end)':<44} {spread(merged):>26}")
    print(f"{'floor: raw sqlite3 read of lines + contacts':<44} {spread(raw):>26}")
    print(f"{'floor: engine alone, values ready, in memory':<44} {spread(alone):>26}")
    print(f"{'floor: sum':<44} {spread(floor):>26}")
    print(
        f"segment merge / floor: {min(merged) / min(floor):.2f}x (best), "
        f"{statistics.median(merged) / statistics.median(floor):.2f}x (median); target <= 2x"
    )
    print(
        f"peak RSS: {min(peaks):.0f} / {statistics.median(peaks):.0f} / {max(peaks):.0f} MB; "
        f"target <= 150 MB; output {out.stat().st_size / 1e6:.1f} MB"
    )


# --------------------------------------------------------------------------- PDFs


def pdfs(path: Path, segment: str, letters: int, tmp: Path, repeat: int) -> None:
    """The combined PDF and one PDF per letter for ``letters`` hard-copy letters."""
    import segment_tui.db as sdb
    from segment_tui.services.documents.merge_pdf import letters_to_pdf, soffice_path
    from segment_tui.services.documents.merge_preview import DocumentCache
    from segment_tui.services.documents.merge_values import iter_segment_merge_values

    if soffice_path() is None:
        print("\n3. PDFs: skipped (LibreOffice is not installed)")
        return
    sdb.open_database(str(path))
    try:
        pairs = list(itertools.islice(iter_segment_merge_values(segment), letters))
        attachment = pairs[0][0].attachment_no
        assert attachment is not None
        template = DocumentCache().get(attachment)
    finally:
        sdb.close_database()
    values = [v for _, v in pairs]
    times: list[float] = []
    for run in range(repeat):
        folder = tmp / f"pdf{run}"
        names = [folder / f"letter {i:05d}.pdf" for i in range(len(values))]
        start = time.perf_counter()
        report = letters_to_pdf(template, values, combined=folder / "Segment.pdf", letters=names)
        times.append(time.perf_counter() - start)
        if not report.ok:
            print(report.summary)
    print(
        f"\n3. PDFs of {len(values):,} hard-copy letters (combined + one per letter), {repeat} runs"
    )
    print(f"{'LibreOffice in chunks + pypdf':<44} {spread(times):>26}")


if __name__ == "__main__":
    main()
