"""Fixtures for the Word merge and delivery tests: segments of letters, the command line
(with the Word commands), a local SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the fixtures import the app's modules when they run
    from segment_tui.services.contacts.records import ContactRecord

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def letters(make_contact: Callable[..., ContactRecord]) -> Callable[..., str]:
    """``letters(["C1", "P1"], template="LETTER", **header_changes)``: a segment of the
    given contacts (created beforehand with ``make_contact``), returns its number."""
    from segment_tui.questions import Answers
    from segment_tui.services.segments.header_rules import LINE_QUESTIONS
    from segment_tui.services.segments.headers import create_segment, set_header_fields
    from segment_tui.services.segments.lines import add_line

    def make(contact_nos: list[str], template: str = "LETTER", **changes: Any) -> str:
        header = create_segment(
            "Autumn letters", template=template, salesperson="BC", date=dt.date(2026, 12, 1)
        )
        if changes:
            set_header_fields(header["no"], changes, Answers.each(LINE_QUESTIONS, True))
        for no in contact_nos:
            add_line(header["no"], no)
        return str(header["no"])

    return make


def _subparsers(parser: argparse.ArgumentParser) -> Any:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``cli("template", "check", "LETTER")`` → (exit status, stdout, stderr) on the test
    database. The Word commands are added to the parser when the CLI does not have them
    yet (they are wired into ``segment`` and ``logged`` by those modules)."""
    import segment_tui.cli as cli_module
    from segment_tui.cli import commands_template

    original = cli_module.build_parser

    def build_parser() -> Any:
        parser = original()
        sub = _subparsers(parser)
        if "template" not in sub.choices:
            commands_template.register(sub)
        segment = _subparsers(sub.choices["segment"])
        if "merge" not in segment.choices:
            commands_template.add_segment_merge_parser(segment)
        logged = _subparsers(sub.choices["logged"])
        if "resend" not in logged.choices:
            commands_template.add_logged_resend_parser(logged)
        return parser

    monkeypatch.setattr(cli_module, "build_parser", build_parser)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = cli_module.main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run
