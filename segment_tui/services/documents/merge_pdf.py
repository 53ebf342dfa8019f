"""PDFs of merged letters, made by LibreOffice in chunks and joined with pypdf.

Converting one combined .docx of a thousand letters in one LibreOffice run is slow and,
past a timeout, produced nothing at all; converting every letter's own .docx costs a
LibreOffice document load per letter (about 0.35 s each on a busy 2-core machine). So the
letters are merged again into **chunks** of :data:`CHUNK_LETTERS` letters (a combined
.docx each, in a private temporary folder), the chunks are converted in as few
LibreOffice runs as fit (each with a private profile and its own timeout, the whole
process group killed when it runs over), and then:

* the **combined PDF** is the chunks' PDFs joined in order (pypdf);
* **one PDF per letter** is cut from its chunk: every letter of a combined document ends
  with a bookmark (``_LetterEnd<n>``), which LibreOffice exports as a named destination,
  so the pages of each letter are known exactly.

A chunk that fails is tried once more on its own; what still fails is reported **per
file** with the reason (:class:`PdfReport`), and a file that could not be made is never
left behind half-written or from an earlier run. Callers decide the exit status: a
promised PDF that is missing is an error.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from segment_tui.merge import DocxTemplate, MergeValue

CHUNK_LETTERS = 100
"""Letters per converted chunk (a 100-letter chunk converts in a few seconds)."""
CHUNKS_PER_RUN = 5
"""Chunks per LibreOffice run (one start-up of about a second per run)."""
SECONDS_PER_RUN = 120.0
SECONDS_PER_LETTER = 1.0
"""A run's timeout: :data:`SECONDS_PER_RUN` plus this per letter (generous: a letter
takes about 0.03 s; a slow machine must not turn into missing files)."""

# Word bookmarks become named destinations in the PDF (how letters are told apart).
_EXPORT = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)
_LETTER_END = re.compile(r"LetterEnd(\d+)$")

Progress = Callable[[int, int], None]


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@dataclass
class PdfReport:
    """What a PDF conversion made and, per file, why it did not make the others."""

    made: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every promised PDF was made."""
        return not self.failed

    def merge(self, other: PdfReport) -> None:
        """Add another report's files."""
        self.made += other.made
        self.failed.update(other.failed)

    @property
    def summary(self) -> str:
        """One line per missing PDF (empty when all were made)."""
        return "\n".join(f"{path}: {reason}" for path, reason in self.failed.items())


@dataclass
class _Chunk:
    docx: Path
    first: int  # index of its first letter
    letters: int

    @property
    def pdf(self) -> Path:
        return self.docx.with_suffix(".pdf")


def letters_to_pdf(
    template: DocxTemplate,
    records: Iterable[Mapping[str, MergeValue]],
    *,
    combined: Path | None = None,
    letters: Sequence[Path] | None = None,
    chunk_letters: int = CHUNK_LETTERS,
    on_progress: Progress | None = None,
) -> PdfReport:
    """PDFs of ``records`` merged with ``template``: the ``combined`` PDF (all letters in
    order) and/or one PDF per letter (``letters[i]`` for record ``i``).

    ``on_progress(letters_converted, letters)`` is called after each LibreOffice run.
    Without LibreOffice every promised file fails with that reason.
    """
    promised = [p for p in ([combined] if combined else []) + list(letters or ())]
    for path in promised:
        _remove(path)  # a stale PDF of an earlier run must not pass for this one
    soffice = soffice_path()
    report = PdfReport()
    if soffice is None:
        for path in promised:
            report.failed[path] = "LibreOffice (soffice) is not installed."
        return report
    with tempfile.TemporaryDirectory(prefix="segment-tui-pdf-") as work:
        folder = Path(work)
        chunks = _write_chunks(template, records, folder, chunk_letters)
        total = sum(c.letters for c in chunks)
        if letters is not None and len(letters) != total:
            raise ValueError(f"{len(letters)} letter PDFs named for {total} letters")
        errors = _convert_chunks(soffice, folder, chunks, total, on_progress)
        for chunk in chunks:
            error = errors.get(chunk.docx)
            if letters is None:
                continue
            paths = letters[chunk.first : chunk.first + chunk.letters]
            if error is None:
                error = _split(chunk, paths, report)
            if error is not None:
                for path in paths:
                    report.failed[path] = error
        if combined is not None:
            missing = [c for c in chunks if c.docx in errors]
            if missing:
                first = missing[0]
                report.failed[combined] = (
                    f"letters {first.first + 1}–{first.first + first.letters} could not be "
                    f"converted: {errors[first.docx]}"
                )
            else:
                try:
                    _join([c.pdf for c in chunks], combined)
                except OSError as err:
                    report.failed[combined] = f"Cannot write {combined}: {err.strerror or err}"
                else:
                    report.made.append(combined)
    return report


