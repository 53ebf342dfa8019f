"""BC's questions answered from the command line: the one place the CLI maps them.

A command cannot stop to ask (:mod:`segment_tui.questions`), so every command passes
:func:`command_answers` to the service it calls:

===========================================  ===============================================
Question                                     The command's answer
===========================================  ===============================================
``header_rules.LINE_QUESTIONS``              ``--update-lines yes|no`` (``segment set``),
                                             else Yes
``header_rules.CREATE_LANGUAGE``             Yes
``criteria.RESET_EMPTY_SEGMENT``             Yes, No with ``--keep-criteria``
``output_files.REPLACE_FILE``                Yes: a printout or export replaces the file
                                             it names
``saved_criteria.REUSE_OVER_CRITERIA``       Yes with ``--yes``; without it the command
                                             stops with BC's question (:func:`unanswered`)
===========================================  ===============================================
"""

from __future__ import annotations

import argparse

from segment_tui.questions import Answers, ConfirmationRequired


def command_answers(args: argparse.Namespace) -> Answers:
    """The answers the command's options give to BC's questions (see the module)."""
    from segment_tui.services.criteria.actions import RESET_EMPTY_SEGMENT
    from segment_tui.services.criteria.saved import REUSE_OVER_CRITERIA
    from segment_tui.services.output_files import REPLACE_FILE
    from segment_tui.services.segments.header_rules import CREATE_LANGUAGE, LINE_QUESTIONS

    update_lines = getattr(args, "update_lines", None)
    given = {
        **dict.fromkeys(LINE_QUESTIONS, True if update_lines is None else update_lines),
        CREATE_LANGUAGE: True,
        RESET_EMPTY_SEGMENT: not getattr(args, "keep_criteria", False),
        REPLACE_FILE: True,
    }
    if getattr(args, "yes", False):
        given[REUSE_OVER_CRITERIA] = True
    return Answers(given)


def unanswered(error: ConfirmationRequired) -> str:
    """The refusal for a question the command's options left open: BC's question on one
    line and the option that answers it."""
    from segment_tui.services.criteria.saved import REUSE_OVER_CRITERIA

    text = error.text.replace("\n", " ")
    if error.question is REUSE_OVER_CRITERIA:
        return f"{text} (pass --yes to confirm)"
    return text
