"""Number series (BC's No. Series): ``SEG00001``, ``CT000001``, …

Numbers are taken inside a write transaction (SQLite's write lock, PostgreSQL's writers
lock), so two processes taking numbers at the same moment never get the same one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from segment_tui.db import IN_CHUNK, chunked, write_transaction
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


def _following(series: NoSeries, last: str, count: int) -> list[str]:
    """Up to ``count`` numbers after ``last`` (or from the starting no.) within the series;
    fewer at its end, and BC's error when there is none left."""
    first = increment(last, series.increment_by) if last else series.starting_no
    if not first:
        raise UserError(
            f"Starting No. must have a value in No. Series: Code={series.code}. "
            "It cannot be zero or empty.",
            field="starting_no",
        )
    numbers: list[str] = []
    number = first
    while len(numbers) < count:
        if series.ending_no and _compare(number, series.ending_no) > 0:
            break
        if len(number) > 20:
            if numbers:
                break
            raise UserError(f"The number series {series.code} has run out of 20 characters.")
        numbers.append(number)
        number = increment(number, series.increment_by)
    if not numbers:
        raise UserError(f"You cannot assign new numbers from the number series {series.code}.")
    return numbers


def _reserve(
    series_code: str, count: int, in_use: Callable[[Sequence[str]], Collection[str]] | None
) -> list[str]:
    """Take numbers up to the last one handed out, in one write transaction (the write
    lock keeps two processes from reading the same ``last_no_used``)."""
    if count <= 0:
        return []
    with write_transaction():
        series = NoSeries.get_or_none(NoSeries.code == series_code.upper())
        if series is None:
            raise NotFoundError(f"The No. Series {series_code} does not exist.")
        numbers: list[str] = []
        last = series.last_no_used
        while len(numbers) < count:
            want = count - len(numbers)
            if in_use is None:
                candidates = _following(series, last, want)
                if len(candidates) < want:
                    raise UserError(
                        f"You cannot assign new numbers from the number series {series.code}."
                    )
                numbers.extend(candidates)
                break
            # Look a chunk ahead: a run of taken numbers costs a query per 500, not per number.
            candidates = _following(series, last, max(want, IN_CHUNK))
            last = candidates[-1]
            taken: set[str] = set()
            for chunk in chunked(candidates):
                taken.update(in_use(chunk))
            numbers.extend([n for n in candidates if n not in taken][:want])
        NoSeries.update(last_no_used=numbers[-1]).where(NoSeries.code == series.code).execute()
    return numbers


def take_numbers(series_code: str, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive numbers of a series and return them."""
    return _reserve(series_code, count, None)


def take_free_numbers(
    series_code: str, count: int, in_use: Callable[[Sequence[str]], Collection[str]]
) -> list[str]:
    """``count`` numbers of a series that ``in_use`` does not report as taken.

    Records created with their own numbers (an import, a number typed by hand) do not
    advance the series, so its next numbers may already be taken: those are skipped
    (and stay consumed), where BC would stop with "The record already exists". The
    candidates are checked 500 at a time, so 100,000 taken numbers cost 200 queries.
    """
    return _reserve(series_code, count, in_use)


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
