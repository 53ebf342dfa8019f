"""The command line: ``segment-tui [--db DB] COMMAND …`` (README, "The command line").

With no command it opens the TUI. Every other command works headless and never
imports Textual, so scripts start fast. Exit status: 0 success, 1 when the data or
the rules refused the request (the message on stderr starts with ``error:``), 2 for
wrong usage. No traceback reaches the user; unexpected failures are written to
``segment-tui.log`` in the user data directory.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator, Sequence

from segment_tui import __version__
from segment_tui.cli.answers import unanswered
from segment_tui.errors import UserError
from segment_tui.questions import ConfirmationRequired

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse with ``error:`` messages and exit status 2 for usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from segment_tui.printable import printable

        self.print_usage(sys.stderr)
        print(f"error: {printable(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> Parser:
    """The whole command tree."""
    from segment_tui.cli import (
        commands_contacts,
        commands_db,
        commands_interactions,
        commands_logged,
        commands_segment,
        commands_template,
    )

    parser = Parser(
        prog="segment-tui",
        description="Segments and interactions, the Business Central way, in a terminal.",
    )
    parser.add_argument("--version", action="version", version=f"segment-tui {__version__}")
    parser.add_argument(
        "--db",
        metavar="DB",
        help="database file or postgresql:// URL (default: $SEGMENT_TUI_DB, "
        "else segment.db in the user data directory)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the demo database (seeded on first use)",
    )
    parser.add_argument("--mouse", action="store_true", help="TUI: enable the mouse")
    parser.add_argument(
        "--work-date",
        type=_work_date_argument,
        metavar="YYYY-MM-DD",
        help="the session's work date (what filters' w/workdate mean, new segments' date; "
        "default: $SEGMENT_TUI_WORK_DATE, else today)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands_db.register(sub)
    commands_contacts.register(sub)
    commands_segment.register(sub)
    commands_logged.register(sub)
    commands_interactions.register(sub)
    commands_template.register(sub)
    return parser


def _work_date_argument(text: str) -> str:
    """``--work-date`` is checked while parsing, so a bad date is a usage error (exit 2)."""
    from segment_tui.services.setup.work_date import parse_work_date

    try:
        parse_work_date(text, source="--work-date")
    except UserError as err:
        raise argparse.ArgumentTypeError(str(err).removeprefix("--work-date: ")) from None
    return text


def _apply_work_date(args: argparse.Namespace) -> None:
    """The session's work date: ``--work-date``, else ``$SEGMENT_TUI_WORK_DATE``, else today."""
    from segment_tui.services.setup.work_date import (
        parse_work_date,
        set_work_date,
        work_date_from_environment,
    )

    if args.work_date is not None:
        set_work_date(parse_work_date(args.work_date, source="--work-date"))
    else:
        work_date_from_environment()


def _log_unexpected(error: BaseException) -> str:
    from segment_tui.private_files import open_error_log

    path = open_error_log()
    if path is None:
        return ""
    logging.getLogger("segment_tui").error("unexpected failure", exc_info=error)
    return str(path)


def _refuse(message: str) -> int:
    """Print a refusal on stderr (control characters escaped: it may quote a value)."""
    from segment_tui.printable import printable

    print(f"error: {printable(message)}", file=sys.stderr)
    return EXIT_REFUSED


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _apply_work_date(args)
        if args.command is None:
            from segment_tui.cli.commands_db import run_tui

            return run_tui(args)
        with _printable_stdout():
            status: int = args.handler(args)
        return status
    except ConfirmationRequired as question:  # one the command's options leave open
        return _refuse(unanswered(question))
    except UserError as err:
        return _refuse(str(err))
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - the last line of defence: no tracebacks
        from peewee import DatabaseError

        from segment_tui.failures import explain_failure

        explained = explain_failure(err)
        if explained is not None:
            return _refuse(str(explained))
        if isinstance(err, DatabaseError):
            return _refuse(f"the database refused the request: {err}")
        log = _log_unexpected(err)
        where = f" (details in {log})" if log else ""
        return _refuse(f"unexpected failure: {type(err).__name__}: {err}{where}")


@contextlib.contextmanager
def _printable_stdout() -> Iterator[None]:
    """Everything a command prints on stdout goes through :func:`printable` (a value may
    hold an escape sequence; JSON is unchanged, it escapes control characters itself)."""
    from segment_tui.printable import PrintableWriter

    original = sys.stdout
    sys.stdout = PrintableWriter(original)
    try:
        yield
        sys.stdout.flush()  # a closed pipe is reported here, to main's BrokenPipeError
    finally:
        sys.stdout = original
