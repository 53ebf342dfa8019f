"""The typed question mechanism (segment_tui.questions): a question is its own identity,
asking fills in BC's text and carries the question, answers are immutable, and every
question the services declare is a module constant the front ends can answer."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import segment_tui.services as services
from segment_tui.errors import UserError
from segment_tui.questions import NO_ANSWERS, Answers, ConfirmationRequired, Question
from segment_tui.services.criteria.actions import RESET_EMPTY_SEGMENT
from segment_tui.services.criteria.saved import REUSE_OVER_CRITERIA
from segment_tui.services.output_files import REPLACE_FILE
from segment_tui.services.segments.header_rules import (
    APPLY_TEMPLATE_TO_LINES,
    CREATE_LANGUAGE,
    LINE_QUESTIONS,
    UPDATE_LINES,
    UPDATE_SUBJECT_LINES,
)


def declared_questions() -> dict[Question, str]:
    """Every Question constant of the services, with where it is declared (first seen)."""
    found: dict[Question, str] = {}
    for info in pkgutil.walk_packages(services.__path__, f"{services.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Question):
                found.setdefault(value, f"{info.name}.{name}")
    return found


def test_the_services_declare_bcs_questions_as_constants() -> None:
    assert set(declared_questions()) == {
        UPDATE_LINES, APPLY_TEMPLATE_TO_LINES, UPDATE_SUBJECT_LINES, CREATE_LANGUAGE,
        RESET_EMPTY_SEGMENT, REUSE_OVER_CRITERIA, REPLACE_FILE,
    }  # fmt: skip
    assert set(LINE_QUESTIONS) == {UPDATE_LINES, APPLY_TEMPLATE_TO_LINES, UPDATE_SUBJECT_LINES}
    defaults = {question: question.default for question in declared_questions()}
    assert defaults == {
        UPDATE_LINES: True, APPLY_TEMPLATE_TO_LINES: True, UPDATE_SUBJECT_LINES: True,
        CREATE_LANGUAGE: True, RESET_EMPTY_SEGMENT: True, REUSE_OVER_CRITERIA: False,
        REPLACE_FILE: False,
    }  # fmt: skip


def test_a_question_is_its_own_identity_not_its_text() -> None:
    twin = Question(RESET_EMPTY_SEGMENT.text, default=True)
    answers = Answers({RESET_EMPTY_SEGMENT: False})
    assert answers.get(RESET_EMPTY_SEGMENT) is False
    assert answers.get(twin) is None  # same words, another question
    assert twin != RESET_EMPTY_SEGMENT


def test_asking_answers_or_raises_the_question_with_its_details() -> None:
    assert REUSE_OVER_CRITERIA.ask(Answers({REUSE_OVER_CRITERIA: True})) is True
    assert REUSE_OVER_CRITERIA.ask(Answers({REUSE_OVER_CRITERIA: False})) is False
    with pytest.raises(ConfirmationRequired) as asked:
        REUSE_OVER_CRITERIA.ask(NO_ANSWERS, no="SEG1", actions=2, what="Logged Segment")
    assert asked.value.question is REUSE_OVER_CRITERIA
    assert (
        asked.value.text
        == str(asked.value)
        == (
            "Segment SEG1 already contains 2 No. of Criteria Actions.\n"
            "Are you sure you want to reuse a Logged Segment?"
        )
    )
    assert asked.value.default is False
    assert isinstance(asked.value, UserError)  # a front end that cannot ask refuses


def test_answers_are_immutable_values() -> None:
    first = Answers({RESET_EMPTY_SEGMENT: True})
    second = first.with_answer(REPLACE_FILE, False)
    assert (first.get(REPLACE_FILE), second.get(REPLACE_FILE)) == (None, False)
    assert second.get(RESET_EMPTY_SEGMENT) is True
    assert Answers.each(LINE_QUESTIONS, False) == Answers(dict.fromkeys(LINE_QUESTIONS, False))
    both = Answers.each(LINE_QUESTIONS, False) | Answers({UPDATE_LINES: True})
    assert [both.get(q) for q in LINE_QUESTIONS] == [True, False, False]
    assert Answers() == NO_ANSWERS and NO_ANSWERS.get(UPDATE_LINES) is None
