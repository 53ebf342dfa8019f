"""Profile answers imported from a CSV file, all rows or none (``docs/interactions.md``).

The file has the columns contact no., questionnaire, line and/or answer (the answer's
text, matched among the questionnaire's answers); header spellings are loose
(:data:`COLUMNS`) and the delimiter is sniffed as for the contact import. Every row is
checked first with BC's rules (:class:`.profile_answers.Questionnaires`) and nothing is
written unless all are good; each bad row is reported by its line
(:class:`AnswerImportRefused`). ``replace`` lets a new answer to a single-answer question
replace the contact's old one. The answers are written with one multi-row insert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segment_tui.db import chunked, insert_rows, tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import Contact, ContactProfileAnswer
from segment_tui.services.contacts.csv_reading import RowProblem, sniff_delimiter
from segment_tui.services.contacts.profile_answers import (
    CONTACT_MISSING,
    MULTIPLE_ANSWERS,
    Line,
    Questionnaires,
    touch_contacts,
)

COLUMNS = {
    "contact": ("contactno", "contact", "contactnumber", "no"),
    "questionnaire": (
        "questionnaire", "profilequestionnairecode", "questionnairecode", "profile",
        "profilequestionnaire",
    ),
    "line": ("line", "lineno", "linenumber", "answerline", "answerlineno"),
    "answer": ("answer", "answertext", "description"),
}  # fmt: skip
"""CSV header spellings (lower-case, letters and digits only) per column."""


@dataclass
class AnswerImport:
    """What an import did, or would do (dry run), or why it refused."""

    rows: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    contacts: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        """One line for the user."""
        verb = "would import" if self.dry_run else "imported"
        text = (
            f"{verb} {self.rows} rows for {self.contacts} contacts: {self.added} answers "
            f"added, {self.unchanged} already given"
        )
        if self.replaced:
            text += f", {self.replaced} replaced"
        return text

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "rows": self.rows,
            "added": self.added,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "contacts": self.contacts,
            "dry_run": self.dry_run,
            "problems": [
                {"line": p.line, "column": p.column, "reason": p.reason} for p in self.problems
            ],
            "summary": self.summary(),
        }


class AnswerImportRefused(UserError):
    """The file has bad rows; nothing was imported."""

    def __init__(self, report: AnswerImport) -> None:
        count = len(report.problems)
        super().__init__(f"{count} bad row{'s' if count != 1 else ''}; nothing imported")
        self.report = report


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = re.sub(r"[^a-z0-9]", "", name.strip().lower())
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in found:
                found[column] = index
    missing = [c for c in ("contact", "questionnaire") if c not in found]
    if "line" not in found and "answer" not in found:
        missing.append("line or answer")
    if missing:
        raise UserError(
            f"the file needs the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (header: {', '.join(header) or 'none'}); nothing imported"
        )
    return found


@dataclass(frozen=True)
class _Wanted:
    line: int
    contact_no: str
    questionnaire: str
    answer: Line


def _decode(data: bytes, name: str) -> str:
    """UTF-8 text (BOM dropped), or a UserError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UserError(
            f"{name}: line {line}: byte 0x{data[err.start]:02X} is not UTF-8; "
            "save the file as UTF-8 (nothing imported)"
        ) from None


