"""Field names, Word field-instruction parsing and value formatting (switches).

A MERGEFIELD instruction looks like ``MERGEFIELD "Contact Name" \\* Upper \\b "Dear "``.
This module turns such an instruction into a :class:`FieldSpec` and formats a Python value
the way Word would for the supported switches:

* ``\\* MERGEFORMAT`` / ``CHARFORMAT``: ignored (formatting comes from the field's run).
* ``\\* Upper`` / ``Lower`` / ``FirstCap`` / ``Caps``: case conversion.
* ``\\@ "dd.MM.yyyy"``: date-time picture, applied to ``date``/``datetime`` values only.
* ``\\# "#,##0.00"``: numeric picture, applied to ``int``/``float``/``Decimal`` values only.
* ``\\b "text"`` / ``\\f "text"``: text before/after the value when the value is not empty.

A picture switch on a value of the wrong type leaves the value as its plain string, so a
template typo never loses data.  Month and day names are English.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re
from dataclasses import dataclass

MergeValue = str | int | float | decimal.Decimal | datetime.date | datetime.datetime | None

_CASE_SWITCHES = {"upper": "upper", "lower": "lower", "firstcap": "firstcap", "caps": "caps"}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@functools.lru_cache(maxsize=4096)
def normalize_key(name: str) -> str:
    """Return the lookup key of a field name: case-folded, whitespace collapsed and trimmed."""
    return " ".join(name.split()).casefold()


@functools.lru_cache(maxsize=4096)
def loose_key(name: str) -> str:
    """Return the fallback key: only letters and digits, case-folded.

    Word turns data-source headers such as ``Contact Name`` into ``Contact_Name`` when a user
    inserts the field, so ``MERGEFIELD Contact_Name`` should still find ``Contact Name``.
    """
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Switches:
    """The formatting switches of one field (all optional)."""

    case: str | None = None
    date_picture: str | None = None
    number_picture: str | None = None
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class FieldSpec:
    """One merge field occurrence: its name, lookup keys, switches and unknown-value text."""

    name: str
    switches: Switches
    fallback: str

    @property
    def key(self) -> str:
        """Case-insensitive lookup key."""
        return normalize_key(self.name)


def tokenize(instr: str) -> list[tuple[str, bool]]:
    """Split a field instruction into ``(token, quoted)`` pairs, Word style.

    Quoted strings may contain spaces; inside quotes ``\\"`` is a literal quote.  A switch
    written without a space before its argument (``\\*Upper``) is split in two.
    """
    tokens: list[tuple[str, bool]] = []
    i, n = 0, len(instr)
    while i < n:
        ch = instr[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            i += 1
            buf: list[str] = []
            while i < n and instr[i] != '"':
                if instr[i] == "\\" and i + 1 < n and instr[i + 1] in '"\\':
                    i += 1
                buf.append(instr[i])
                i += 1
            i += 1  # closing quote (or end of text)
            tokens.append(("".join(buf), True))
        else:
            j = i
            while j < n and not instr[j].isspace() and instr[j] != '"':
                j += 1
            word = instr[i:j]
            if word.startswith("\\") and len(word) > 2:
                tokens.append((word[:2], False))
                tokens.append((word[2:], False))
            else:
                tokens.append((word, False))
            i = j
    return tokens


def parse_switches(tokens: list[tuple[str, bool]]) -> Switches:
    """Read ``\\*``, ``\\@``, ``\\#``, ``\\b`` and ``\\f`` switches from instruction tokens."""
    case = date_pic = num_pic = None
    before = after = ""
    i = 0
    while i < len(tokens):
        tok, quoted = tokens[i]
        if quoted or not tok.startswith("\\"):
            i += 1
            continue
        sw = tok[1:2].lower()
        arg = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if sw in ("*", "@", "#", "b", "f"):
            i += 2
        else:  # \m, \v and unknown switches take no argument here
            i += 1
            continue
        if sw == "*":
            case = _CASE_SWITCHES.get(arg.lower(), case)
        elif sw == "@":
            date_pic = arg
        elif sw == "#":
            num_pic = arg
        elif sw == "b":
            before = arg
        else:
            after = arg
    return Switches(case, date_pic, num_pic, before, after)


def parse_mergefield(instr: str) -> FieldSpec | None:
    """Parse a MERGEFIELD instruction; return ``None`` for any other field or no name.

    A quoted name is taken as is.  Unquoted words before the first switch are joined with
    single spaces (Word itself would keep only the first word; being lenient helps
    hand-typed ``{ MERGEFIELD Contact Name }`` fields).
    """
    tokens = tokenize(instr)
    if not tokens or tokens[0][1] or tokens[0][0].upper() != "MERGEFIELD":
        return None
    words: list[str] = []
    i = 1
    while i < len(tokens) and (tokens[i][1] or not tokens[i][0].startswith("\\")):
        tok, quoted = tokens[i]
        if quoted and not words:
            words = [tok]
            i += 1
            while i < len(tokens) and (tokens[i][1] or not tokens[i][0].startswith("\\")):
                i += 1  # words after a quoted name are ignored, as in Word
            break
        words.append(tok)
        i += 1
    name = " ".join(" ".join(words).split())
    if not name:
        return None
    return FieldSpec(name, parse_switches(tokens[i:]), f"\u00ab{name}\u00bb")


