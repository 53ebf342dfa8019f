"""Number series (BC's No. Series): ``SEG00001``, ``CT000001``, …

Taking a number is a compare-and-swap on ``last_no_used`` inside a write transaction,
so two processes taking numbers at the same moment never get the same one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from segment_tui.db import write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import MarketingSetup, NoSeries

_TRAILING_DIGITS = re.compile(r"(\d+)(\D*)$")


def increment(number: str, by: int = 1) -> str:
    """BC's IncStr: add ``by`` to the last run of digits, keeping its width.

    >>> increment("SEG00009")
    'SEG00010'
    """
    match = _TRAILING_DIGITS.search(number)
    if match is None:
        raise UserError(f"The number {number} cannot be increased: it has no digits.")
    digits = match.group(1)
    value = str(int(digits) + by).zfill(len(digits))
    return number[: match.start(1)] + value + match.group(2)


def _compare(a: str, b: str) -> int:
    """Compare two numbers of a series by their digit run (then as text)."""
    ma, mb = _TRAILING_DIGITS.search(a), _TRAILING_DIGITS.search(b)
    if ma and mb and a[: ma.start(1)] == b[: mb.start(1)]:
        return (int(ma.group(1)) > int(mb.group(1))) - (int(ma.group(1)) < int(mb.group(1)))
    return (a > b) - (a < b)


def take_numbers(series_code: str, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive numbers of a series and return them."""
    if count <= 0:
        return []
    with write_transaction():
        series = NoSeries.get_or_none(NoSeries.code == series_code.upper())
        if series is None:
            raise NotFoundError(f"The No. Series {series_code} does not exist.")
        last = series.last_no_used
        first = increment(last, series.increment_by) if last else series.starting_no
        if not first:
            raise UserError(
                f"Starting No. must have a value in No. Series: Code={series.code}. "
                "It cannot be zero or empty.",
                field="starting_no",
            )
        numbers = [first]
        for _ in range(count - 1):
            numbers.append(increment(numbers[-1], series.increment_by))
        if series.ending_no and _compare(numbers[-1], series.ending_no) > 0:
            raise UserError(f"You cannot assign new numbers from the number series {series.code}.")
        if len(numbers[-1]) > 20:
            raise UserError(f"The number series {series.code} has run out of 20 characters.")
        updated = (
            NoSeries.update(last_no_used=numbers[-1])
            .where((NoSeries.code == series.code) & (NoSeries.last_no_used == last))
            .execute()
        )
        if updated != 1:  # pragma: no cover - only without a write lock (PostgreSQL race)
            raise UserError(f"Number series {series.code} changed meanwhile; try again.")
    return numbers


def take_free_numbers(
    series_code: str, count: int, in_use: Callable[[Sequence[str]], Collection[str]]
) -> list[str]:
    """``count`` numbers of a series that ``in_use`` does not report as taken.

    Records created with their own numbers (an import, a number typed by hand) do not
    advance the series, so its next numbers may already be taken: those are skipped
    (and stay consumed), where BC would stop with "The record already exists".
    """
    free: list[str] = []
    while len(free) < count:
        batch = take_numbers(series_code, count - len(free))
        taken: set[str] = set()
        for start in range(0, len(batch), 500):
            taken.update(in_use(batch[start : start + 500]))
        free.extend(number for number in batch if number not in taken)
    return free


def next_number(series_code: str) -> str:
    """Take the next number of a series."""
    return take_numbers(series_code, 1)[0]


def check_manual_number(series_code: str) -> None:
    """Refuse a typed number when the series does not allow manual numbers (BC's message)."""
    series = NoSeries.get_or_none(NoSeries.code == series_code.upper())
    if series is not None and not series.manual_nos:
        raise UserError(
            "You may not enter numbers manually. If you want to enter numbers manually, "
            f"please activate Manual Nos. in No. Series {series.code}.",
            field="no",
        )


def marketing_setup() -> MarketingSetup:
    """The Marketing Setup row (created blank on first use)."""
    setup = MarketingSetup.get_or_none(MarketingSetup.primary_key == "")
    if setup is None:
        MarketingSetup.insert(primary_key="").execute()
        setup = MarketingSetup.get(MarketingSetup.primary_key == "")
    assert isinstance(setup, MarketingSetup)
    return setup


def segment_series() -> str:
    """The Segment Nos. series, or BC's TestField error when it is not set."""
    code = marketing_setup().segment_nos
    if not code:
        raise UserError(
            "Segment Nos. must have a value in Marketing Setup: Primary Key=. "
            "It cannot be zero or empty.",
            field="segment_nos",
        )
    return str(code)


def contact_series() -> str:
    """The Contact Nos. series, or BC's TestField error when it is not set."""
    code = marketing_setup().contact_nos
    if not code:
        raise UserError(
            "Contact Nos. must have a value in Marketing Setup: Primary Key=. "
            "It cannot be zero or empty.",
            field="contact_nos",
        )
    return str(code)
