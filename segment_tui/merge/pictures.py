"""Word's date-time (``\\@``) and numeric (``\\#``) pictures: reading a merge value as a
date or a number, and formatting it by the picture Word documents.

* ``\\@ "d MMMM yyyy"``: month and day names in the field's language (the ``w:lang`` Word
  stores with the text), from the Unicode CLDR data Babel ships; ISO ``yyyy-mm-dd`` text
  is read as a date.
* ``\\# "#,##0.00"``: ``0`` digit, ``#`` digit or space, ``x`` drops the digits to its
  left, ``,`` grouping, ``-``/``+`` sign places, ``'text'`` and ``pos;neg;zero`` sections.

:mod:`.switches` decides which picture applies to a field; this module only formats.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re
from dataclasses import dataclass

MergeValue = str | int | float | decimal.Decimal | datetime.date | datetime.datetime | None
"""A value a merge field can take (None: the field is empty)."""

DEFAULT_LANGUAGE = "en-US"


def plain_text(value: MergeValue) -> str:
    """The unformatted string of a value (None gives an empty string)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")
_NUMBER_TEXT = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?")


def as_date(value: MergeValue) -> datetime.date | None:
    """A date for a date picture: dates, datetimes and ISO date text (as Word reads text
    that is a date)."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.fullmatch(text):
            try:
                if len(text) == 10:
                    return datetime.date.fromisoformat(text)
                return datetime.datetime.fromisoformat(text)
            except ValueError:
                return None
    return None


def as_number(value: MergeValue) -> decimal.Decimal | None:
    """A number for a numeric picture: numbers, and text that is a number (``1234.5``,
    ``1,234.50``, ``-7``) as Word formats numeric text with ``\\#``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        number = decimal.Decimal(str(value))
    elif isinstance(value, int | decimal.Decimal):
        number = decimal.Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text or not any(c.isdigit() for c in text) or not _NUMBER_TEXT.fullmatch(text):
            return None
        number = decimal.Decimal(text.replace(",", ""))
    else:
        return None
    return number if number.is_finite() else None


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class _Names:
    """Month and day names of one language (CLDR, via Babel)."""

    months_wide: tuple[str, ...]  # in a date ("3. Dezember"): the format context
    months_alone: tuple[str, ...]  # a month on its own ("Dezember 2026")
    months_abbr: tuple[str, ...]
    days_wide: tuple[str, ...]  # Monday first
    days_abbr: tuple[str, ...]


@functools.lru_cache(maxsize=64)
def _names(lang: str) -> _Names:
    """Names for a Word language tag such as ``de-DE`` (English when Babel does not know it)."""
    from babel import Locale, UnknownLocaleError  # 30 ms: only when a date is formatted

    for tag in (lang, lang.split("-")[0], DEFAULT_LANGUAGE):
        try:
            locale = Locale.parse(tag.replace("-", "_"))
            break
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    else:  # pragma: no cover - English always exists
        raise LookupError(lang)
    months, days = locale.months, locale.days
    return _Names(
        tuple(months["format"]["wide"][m] for m in range(1, 13)),
        tuple(months["stand-alone"]["wide"][m] for m in range(1, 13)),
        tuple(months["stand-alone"]["abbreviated"][m] for m in range(1, 13)),
        tuple(days["format"]["wide"][d] for d in range(7)),
        tuple(days["stand-alone"]["abbreviated"][d] for d in range(7)),
    )


_DATE_TOKEN = re.compile(r"'[^']*'|AM/PM|am/pm|A/P|a/p|([MdDyYhHmsS])\1*|.", re.DOTALL)


def format_date(value: datetime.date, picture: str, lang: str = "") -> str:
    """Format a date or datetime with a Word date-time picture such as ``d MMMM yyyy``;
    month and day names are those of ``lang`` (a Word language tag, default English)."""
    dt = (
        value
        if isinstance(value, datetime.datetime)
        else datetime.datetime(value.year, value.month, value.day)
    )
    names = _names(lang or DEFAULT_LANGUAGE)
    # A month name next to a day number is declined in some languages (Russian
    # "3 декабря"); alone it takes the nominative ("декабрь 2026"), as CLDR separates.
    with_day = any(
        len(m.group(0)) <= 2 and m.group(0)[0] in "dD" for m in _DATE_TOKEN.finditer(picture)
    )
    months = names.months_wide if with_day else names.months_alone
    out: list[str] = []
    for m in _DATE_TOKEN.finditer(picture):
        tok = m.group(0)
        ch, n = tok[0], len(tok)
        if ch == "'" and n >= 2 and tok.endswith("'"):
            out.append(tok[1:-1])
        elif tok in ("AM/PM", "am/pm", "A/P", "a/p"):
            mark = "AM" if dt.hour < 12 else "PM"
            mark = mark if tok[0].isupper() else mark.lower()
            out.append(mark if "/" in tok and len(tok) > 3 else mark[0])
        elif ch == "M":
            month = dt.month - 1
            out.append(_pick(dt.month, n, months[month], names.months_abbr[month]))
        elif ch in "dD":
            day = dt.weekday()
            out.append(_pick(dt.day, n, names.days_wide[day], names.days_abbr[day]))
        elif ch in "yY":
            out.append(f"{dt.year % 100:02d}" if n <= 2 else f"{dt.year:04d}")
        elif ch == "h":
            out.append(_pad((dt.hour % 12) or 12, n))
        elif ch == "H":
            out.append(_pad(dt.hour, n))
        elif ch == "m":
            out.append(_pad(dt.minute, n))
        elif ch in "sS":
            out.append(_pad(dt.second, n))
        else:
            out.append(tok)
    return "".join(out)


