"""Contacts' profile answers (BC's Contact Profile Answer, table 5089): give, remove and
list them one at a time, as the contact card does (``docs/interactions.md``).

A questionnaire (setup) holds questions, each followed by its answer lines. A contact
answers by holding answer lines. BC's rules, with its messages:

* only an answer line can be given ("Type must be equal to 'Answer' …");
* a question that does not allow multiple answers takes one answer per contact ("This
  Question does not allow Multiple Answers.");
* the answer records the contact's company and the date; the contact counts as modified.

Beyond BC: a questionnaire for companies (or persons) only refuses contacts of the other
type (BC's pages only offer the matching questionnaires, but its table accepts any).

The CSV import of many answers at once is :mod:`.profile_answer_import`; it checks
every row with the same :class:`Questionnaires`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypedDict

from peewee import JOIN

from segment_tui.db import chunked, tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import (
    Contact,
    ContactProfileAnswer,
    ProfileQuestionnaire,
    ProfileQuestionnaireLine,
)
from segment_tui.models.enums import caption

MULTIPLE_ANSWERS = "This Question does not allow Multiple Answers."
CONTACT_MISSING = "Contact No. must have a value."

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Line:
    """A questionnaire line, with the question an answer belongs to."""

    questionnaire: str
    line_no: int
    type: str
    description: str
    multiple_answers: bool
    question_line_no: int | None
    """For an answer: the question above it (None when there is none)."""


class Questionnaires:
    """Questionnaire headers and lines, read once (a few hundred rows at most)."""

    def __init__(self) -> None:
        """Read every questionnaire and line."""
        self.contact_types = {
            str(code): str(kind or "")
            for code, kind in tuples(
                ProfileQuestionnaire.select(
                    ProfileQuestionnaire.code, ProfileQuestionnaire.contact_type
                )
            )
        }
        self.descriptions = {
            str(code): str(text)
            for code, text in tuples(
                ProfileQuestionnaire.select(
                    ProfileQuestionnaire.code, ProfileQuestionnaire.description
                )
            )
        }
        self.lines: dict[tuple[str, int], Line] = {}
        question: dict[str, int | None] = {}
        rows = ProfileQuestionnaireLine.select().order_by(
            ProfileQuestionnaireLine.profile_questionnaire_code, ProfileQuestionnaireLine.line_no
        )
        for row in rows:
            code = str(row.profile_questionnaire_code)
            if row.type == "question":
                question[code] = int(row.line_no)
            self.lines[(code, int(row.line_no))] = Line(
                code,
                int(row.line_no),
                str(row.type),
                str(row.description),
                bool(row.multiple_answers),
                None if row.type == "question" else question.get(code),
            )

    def answers_of(self, questionnaire: str) -> list[Line]:
        """The answer lines of a questionnaire, in line order."""
        return [
            line
            for (code, _), line in sorted(self.lines.items())
            if code == questionnaire and line.type == "answer"
        ]

    def answer(self, questionnaire: str, line_no: int, contact: Contact) -> Line:
        """The answer line, checked as BC's OnInsert checks it (UserError otherwise)."""
        if questionnaire not in self.contact_types:
            raise NotFoundError(
                "The Profile Questionnaire Header does not exist. Identification fields and "
                f"values: Code='{questionnaire}'",
                field="questionnaire",
            )
        line = self.lines.get((questionnaire, line_no))
        if line is None:
            raise NotFoundError(
                "The Profile Questionnaire Line does not exist. Identification fields and "
                f"values: Profile Questionnaire Code='{questionnaire}',Line No.='{line_no}'",
                field="line",
            )
        if line.type != "answer":
            raise UserError(
                "Type must be equal to 'Answer'  in Profile Questionnaire Line: Profile "
                f"Questionnaire Code={questionnaire}, Line No.={line_no}. Current value is "
                f"'{line.type.title()}'.",
                field="line",
            )
        if line.question_line_no is None:
            raise UserError(
                f"Answer line {line_no} of questionnaire {questionnaire} has no question above it.",
                field="line",
            )
        wanted = self.contact_types[questionnaire]
        if wanted and wanted != contact.type:
            raise UserError(
                f"Profile Questionnaire {questionnaire} is for {caption(wanted)} contacts; "
                f"contact {contact.no} is a {caption(contact.type)}.",
                field="questionnaire",
            )
        return line

    def question(self, line: Line) -> Line:
        """The question an answer line belongs to."""
        assert line.question_line_no is not None
        return self.lines[(line.questionnaire, line.question_line_no)]

    def siblings(self, line: Line) -> list[int]:
        """The answer lines of the same question (``line`` included)."""
        return [
            other.line_no
            for other in self.answers_of(line.questionnaire)
            if other.question_line_no == line.question_line_no
        ]


def _contact(contact_no: str) -> Contact:
    from segment_tui.services.contacts.records import get_contact

    return get_contact(contact_no)


def _answered(contact_no: str, questionnaire: str) -> set[int]:
    return {
        int(row[0])
        for row in tuples(
            ContactProfileAnswer.select(ContactProfileAnswer.line_no).where(
                (ContactProfileAnswer.contact_no == contact_no)
                & (ContactProfileAnswer.profile_questionnaire_code == questionnaire)
            )
        )
    }


def touch_contacts(contact_nos: Iterable[str]) -> None:
    """BC's TouchContact: the contacts count as modified today."""
    numbers = list(dict.fromkeys(contact_nos))
    for chunk in chunked(numbers):
        Contact.update(last_date_modified=dt.date.today()).where(
            Contact.no.in_(list(chunk))
        ).execute()