# --------------------------------------------------------------------------- chunks


def _write_chunks(
    template: DocxTemplate,
    records: Iterable[Mapping[str, MergeValue]],
    folder: Path,
    size: int,
) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    iterator: Iterator[Mapping[str, MergeValue]] = iter(records)
    first = 0
    while True:
        batch = list(itertools.islice(iterator, size))
        if not batch:
            return chunks
        path = folder / f"c{len(chunks):06d}.docx"
        with path.open("wb") as out:
            template.write_combined(batch, out, level=1)
        chunks.append(_Chunk(path, first, len(batch)))
        first += len(batch)


def _convert_chunks(
    soffice: str,
    folder: Path,
    chunks: Sequence[_Chunk],
    total: int,
    on_progress: Progress | None,
) -> dict[Path, str]:
    """Convert the chunks; the error text of each chunk that has no PDF afterwards."""
    profile = folder / "profile"
    errors: dict[Path, str] = {}
    done = 0
    for start in range(0, len(chunks), CHUNKS_PER_RUN):
        run = list(chunks[start : start + CHUNKS_PER_RUN])
        error = _run(soffice, profile, run, folder)
        missing = [c for c in run if not c.pdf.exists()]
        if missing and len(run) > 1:  # try the missing ones on their own
            for chunk in missing:
                error = _run(soffice, profile, [chunk], folder) or error
        for chunk in run:
            if not chunk.pdf.exists():
                errors[chunk.docx] = error or "LibreOffice wrote no PDF."
        done += sum(c.letters for c in run)
        if on_progress is not None:
            on_progress(done, total)
    return errors


def _run(soffice: str, profile: Path, chunks: Sequence[_Chunk], out_dir: Path) -> str:
    """One LibreOffice run over ``chunks``; "" or what went wrong."""
    timeout = SECONDS_PER_RUN + SECONDS_PER_LETTER * sum(c.letters for c in chunks)
    command = [
        soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
        "--norestore", "--nolockcheck", "--convert-to", _EXPORT,
        "--outdir", str(out_dir.resolve()), *(str(c.docx.resolve()) for c in chunks),
    ]  # fmt: skip
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: a timeout kills all of it
        )
    except OSError as err:
        return f"Cannot run LibreOffice ({soffice}): {err.strerror or err}"
    try:
        out, err_text = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return f"LibreOffice did not finish the PDF conversion within {timeout:.0f} s."
    if proc.returncode != 0:
        output = (err_text or "").strip() or (out or "").strip()
        return f"LibreOffice exited with status {proc.returncode}: {output[:300]}"
    return ""


def _kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()


# --------------------------------------------------------------------------- pypdf


def letter_page_ranges(pdf: Path, letters: int) -> list[range] | None:
    """The pages of each letter of a converted combined document, from the bookmarks that
    end the letters; None when they cannot be read (then no letter is cut wrongly)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    ends: dict[int, int] = {}
    for name, destination in reader.named_destinations.items():
        m = _LETTER_END.search(str(name))
        page = reader.get_destination_page_number(destination) if m else None
        if m and page is not None:
            ends[int(m.group(1))] = page
    if sorted(ends) != list(range(1, letters + 1)):
        return None
    ranges: list[range] = []
    start = 0
    for letter in range(1, letters + 1):
        end = ends[letter]
        if end < start:
            return None
        ranges.append(range(start, end + 1))
        start = end + 1
    return ranges if start == len(reader.pages) else None


def _split(chunk: _Chunk, paths: Sequence[Path], report: PdfReport) -> str | None:
    """Cut a chunk's PDF into its letters' PDFs; an error text when it cannot."""
    from pypdf import PdfReader, PdfWriter

    ranges = letter_page_ranges(chunk.pdf, chunk.letters)
    if ranges is None:
        return "The letters' pages could not be told apart in the converted document."
    reader = PdfReader(chunk.pdf)
    for path, pages in zip(paths, ranges, strict=True):
        writer = PdfWriter()
        for page in pages:
            writer.add_page(reader.pages[page])
        try:
            _write_pdf(writer, path)
        except OSError as err:
            report.failed[path] = f"Cannot write {path}: {err.strerror or err}"
            continue
        report.made.append(path)
    return None


def _join(parts: Sequence[Path], target: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    _write_pdf(writer, target)


def _write_pdf(writer: object, target: Path) -> None:
    """Write via a temporary name: a PDF is there whole or not at all (mode 0600)."""
    from segment_tui.private_files import open_private, private_folder

    private_folder(target.parent)
    with open_private(target) as out:
        writer.write(out)  # type: ignore[attr-defined]


def _remove(path: Path) -> None:
    # A file that cannot be removed is reported when the new one cannot be written either.
    with contextlib.suppress(OSError):
        path.unlink()
