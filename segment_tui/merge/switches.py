"""Field names, Word field-instruction parsing and the switches applied to a value.

A MERGEFIELD instruction looks like ``MERGEFIELD "Contact Name" \\* Upper \\b "Dear "``.
This module turns such an instruction into a :class:`FieldSpec` and formats a Python value
the way Word documents its field switches (see ``docs/word-fields.md``); the date and
number pictures themselves are :mod:`.pictures`:

* ``\\* MERGEFORMAT`` / ``CHARFORMAT``: ignored (formatting comes from the field's run).
* ``\\* Upper`` / ``Lower`` / ``FirstCap`` / ``Caps``: case conversion; several are applied
  in the order written (``\\* Lower \\* FirstCap`` turns ``RICHARD`` into ``Richard``).
* ``\\@ "d MMMM yyyy"``: date-time picture for dates (also ISO ``yyyy-mm-dd`` text); month
  and day names in the field's language (the ``w:lang`` Word stores with the text), from
  the Unicode CLDR data Babel ships.
* ``\\# "#,##0.00"``: numeric picture for numbers and numeric text: ``0`` digit, ``#``
  digit or space, ``x`` drops the digits to its left, ``,`` grouping, ``-``/``+`` sign
  places, ``'text'`` and ``pos;neg;zero`` sections.
* ``\\b "text"`` / ``\\f "text"``: text before/after the value when the value is not empty.

A picture switch on a value it cannot read leaves the value as its plain string, so a
template typo never loses data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .pictures import MergeValue, as_date, as_number, format_date, format_number, plain_text

_CASE_SWITCHES = {"upper": "upper", "lower": "lower", "firstcap": "firstcap", "caps": "caps"}


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

    cases: tuple[str, ...] = ()
    """``\\*`` case switches in the order written (applied in that order)."""
    date_picture: str | None = None
    number_picture: str | None = None
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class FieldSpec:
    """One merge field occurrence: its name, lookup keys, switches and unknown-value text.

    ``lang`` is the language tag Word stored with the field's text (``de-DE``); blank means
    the document's default.  It chooses month and day names for date pictures.
    """

    name: str
    switches: Switches
    fallback: str
    lang: str = ""

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
    cases: list[str] = []
    date_pic = num_pic = None
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
            case = _CASE_SWITCHES.get(arg.lower())
            if case is not None:
                cases.append(case)
        elif sw == "@":
            date_pic = arg
        elif sw == "#":
            num_pic = arg
        elif sw == "b":
            before = arg
        else:
            after = arg
    return Switches(tuple(cases), date_pic, num_pic, before, after)


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


def format_value(value: MergeValue, sw: Switches, lang: str = "") -> str:
    """Format ``value`` according to the switches of one field (``lang``: see FieldSpec)."""
    text: str | None = None
    if sw.date_picture is not None:
        when = as_date(value)
        if when is not None:
            text = format_date(when, sw.date_picture, lang)
    if text is None and sw.number_picture is not None:
        number = as_number(value)
        if number is not None:
            text = format_number(number, sw.number_picture)
    if text is None:
        text = plain_text(value)
    for case in sw.cases:
        text = apply_case(text, case)
    if text and (sw.before or sw.after):
        text = f"{sw.before}{text}{sw.after}"
    return text


def apply_cases(text: str, cases: tuple[str, ...]) -> str:
    """Apply several ``\\*`` case switches in order."""
    for case in cases:
        text = apply_case(text, case)
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