def parse_placeholder(inner: str, raw: str) -> FieldSpec | None:
    """Parse the inside of a ``{{ ... }}`` placeholder (a name, optionally with switches)."""
    name_part, sep, rest = inner.partition("\\")
    name = " ".join(name_part.split())
    if not name:
        return None
    switches = parse_switches(tokenize(sep + rest)) if sep else Switches()
    return FieldSpec(name, switches, raw)


# --------------------------------------------------------------------------- formatting


def plain_text(value: MergeValue) -> str:
    """The unformatted string of a value (None gives an empty string)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def format_value(value: MergeValue, sw: Switches) -> str:
    """Format ``value`` according to the switches of one field."""
    text: str | None = None
    if sw.date_picture is not None and isinstance(value, datetime.date):
        text = format_date(value, sw.date_picture)
    elif (
        sw.number_picture is not None
        and isinstance(value, int | float | decimal.Decimal)
        and not isinstance(value, bool)
    ):
        text = format_number(value, sw.number_picture)
    if text is None:
        text = plain_text(value)
    if sw.case is not None:
        text = apply_case(text, sw.case)
    if text and (sw.before or sw.after):
        text = f"{sw.before}{text}{sw.after}"
    return text


def apply_case(text: str, case: str) -> str:
    """Apply a Word ``\\*`` case switch (FirstCap/Caps only touch first letters)."""
    if case == "upper":
        return text.upper()
    if case == "lower":
        return text.lower()
    if case == "firstcap":
        for i, ch in enumerate(text):
            if ch.isalpha():
                return text[:i] + ch.upper() + text[i + 1 :]
        return text
    # caps: the first letter of every word
    return re.sub(r"(^|\s)(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


_DATE_TOKEN = re.compile(r"'[^']*'|AM/PM|am/pm|A/P|a/p|([MdDyYhHmsS])\1*|.", re.DOTALL)


def format_date(value: datetime.date, picture: str) -> str:
    """Format a date or datetime with a Word date-time picture such as ``d MMMM yyyy``."""
    dt = (
        value
        if isinstance(value, datetime.datetime)
        else datetime.datetime(value.year, value.month, value.day)
    )
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
            out.append(_pick(dt.month, n, _MONTHS[dt.month - 1]))
        elif ch in "dD":
            out.append(_pick(dt.day, n, _DAYS[dt.weekday()]))
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


def _pick(number: int, width: int, name: str) -> str:
    if width >= 4:
        return name
    if width == 3:
        return name[:3]
    return _pad(number, width)


def _pad(number: int, width: int) -> str:
    return f"{number:02d}" if width >= 2 else str(number)


def format_number(value: int | float | decimal.Decimal, picture: str) -> str:
    """Format a number with a Word numeric picture such as ``#,##0.00``.

    Supports ``0`` (digit), ``#`` (optional digit), ``,`` (thousands grouping), ``.``,
    literal text around the number (also in single quotes) and ``positive;negative;zero``
    sections.  Rounds half away from zero like Word.  ``#`` is treated as "no digit" rather
    than Word's space padding.
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
        return prefix
    int_pat, _, frac_pat = core.partition(".")
    places = sum(1 for c in frac_pat if c in "0#x")
    min_places = len(frac_pat) - len(frac_pat.lstrip("0")) if frac_pat else 0
    quantum = decimal.Decimal(1).scaleb(-places)
    rounded = abs(number).quantize(quantum, rounding=decimal.ROUND_HALF_UP)
    int_digits, _, frac_digits = format(rounded, "f").partition(".")
    min_int = sum(1 for c in int_pat if c == "0")
    int_digits = int_digits.lstrip("0").rjust(min_int, "0")
    if "," in int_pat and int_digits:
        int_digits = f"{int(int_digits):,}"
    frac_digits = frac_digits.ljust(places, "0")
    while len(frac_digits) > min_places and frac_digits.endswith("0"):
        frac_digits = frac_digits[:-1]
    text = int_digits + ("." + frac_digits if frac_digits else "")
    if not text:
        text = "0"
    sign = "-" if negative and rounded != 0 else ""
    return f"{sign}{prefix}{text}{suffix}"


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
    """Split a picture into literal prefix, numeric core (``0#x,.``) and literal suffix."""
    parts: list[tuple[str, bool]] = []  # (text, is_literal_quote)
    for m in re.finditer(r"'[^']*'|[^']+", pic):
        tok = m.group(0)
        parts.append((tok[1:-1], True) if tok.startswith("'") else (tok, False))
    flat = "".join(t if not lit else "\x00" * len(t) for t, lit in parts)
    literal = "".join(t for t, _ in parts)
    core = re.search(r"[0#x][0#x,.]*|\.[0#x]+", flat)
    if core is None:
        return literal, "", ""
    return literal[: core.start()], core.group(0), literal[core.end() :]