def _read_rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (line number, cells); the delimiter is sniffed from
    the header line as contact import does."""
    first = next(iter(text.splitlines()), "")
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first))
    header = next(reader, [])

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num
        for cells in reader:
            yield line + 1, cells
            line = reader.line_num

    return header, rows()


def _read(text: str, report: AnswerImport) -> list[tuple[int, str, str, str, str]]:
    """(line, contact, questionnaire, line no. text, answer text) of every data row."""
    header, rows = _read_rows(text)
    columns = _columns(header)
    cells_of: list[tuple[int, str, str, str, str]] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        cells_of.append(
            (
                line,
                cell("contact").upper(),
                cell("questionnaire").upper(),
                cell("line"),
                cell("answer"),
            )
        )
    report.rows = len(cells_of)
    return cells_of


def _resolve(
    row: tuple[int, str, str, str, str], setup: Questionnaires, contact: Contact | None
) -> Line:
    line, contact_no, code, line_text, answer_text = row
    if not contact_no:
        raise UserError(CONTACT_MISSING, field="contact")
    if contact is None:
        raise NotFoundError(
            f"The Contact does not exist. Identification fields and values: No.='{contact_no}'",
            field="contact",
        )
    if not code:
        raise UserError("Profile Questionnaire Code must have a value.", field="questionnaire")
    if line_text:
        try:
            line_no = int(line_text)
        except ValueError:
            raise UserError(f"{line_text!r} is not a line number.", field="line") from None
        found = setup.answer(code, line_no, contact)
        if answer_text and answer_text.casefold() != found.description.casefold():
            raise UserError(
                f"line {line_no} of questionnaire {code} is the answer "
                f"{found.description!r}, not {answer_text!r}.",
                field="answer",
            )
        return found
    if code not in setup.contact_types:
        setup.answer(code, 0, contact)  # BC's "does not exist"
    matches = [
        a for a in setup.answers_of(code) if a.description.casefold() == answer_text.casefold()
    ]
    if not matches:
        raise UserError(f"questionnaire {code} has no answer {answer_text!r}.", field="answer")
    if len(matches) > 1:
        numbers = ", ".join(str(a.line_no) for a in matches)
        raise UserError(
            f"questionnaire {code} has the answer {answer_text!r} more than once (lines "
            f"{numbers}); give the line.",
            field="answer",
        )
    return setup.answer(code, matches[0].line_no, contact)


def plan_answers(
    text: str, *, replace: bool = False
) -> tuple[AnswerImport, list[_Wanted], list[tuple[str, str, int]]]:
    """Check every row: the report, the answers to add and the answers they replace."""
    report = AnswerImport()
    setup = Questionnaires()
    rows = _read(text, report)
    numbers = sorted({r[1] for r in rows if r[1]})
    contacts: dict[str, Contact] = {}
    for chunk in chunked(numbers):
        for contact in Contact.select().where(Contact.no.in_(list(chunk))):
            contacts[str(contact.no)] = contact
    held: dict[tuple[str, str], set[int]] = {}
    codes = sorted({r[2] for r in rows if r[2]})
    for chunk in chunked(list(contacts)):
        for no, code, line_no in tuples(
            ContactProfileAnswer.select(
                ContactProfileAnswer.contact_no,
                ContactProfileAnswer.profile_questionnaire_code,
                ContactProfileAnswer.line_no,
            ).where(
                ContactProfileAnswer.contact_no.in_(list(chunk))
                & ContactProfileAnswer.profile_questionnaire_code.in_(codes)
            )
        ):
            held.setdefault((str(no), str(code)), set()).add(int(line_no))
    wanted: list[_Wanted] = []
    replaced: list[tuple[str, str, int]] = []
    added: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        line_no, contact_no, code = row[0], row[1], row[2]
        try:
            answer = _resolve(row, setup, contacts.get(contact_no))
        except UserError as err:
            report.problems.append(RowProblem(line_no, err.field or "", str(err)))
            continue
        key = (contact_no, code)
        mine = added.setdefault(key, set())
        if answer.line_no in mine:
            report.problems.append(
                RowProblem(line_no, "", "the same answer is given twice in the file")
            )
            continue
        old = held.get(key, set())
        if answer.line_no in old and not replace:
            report.unchanged += 1
            continue
        if not setup.question(answer).multiple_answers:
            siblings = set(setup.siblings(answer))
            if mine & siblings:
                report.problems.append(
                    RowProblem(line_no, "line", f"{MULTIPLE_ANSWERS} (given twice in the file)")
                )
                continue
            others = (old & siblings) - {answer.line_no}
            if others and not replace:
                report.problems.append(RowProblem(line_no, "line", MULTIPLE_ANSWERS))
                continue
            replaced += [(contact_no, code, n) for n in sorted(others)]
        if answer.line_no in old:
            report.unchanged += 1
            mine.add(answer.line_no)
            continue
        mine.add(answer.line_no)
        wanted.append(_Wanted(line_no, contact_no, code, answer))
    report.added = len(wanted)
    report.replaced = len(replaced)
    report.contacts = len({w.contact_no for w in wanted} | {r[0] for r in replaced})
    return report, wanted, replaced


def import_answers(path: Path, *, dry_run: bool = False, replace: bool = False) -> AnswerImport:
    """Import profile answers from a CSV file: all rows or none (see the module)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror or err}") from None
    text = _decode(data, str(path))
    with write_transaction():
        report, wanted, replaced = plan_answers(text, replace=replace)
        report.dry_run = dry_run
        if report.problems:
            raise AnswerImportRefused(report)
        if dry_run:
            return report
        for contact_no, code, line_no in replaced:
            ContactProfileAnswer.delete().where(
                (ContactProfileAnswer.contact_no == contact_no)
                & (ContactProfileAnswer.profile_questionnaire_code == code)
                & (ContactProfileAnswer.line_no == line_no)
            ).execute()
        companies = {
            str(no): str(company or "")
            for chunk in chunked(sorted({w.contact_no for w in wanted}))
            for no, company in tuples(
                Contact.select(Contact.no, Contact.company_no).where(Contact.no.in_(list(chunk)))
            )
        }
        today = dt.date.today()
        insert_rows(
            "contact_profile_answer",
            ("contact_no", "profile_questionnaire_code", "line_no", "contact_company_no",
             "last_date_updated"),
            [(w.contact_no, w.questionnaire, w.answer.line_no, companies[w.contact_no], today)
             for w in wanted],
        )  # fmt: skip
        touch_contacts([w.contact_no for w in wanted] + [r[0] for r in replaced])
    return report