def set_answer(contact_no: str, questionnaire: str, line_no: int) -> bool:
    """Give a contact an answer; False when it had that answer already."""
    code = questionnaire.strip().upper()
    with write_transaction():
        contact = _contact(contact_no)
        setup = Questionnaires()
        line = setup.answer(code, int(line_no), contact)
        held = _answered(contact.no, code)
        if line.line_no in held:
            return False
        if not setup.question(line).multiple_answers and held & set(setup.siblings(line)):
            raise UserError(MULTIPLE_ANSWERS, field="line")
        ContactProfileAnswer.insert(
            contact_no=contact.no,
            profile_questionnaire_code=code,
            line_no=line.line_no,
            contact_company_no=contact.company_no or "",
            last_date_updated=dt.date.today(),
        ).execute()
        touch_contacts([contact.no])
    return True


def remove_answer(contact_no: str, questionnaire: str, line_no: int) -> bool:
    """Take an answer away from a contact; False when it did not have it."""
    code = questionnaire.strip().upper()
    with write_transaction():
        contact = _contact(contact_no)
        removed = (
            ContactProfileAnswer.delete()
            .where(
                (ContactProfileAnswer.contact_no == contact.no)
                & (ContactProfileAnswer.profile_questionnaire_code == code)
                & (ContactProfileAnswer.line_no == int(line_no))
            )
            .execute()
        )
        if removed:
            touch_contacts([contact.no])
    return bool(removed)


def toggle_answer(contact_no: str, questionnaire: str, line_no: int) -> bool:
    """Give the answer, or take it away when the contact has it; returns whether the
    contact has it now (the contact card's Space)."""
    code = questionnaire.strip().upper()
    if int(line_no) in _answered(contact_no.strip().upper(), code):
        remove_answer(contact_no, code, line_no)
        return False
    set_answer(contact_no, code, line_no)
    return True


class ProfileLine(TypedDict):
    """A line of a questionnaire as a contact's profile shows it: a question (with
    ``multiple_answers``) or an answer (with ``set``: the contact has it)."""

    questionnaire: str
    questionnaire_description: str
    line_no: int
    type: str
    description: str
    multiple_answers: bool | None
    """Whether the question takes several answers (None on an answer)."""
    set: bool | None
    """Whether the contact has the answer (None on a question)."""


class ProfileAnswerRecord(TypedDict):
    """A contact's answer with its question's and answer's texts."""

    contact_no: str
    contact_name: str
    questionnaire: str
    line_no: int
    question: str
    answer: str
    last_date_updated: dt.date | None


def contact_profile(contact_no: str) -> list[ProfileLine]:
    """The questionnaires that apply to a contact, line by line (questions and their
    answers), each answer with ``set`` (the contact has it) — BC's Contact Profile page."""
    contact = _contact(contact_no)
    setup = Questionnaires()
    held = {
        (str(code), int(line))
        for code, line in tuples(
            ContactProfileAnswer.select(
                ContactProfileAnswer.profile_questionnaire_code, ContactProfileAnswer.line_no
            ).where(ContactProfileAnswer.contact_no == contact.no)
        )
    }
    records: list[ProfileLine] = []
    for (code, line_no), line in sorted(setup.lines.items()):
        wanted = setup.contact_types.get(code, "")
        if wanted and wanted != contact.type and not any(c == code for c, _ in held):
            continue
        records.append(
            {
                "questionnaire": code,
                "questionnaire_description": setup.descriptions.get(code, ""),
                "line_no": line_no,
                "type": line.type,
                "description": line.description,
                "multiple_answers": line.multiple_answers if line.type == "question" else None,
                "set": (code, line_no) in held if line.type == "answer" else None,
            }
        )
    return records


def list_answers(
    contact_no: str | None = None, questionnaire: str | None = None
) -> list[ProfileAnswerRecord]:
    """Contacts' answers with the question and answer texts (by contact, questionnaire,
    line)."""
    answer = ProfileQuestionnaireLine.alias("answer_text")
    query = (
        ContactProfileAnswer.select(
            ContactProfileAnswer.contact_no,
            Contact.name,
            ContactProfileAnswer.profile_questionnaire_code,
            ContactProfileAnswer.line_no,
            answer.description,
            ContactProfileAnswer.last_date_updated,
        )
        .join(Contact, JOIN.LEFT_OUTER, on=(Contact.no == ContactProfileAnswer.contact_no))
        .join(
            answer,
            JOIN.LEFT_OUTER,
            on=(
                (
                    answer.profile_questionnaire_code
                    == ContactProfileAnswer.profile_questionnaire_code
                )
                & (answer.line_no == ContactProfileAnswer.line_no)
            ),
        )  # fmt: skip
        .order_by(
            ContactProfileAnswer.contact_no,
            ContactProfileAnswer.profile_questionnaire_code,
            ContactProfileAnswer.line_no,
        )
    )
    if contact_no:
        query = query.where(ContactProfileAnswer.contact_no == contact_no.strip().upper())
    if questionnaire:
        query = query.where(
            ContactProfileAnswer.profile_questionnaire_code == questionnaire.strip().upper()
        )
    setup = Questionnaires()
    records: list[ProfileAnswerRecord] = []
    for no, name, code, line_no, text, updated in tuples(query):
        line = setup.lines.get((str(code), int(line_no)))
        question = setup.question(line) if line and line.question_line_no is not None else None
        records.append(
            {
                "contact_no": no,
                "contact_name": name or "",
                "questionnaire": code,
                "line_no": int(line_no),
                "question": question.description if question else "",
                "answer": text or "",
                "last_date_updated": updated,
            }
        )
    return records
