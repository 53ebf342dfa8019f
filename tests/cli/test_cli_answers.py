"""The CLI answers every question the services can ask, in one place
(segment_tui.cli.answers): BC's default where no option says otherwise, --update-lines,
--keep-criteria, and --yes for the one question it leaves open."""

from __future__ import annotations

import argparse

import pytest

from segment_tui.cli.answers import command_answers, unanswered
from segment_tui.questions import NO_ANSWERS, ConfirmationRequired
from segment_tui.services.criteria.actions import RESET_EMPTY_SEGMENT
from segment_tui.services.criteria.saved import REUSE_OVER_CRITERIA
from segment_tui.services.output_files import REPLACE_FILE
from segment_tui.services.segments.header_rules import CREATE_LANGUAGE, LINE_QUESTIONS
from tests.engine.test_questions import declared_questions


def test_every_declared_question_has_a_command_line_answer() -> None:
    with_yes = command_answers(argparse.Namespace(yes=True))
    missing = [where for q, where in declared_questions().items() if with_yes.get(q) is None]
    assert missing == []
    plain = command_answers(argparse.Namespace())
    open_questions = [q for q in declared_questions() if plain.get(q) is None]
    assert open_questions == [REUSE_OVER_CRITERIA]  # only --yes answers it


def test_options_answer_their_questions() -> None:
    plain = command_answers(argparse.Namespace())
    assert [plain.get(q) for q in LINE_QUESTIONS] == [True, True, True]
    assert (plain.get(CREATE_LANGUAGE), plain.get(RESET_EMPTY_SEGMENT)) == (True, True)
    assert plain.get(REPLACE_FILE) is True  # a printout replaces the file it names
    no_lines = command_answers(argparse.Namespace(update_lines=False))
    assert [no_lines.get(q) for q in LINE_QUESTIONS] == [False, False, False]
    kept = command_answers(argparse.Namespace(keep_criteria=True))
    assert kept.get(RESET_EMPTY_SEGMENT) is False


def test_an_open_question_is_refused_on_one_line_naming_the_option() -> None:
    with pytest.raises(ConfirmationRequired) as asked:
        REUSE_OVER_CRITERIA.ask(NO_ANSWERS, no="SEG1", actions=1, what="Saved Segment Criteria")
    assert unanswered(asked.value) == (
        "Segment SEG1 already contains 1 No. of Criteria Actions. "
        "Are you sure you want to reuse a Saved Segment Criteria? (pass --yes to confirm)"
    )
