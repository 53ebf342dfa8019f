"""Benchmark: delivering 1,000 letters of a logged segment, end to end, from a database.

Run with ``.venv/bin/python benchmarks/bench_delivery.py [--letters N] [--repeat R] [--pdf]``.

Seeds a temporary SQLite database with the demo setup and N contacts, builds a segment
of all of them with the demo LETTER template (a hard copy for every line), and times:

* **preview, combined**: ``merge_segment`` of the unlogged segment into one .docx — reading
  the lines, computing every merge value, merging, writing the file;
* **logged, combined**: the same for the logged segment's interaction log entries (what
  delivery prints), values included;
* **deliver, separate files**: ``deliver_logged_segment`` without PDFs — a .docx per contact,
  the print file, the merged documents stored as attachments, the statuses recorded;
* **docx-mailmerge2**: the same template and the same values (as text), combined and one
  file per contact, in the same run;
* with ``--pdf``: **deliver with PDFs** — the same delivery with the print file's PDF and
  one PDF per letter (LibreOffice in chunks of 100 letters, joined and cut with pypdf).

Prints the best and the spread (fastest–slowest) of ``--repeat`` runs; the targets are
shown alongside and nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from segment_tui.db import close_database, open_database, write_transaction  # noqa: E402
from segment_tui.merge import DocxTemplate, MergeValue  # noqa: E402
from segment_tui.models import InteractionLogEntry  # noqa: E402
from segment_tui.services.criteria.actions import AddOptions, add_contacts  # noqa: E402
from segment_tui.services.delivery.deliver import deliver_logged_segment  # noqa: E402
from segment_tui.services.demo.seed import seed_contacts, seed_setup  # noqa: E402
from segment_tui.services.documents.merge_pdf import soffice_path  # noqa: E402
from segment_tui.services.documents.merge_preview import DocumentCache, merge_segment  # noqa: E402
from segment_tui.services.documents.merge_sources import entry_sources  # noqa: E402
from segment_tui.services.documents.merge_values import MergeData  # noqa: E402
from segment_tui.services.log.log_segment import log_segment  # noqa: E402
from segment_tui.services.segments.headers import create_segment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_merge import mailmerge_runs  # noqa: E402


def run_times(
    repeat: int, run: Callable[[], object], before: Callable[[], object] | None = None
) -> list[float]:
    """Wall-clock times of ``repeat`` runs, fastest first (``before`` runs untimed
    before each)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return sorted(times)


def seed(letters: int) -> tuple[str, int]:
    """Setup, contacts, an unlogged segment and a logged one (Send): their numbers."""
    with write_transaction():
        seed_setup()
        seed_contacts(letters)
    numbers = []
    for description in ("Preview", "Delivery"):
        header = create_segment(
            description, template="LETTER", salesperson="BC", date=dt.date(2026, 12, 1)
        )
        add_contacts(header["no"], [], AddOptions(ignore_exclusion=True))
        numbers.append(str(header["no"]))
    result = log_segment(numbers[1], send=True)
    return numbers[0], result.logged_segment_entry_no


def _text(value: MergeValue) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"  # what \\@ "d MMMM yyyy" prints
    return "" if value is None else str(value)


def main() -> None:
    """Seed, time, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="also time the PDF conversion")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_delivery_"))
    try:
        open_database(str(tmp / "bench.db"))
        start = time.perf_counter()
        preview_no, logged = seed(args.letters)
        seconds = time.perf_counter() - start
        print(f"seeded {args.letters} contacts and logged a segment in {seconds:.1f} s")
        run(tmp, preview_no, logged, args.letters, args.repeat, args.pdf)
    finally:
        close_database()
        shutil.rmtree(tmp, ignore_errors=True)


def run(tmp: Path, preview_no: str, logged: int, n: int, repeat: int, pdf: bool) -> None:
    """Time every variant and print the table."""
    rows: list[tuple[str, str, list[float]]] = []
    mine = InteractionLogEntry.logged_segment_entry_no == logged

    rows.append(
        (
            "segment_tui",
            "preview, combined",
            run_times(repeat, lambda: merge_segment(preview_no, tmp / "preview.docx")),
        )
    )

    values_holder: dict[str, Any] = {}

    def logged_combined() -> None:
        sources = entry_sources(mine)
        contacts = InteractionLogEntry.select(InteractionLogEntry.contact_no).where(mine)
        data = MergeData.for_sources(sources, contacts)
        records = [data.values(s) for s in sources]
        attachment = sources[0].attachment_no
        assert attachment is not None
        document = DocumentCache().get(attachment).merge_combined(records).document
        (tmp / "logged.docx").write_bytes(document)
        values_holder["records"] = records
        values_holder["attachment"] = attachment

    rows.append(("segment_tui", "logged, combined", run_times(repeat, logged_combined)))

    counter = {"run": 0}
    outputs: dict[str, Path] = {}

    def reset() -> None:
        counter["run"] += 1
        outputs["dir"] = tmp / f"delivery{counter['run']}"
        InteractionLogEntry.update(delivery_status="in_progress").where(mine).execute()

    def deliver(pdf: bool = False) -> None:
        report = deliver_logged_segment(logged, outputs["dir"], pdf=pdf)
        assert report.files == n and not report.incomplete, report.summary
        assert report.pdfs == (n + 1 if pdf else 0), report.summary

    rows.append(("segment_tui", "deliver, separate files", run_times(repeat, deliver, reset)))
    if pdf and soffice_path():
        rows.append(
            (
                "segment_tui",
                f"deliver with {n + 1} PDFs",
                run_times(repeat, lambda: deliver(pdf=True), reset),
            )
        )

    records = values_holder["records"]
    attachment = values_holder["attachment"]
    from segment_tui.models import Attachment

    template = bytes(Attachment.get(Attachment.no == attachment).content)
    runs = mailmerge_runs(template, [{k: _text(v) for k, v in r.items()} for r in records], tmp)
    if runs is not None:
        mm_combined, mm_separate = runs
        rows.append(("docx-mailmerge2", "combined (values given)", run_times(repeat, mm_combined)))
        rows.append(
            ("docx-mailmerge2", "separate files (values given)", run_times(repeat, mm_separate))
        )

        ours = DocxTemplate.from_bytes(template)
        rows.append(
            (
                "segment_tui.merge",
                "combined (values given)",
                run_times(repeat, lambda: ours.merge_combined(records)),
            )
        )

    print(f"\n{n} letters (demo LETTER template), {repeat} runs")
    print(f"{'engine':<18} {'what':<32} {'best s':>8} {'per letter':>11}  spread s")
    for engine, what, times in rows:
        best = times[0]
        print(
            f"{engine:<18} {what:<32} {best:>8.3f} {best / n * 1000:>8.2f} ms"
            f"  {times[0]:.2f}–{times[-1]:.2f}"
        )
    print(
        "targets: 1,000 letters into one combined .docx incl. merge values <= 1.5 s; "
        "separate files: a few seconds; with PDFs: reasonable"
    )


if __name__ == "__main__":
    main()