def _pick(number: int, width: int, name: str, abbreviation: str) -> str:
    if width >= 4:
        return name
    if width == 3:
        return abbreviation
    return _pad(number, width)


def _pad(number: int, width: int) -> str:
    return f"{number:02d}" if width >= 2 else str(number)


# --------------------------------------------------------------------------- numbers


def format_number(value: int | float | decimal.Decimal, picture: str) -> str:
    """Format a number with a Word numeric picture such as ``#,##0.00``.

    As Word documents it: ``0`` shows a digit or 0; ``#`` a digit or a space (so
    ``$###`` prints 15 as ``$ 15``; trailing fractional ``#`` places are dropped rather
    than padded); ``x`` drops the digits to its left (``x##`` prints 222492 as ``492``)
    or, after the decimal point, rounds to its place; ``,`` groups thousands; ``-`` and
    ``+`` in the picture are sign places; literal text (also in single quotes) is kept;
    ``positive;negative;zero`` sections. Rounds half away from zero like Word.
    """
    number = decimal.Decimal(str(value)) if isinstance(value, float) else decimal.Decimal(value)
    if not number.is_finite():
        return plain_text(value)
    sections = _split_sections(picture)
    negative = number < 0
    pic = sections[0]
    if negative and len(sections) >= 2:
        pic, number, negative = sections[1], -number, False
    elif number == 0 and len(sections) >= 3:
        pic = sections[2]
    prefix, core, suffix = _split_core(pic)
    if not core:  # a section of literal text only, e.g. 0.00;(0.00);'none'
        return _signs(prefix, number, negative)
    int_pat, _, frac_pat = core.partition(".")
    frac_places = [c for c in frac_pat if c in "0#x"]
    quantum = decimal.Decimal(1).scaleb(-len(frac_places))
    rounded = abs(number).quantize(quantum, rounding=decimal.ROUND_HALF_UP)
    int_digits, _, frac_digits = format(rounded, "f").partition(".")
    text = _integer_part(int_digits.lstrip("0"), int_pat)
    frac = list(frac_digits.ljust(len(frac_places), "0"))
    while frac and frac_places[len(frac) - 1] == "#" and frac[-1] == "0":
        frac.pop()  # optional trailing places are left out
    if "." in core and (frac or not frac_pat):
        text += "." + "".join(frac)
    if not text.strip():
        text = text[:-1] + "0" if text else "0"
    places = [c for c in int_pat if c in "0#x"]
    has_sign_place = any(c in "+-" for c in prefix + suffix)
    sign = "-" if negative and rounded != 0 and not has_sign_place else ""
    if sign and places and text.startswith(" "):
        stripped = text.lstrip(" ")
        text = " " * (len(text) - len(stripped) - 1) + sign + stripped
        sign = ""
    shown = negative and rounded != 0
    return f"{sign}{_signs(prefix, rounded, shown)}{text}{_signs(suffix, rounded, shown)}"


def _integer_part(digits: str, pattern: str) -> str:
    """The digits before the decimal point laid out on the picture's places."""
    places = [c for c in pattern if c in "0#x"]
    if "x" in places:  # digits left of the x are dropped
        keep = len(places) - places.index("x")
        digits = digits[-keep:] if keep else ""
    pad = places[: max(0, len(places) - len(digits))]
    padded = "".join("0" if c in "0x" else " " for c in pad) + digits
    if "," not in pattern:
        return padded
    body = padded.lstrip(" ")
    groups = [body[max(0, end - 3) : end] for end in range(len(body), 0, -3)]
    return " " * (len(padded) - len(body)) + ",".join(reversed(groups))


def _signs(literal: str, number: decimal.Decimal, negative: bool) -> str:
    """Literal text with Word's sign places: ``-`` is a minus or a space, ``+`` a plus,
    minus or space (for zero). Quoted text was unquoted already (marked with NUL)."""
    if "-" not in literal and "+" not in literal:
        return literal.replace("\x00", "")
    out: list[str] = []
    quoted = False
    for ch in literal:
        if ch == "\x00":
            quoted = not quoted
        elif quoted or ch not in "+-":
            out.append(ch)
        elif ch == "-":
            out.append("-" if negative else " ")
        else:
            out.append("-" if negative else "+" if number != 0 else " ")
    return "".join(out)


def _split_sections(picture: str) -> list[str]:
    sections: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in picture:
        if ch == "'":
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    sections.append("".join(buf))
    return sections


def _split_core(pic: str) -> tuple[str, str, str]:
    """Split a picture into literal prefix, numeric core (``0#x,.``) and literal suffix.

    Quoted literal text comes back wrapped in NUL characters so that a ``-`` or ``+``
    inside quotes is not taken for a sign place (see :func:`_signs`).
    """
    parts: list[tuple[str, bool]] = []  # (text, is_literal_quote)
    for m in re.finditer(r"'[^']*'|[^']+", pic):
        tok = m.group(0)
        parts.append((tok[1:-1], True) if tok.startswith("'") else (tok, False))
    flat = "".join(t if not lit else "\x00" * (len(t) + 2) for t, lit in parts)
    literal = "".join(f"\x00{t}\x00" if lit else t for t, lit in parts)
    core = re.search(r",*[0#x][0#x,.]*|\.[0#x]+", flat)
    if core is None:
        return literal, "", ""
    return literal[: core.start()], core.group(0), literal[core.end() :]
