"""BC's questions ("update the segment lines?", "replace the file?"): one typed mechanism.

Business Central stops some changes to ask the user (``Confirm``), with a default button.
A service cannot ask, so:

* each question is a :class:`Question` constant declared next to the rule that asks it
  (``header_rules.UPDATE_LINES``, ``criteria.RESET_EMPTY_SEGMENT``, …), holding BC's text
  and default answer; its identity is the object itself, never a string;
* a service takes the user's answers so far as :class:`Answers` and asks with
  ``QUESTION.ask(answers, **details)``: the answer when there is one, else it raises
  :class:`ConfirmationRequired` carrying the question and its text with the details filled
  in — before anything is written, or inside the transaction, which then rolls back;
* each front end answers in one place: the CLI from its options
  (:mod:`segment_tui.cli.answers`: ``--update-lines``, ``--keep-criteria``, ``--yes``), the
  TUI with its confirm dialog (:func:`segment_tui.ui.work.run_with_questions`), calling
  the service again with the answer added.

Why (``docs/decisions.md``): the answers were once strings (``answers.get("reuse")``) and
keyword flags that differed per service, so a misspelt key silently meant "not answered".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from segment_tui.errors import UserError


@dataclass(frozen=True, eq=False)
class Question:
    """One of BC's questions. Two questions are the same only if they are the same object.

    ``text`` is BC's wording; ``{name}`` places are filled in from the details the rule
    passes to :meth:`ask`. ``default`` is BC's default button (True: Yes).
    """

    text: str
    default: bool

    def ask(self, answers: Answers, **details: object) -> bool:
        """The user's answer, or :class:`ConfirmationRequired` when there is none yet."""
        answer = answers.get(self)
        if answer is None:
            raise ConfirmationRequired(self, self.text.format(**details))
        return answer


class Answers:
    """The user's answers so far to BC's questions (immutable; a question not in it has
    not been answered)."""

    __slots__ = ("_given",)

    def __init__(self, given: Mapping[Question, bool] | None = None) -> None:
        self._given: Mapping[Question, bool] = MappingProxyType(dict(given or {}))

    @classmethod
    def each(cls, questions: Iterable[Question], answer: bool) -> Answers:
        """The same answer to every one of ``questions``."""
        return cls(dict.fromkeys(questions, answer))

    def get(self, question: Question) -> bool | None:
        """The answer to ``question``, or None when it has not been answered."""
        return self._given.get(question)

    def with_answer(self, question: Question, answer: bool) -> Answers:
        """These answers plus ``answer`` to ``question``."""
        return Answers({**self._given, question: answer})

    def __or__(self, other: Answers) -> Answers:
        """Both sets of answers (``other`` wins where both answer)."""
        return Answers({**self._given, **other._given})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answers) and dict(self._given) == dict(other._given)

    def __hash__(self) -> int:
        return hash(frozenset(self._given.items()))

    def __repr__(self) -> str:
        return f"Answers({dict(self._given)!r})"


NO_ANSWERS = Answers()
"""Nothing answered yet: every question a rule needs is asked."""


class ConfirmationRequired(UserError):
    """A rule needs the user's answer to ``question`` before it can go on.

    ``text`` is the question as the user reads it (BC's wording, details filled in); a
    front end asks it with ``question.default`` as the default and calls the service
    again with the answer added to its :class:`Answers`.
    """

    def __init__(self, question: Question, text: str) -> None:
        super().__init__(text)
        self.question = question
        self.text = text

    @property
    def default(self) -> bool:
        """BC's default answer."""
        return self.question.default
