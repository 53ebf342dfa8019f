"""Profile answers (docs/interactions.md): given and taken away one by one (the contact
card, ``profile set/remove``) or imported from CSV, with BC's rules — only answer lines,
one answer per single-answer question ("This Question does not allow Multiple
Answers."), the company and the date recorded, the contact touched — and a CSV import
that checks every row first and reports each bad one by line, writing nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import Contact, ContactProfileAnswer, ProfileQuestionnaireLine
from segment_tui.services.contacts.profile_answer_import import AnswerImportRefused, import_answers
from segment_tui.services.contacts.profile_answers import (
    MULTIPLE_ANSWERS,
    contact_profile,
    remove_answer,
    set_answer,
    toggle_answer,
)
from segment_tui.services.contacts.records import ContactRecord

People = dict[str, ContactRecord]


def answers() -> list[tuple[str, str, int]]:
    return [
        (a.contact_no, a.profile_questionnaire_code, a.line_no)
        for a in ContactProfileAnswer.select().order_by(
            ContactProfileAnswer.contact_no, ContactProfileAnswer.line_no
        )
    ]


def test_an_answer_is_given_with_the_company_and_the_date(people: People) -> None:
    Contact.update(last_date_modified=dt.date(2020, 1, 1)).execute()
    assert set_answer("c1", "company", 30000) is True
    (row,) = ContactProfileAnswer.select()
    assert (row.contact_no, row.contact_company_no, row.line_no) == ("C1", "C1", 30000)
    assert row.last_date_updated == dt.date.today()
    assert Contact.get(Contact.no == "C1").last_date_modified == dt.date.today()
    assert set_answer("C1", "COMPANY", 30000) is False  # given already: nothing changes


@pytest.mark.parametrize(
    ("contact", "code", "line", "message"),
    [
        ("C1", "COMPANY", 10000, "Type must be equal to 'Answer'  in Profile Questionnaire Line"),
        ("C1", "COMPANY", 12345, "The Profile Questionnaire Line does not exist"),
        ("C1", "NOPE", 20000, "The Profile Questionnaire Header does not exist"),
        ("XX", "COMPANY", 20000, "The Contact does not exist"),
        ("P1", "COMPANY", 20000, "is for Company contacts; contact P1 is a Person"),
    ],
)
def test_bad_answers_are_refused(
    people: People, contact: str, code: str, line: int, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        set_answer(contact, code, line)
    assert answers() == []


def test_a_single_answer_question_takes_one_answer(people: People) -> None:
    set_answer("C1", "COMPANY", 20000)
    with pytest.raises(UserError, match=MULTIPLE_ANSWERS):
        set_answer("C1", "COMPANY", 30000)
    set_answer("C1", "COMPANY", 60000)  # another question: fine
    assert answers() == [("C1", "COMPANY", 20000), ("C1", "COMPANY", 60000)]


def test_a_multiple_answer_question_takes_several(people: People) -> None:
    ProfileQuestionnaireLine.update(multiple_answers=True).where(
        ProfileQuestionnaireLine.line_no == 10000
    ).execute()
    set_answer("C1", "COMPANY", 20000)
    set_answer("C1", "COMPANY", 30000)
    assert len(answers()) == 2


def test_remove_and_toggle(people: People) -> None:
    assert toggle_answer("C1", "COMPANY", 40000) is True
    assert toggle_answer("C1", "COMPANY", 40000) is False
    assert answers() == []
    set_answer("C1", "COMPANY", 40000)
    assert remove_answer("C1", "COMPANY", 40000) is True
    assert remove_answer("C1", "COMPANY", 40000) is False


def test_the_profile_shows_questions_and_which_answers_are_set(people: People) -> None:
    set_answer("C1", "COMPANY", 30000)
    lines = contact_profile("C1")
    assert [(r["line_no"], r["type"], r["set"]) for r in lines][:4] == [
        (10000, "question", None), (20000, "answer", False), (30000, "answer", True),
        (40000, "answer", False),
    ]  # fmt: skip
    assert contact_profile("P1") == []  # the company questionnaire does not apply


def test_answers_are_what_criteria_find(people: People) -> None:
    from segment_tui.services.criteria.actions import AddOptions, add_contacts
    from segment_tui.services.segments.headers import create_segment
    from tests.engine.support import contacts_on, where

    set_answer("C1", "COMPANY", 30000)
    segment = create_segment("Mid-size companies")["no"]
    add_contacts(segment, where("profile=COMPANY", "profile.answer=50 to 249"), AddOptions())
    assert contacts_on(segment) == ["C1"]


def _csv(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_by_line_or_by_answer_text(
    people: People, make_contact: Any, tmp_path: Path
) -> None:
    make_contact(no="C2", type="company", name="Trey Research")
    path = _csv(
        tmp_path,
        "\ufeffContact No.;Questionnaire;Line;Answer\n"
        "C1;COMPANY;20000;\n"
        "c2;company;;250 OR MORE\n"
        "C2;COMPANY;60000;Before 2020\n",
    )
    report = import_answers(path, dry_run=True)
    assert (report.rows, report.added, report.dry_run) == (3, 3, True) and answers() == []
    report = import_answers(path)
    assert report.summary() == "imported 3 rows for 2 contacts: 3 answers added, 0 already given"
    assert answers() == [("C1", "COMPANY", 20000), ("C2", "COMPANY", 40000),
                         ("C2", "COMPANY", 60000)]  # fmt: skip
    again = import_answers(path)
    assert (again.added, again.unchanged) == (0, 3)


def test_import_reports_every_bad_row_and_writes_nothing(people: People, tmp_path: Path) -> None:
    set_answer("C1", "COMPANY", 20000)
    path = _csv(
        tmp_path,
        "contact_no,questionnaire,line_no,answer\n"
        "C1,COMPANY,40000,\n"  # line 2: a second answer to the same question
        "P1,COMPANY,20000,\n"  # line 3: a person
        "C1,COMPANY,10000,\n"  # line 4: a question
        ",COMPANY,20000,\n"  # line 5: no contact
        "C1,COMPANY,x,\n"  # line 6: not a number
        "C1,COMPANY,60000,2020 or later\n"  # line 7: the line is another answer
        "C1,COMPANY,,Never\n"  # line 8: no such answer
        "C1,COMPANY,60000,\n"  # line 9: good
        "C1,COMPANY,70000,\n",  # line 10: second answer to line 9's question
    )
    with pytest.raises(AnswerImportRefused) as refused:
        import_answers(path)
    problems = {p.line: p.reason for p in refused.value.report.problems}
    assert sorted(problems) == [2, 3, 4, 5, 6, 7, 8, 10]
    assert problems[2] == MULTIPLE_ANSWERS
    assert "is a Person" in problems[3] and "Type must be equal to 'Answer'" in problems[4]
    assert problems[5] == "Contact No. must have a value."
    assert (
        "not a line number" in problems[6] and "'Before 2020', not '2020 or later'" in problems[7]
    )
    assert "has no answer 'Never'" in problems[8]
    assert problems[10].startswith(MULTIPLE_ANSWERS)
    assert answers() == [("C1", "COMPANY", 20000)]


def test_import_with_replace_replaces_a_single_answer(people: People, tmp_path: Path) -> None:
    set_answer("C1", "COMPANY", 20000)
    path = _csv(tmp_path, "contact,questionnaire,line\nC1,COMPANY,40000\n")
    report = import_answers(path, replace=True)
    assert (report.added, report.replaced) == (1, 1)
    assert answers() == [("C1", "COMPANY", 40000)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,city\nAnn,London\n", "needs the columns contact, questionnaire, line or answer"),
        ("contact,questionnaire\nC1,COMPANY\n", "needs the column line or answer"),
    ],
)
def test_import_needs_its_columns(people: People, tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        import_answers(_csv(tmp_path, text))


def test_import_refuses_a_file_that_is_not_utf8(people: People, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("contact,questionnaire,answer\nC1,COMPANY,Grö\xdfe\n".encode("latin-1"))
    with pytest.raises(UserError, match="line 2: byte 0xF6 is not UTF-8"):
        import_answers(path)


def test_a_big_import_is_one_transaction(people: People, make_contact: Any, tmp_path: Path) -> None:
    from segment_tui.db import insert_rows

    insert_rows(
        "contact",
        ("no", "type", "name", "search_name", "company_no", "company_name"),
        [(f"K{n:05}", "company", f"Firm {n}", f"FIRM {n}", f"K{n:05}", f"Firm {n}")
         for n in range(3000)],
    )  # fmt: skip
    rows = "".join(f"K{n:05},COMPANY,{20000 + 10000 * (n % 3)}\n" for n in range(3000))
    report = import_answers(_csv(tmp_path, "contact,questionnaire,line\n" + rows))
    assert report.added == 3000 and ContactProfileAnswer.select().count() == 3000


def test_cli_profile(people: People, cli: Any, tmp_path: Path) -> None:
    status, out, err = cli("profile", "set", "C1", "COMPANY", "30000")
    assert status == 0 and out.strip() == "contact C1: answer COMPANY 30000 given", err
    status, _, err = cli("profile", "set", "C1", "COMPANY", "20000")
    assert status == 1 and f"error: {MULTIPLE_ANSWERS}" in err
    status, out, err = cli("profile", "list", "--contact", "C1", "--json")
    (answer,) = json.loads(out)
    assert answer["question"] == "Number of employees" and answer["answer"] == "50 to 249"
    path = _csv(tmp_path, "contact,questionnaire,line\nC1,COMPANY,60000\nP1,COMPANY,60000\n")
    status, out, err = cli("profile", "import", str(path))
    assert status == 1 and f"{path}: line 3" in err and "nothing imported" in err
    status, out, err = cli("profile", "import", str(path), "--dry-run")
    assert status == 1
    path.write_text("contact,questionnaire,line\nC1,COMPANY,60000\n", encoding="utf-8")
    status, out, err = cli("profile", "import", str(path), "--json")
    assert status == 0 and json.loads(out)["added"] == 1
    status, out, _ = cli("profile", "remove", "C1", "COMPANY", "30000", "--json")
    assert status == 0 and json.loads(out)["changed"] is True
    assert json.loads(out)["has_answer"] is False
    status, _, err = cli("profile", "import", str(tmp_path / "missing.csv"))
    assert status == 1 and "cannot read" in err
