"""How text is folded for searching (the worksheet's `/`): case, accents and punctuation.

A search compares **letters and digits only**, with case and accents ignored:

1. lower-case (Python's ``str.lower``; PostgreSQL's ``lower()``), as the filter's ``@`` does;
2. Latin letters lose their accents: "É" and "é" read "e", "ø" reads "o", "ł" reads "l",
   and a few letters become two: "ß" → "ss", "æ" → "ae", "œ" → "oe", "þ" → "th";
3. spaces and punctuation vanish: apostrophes, hyphens, dots, commas, quotes, dashes and
   the like (``PUNCTUATION``), and combining accents of decomposed text.

So "obrien", "o'brien" and "O Brien" all find "O'Brien", "jeanluc" finds "Jean-Luc",
"electricite" finds "Électricité" and "strasse" finds "Straße". Letters of other scripts
(Greek, Cyrillic, …) are only lower-cased. The table is fixed data (``FOLD_TABLE``) so that
SQLite (through the ``st_search_key`` function) and PostgreSQL (through a SQL function
built from the same table by migration 12) fold alike; see ``docs/search.md``.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable

SEARCH_KEY_FUNCTION = "st_search_key"
"""Name of the SQLite function that builds a contact's search key."""

KEY_SEPARATOR = "\x1f"
"""Separates the fields of a search key, so a match never spans two fields."""

_LATIN = (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
"""Latin-1 Supplement, Latin Extended-A/B and Latin Extended Additional (Vietnamese)."""

_UNDECOMPOSED = {
    "ø": "o", "đ": "d", "ł": "l", "ŀ": "l", "ħ": "h", "ŧ": "t", "ı": "i", "ð": "d",
    "ĸ": "k", "ŋ": "n", "ƀ": "b", "ƒ": "f", "ɨ": "i",
    "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "þ": "th",
}  # fmt: skip
"""Letters Unicode does not decompose into a base letter plus accents."""

PUNCTUATION = (
    string.punctuation
    + string.whitespace
    + KEY_SEPARATOR
    + "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"  # no-break and thin spaces
    + "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a"  # quotes
    + "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, dashes, minus
    + "\u2026\u00b7\u2022\u00b4\u00a8\u00b8\u02bc\u02bb\u2032\u2033\u00a1\u00bf"
    + "\u00a7\u00b6\u00a9\u00ae\u2122\u00b0"
    + "".join(chr(cp) for cp in range(0x300, 0x370))  # combining accents (decomposed text)
)
"""Characters a search ignores (deleted from both the text and what is searched for)."""


def _base_letters(char: str) -> str | None:
    """The ASCII letters ``char`` reads as without accents, or None to keep it."""
    if char.lower() in _UNDECOMPOSED:
        return _UNDECOMPOSED[char.lower()]
    stripped = "".join(
        _UNDECOMPOSED.get(part.lower(), part)
        for part in unicodedata.normalize("NFKD", char)
        if not unicodedata.combining(part)
    )
    if stripped and stripped.isascii() and stripped.isalpha() and stripped != char:
        return stripped.lower()
    return None


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in _LATIN:
        char = chr(code)
        if char.isalpha() and (base := _base_letters(char)) is not None:
            table[char] = base
    for char, base in _UNDECOMPOSED.items():
        upper = char.upper()
        if len(upper) == 1 and not upper.isascii():  # not "ß" → "SS" nor "ı" → "I"
            table[upper] = base
    return table


FOLD_TABLE: dict[str, str] = _build_table()
"""Accented (upper- and lower-case) Latin letter → the ASCII letter(s) it reads as."""

_TRANSLATION = str.maketrans({**FOLD_TABLE, **dict.fromkeys(PUNCTUATION, None)})


def fold_search(text: str | None) -> str:
    """``text`` as a search compares it: lower-case letters and digits without accents."""
    if not text:
        return ""
    return text.lower().translate(_TRANSLATION)


def search_key(*fields: str | None) -> str:
    """The search key of a record: each field folded, joined by ``KEY_SEPARATOR``."""
    return KEY_SEPARATOR.join(fold_search(field) for field in fields)


def sqlite_search_key(no: str | None, name: str | None, company_name: str | None) -> str:
    """``st_search_key(no, name, company_name)``: a contact's search key, for SQLite."""
    return search_key(no, name, company_name)


def single_and_multi(table: Iterable[tuple[str, str]]) -> tuple[str, str, dict[str, str]]:
    """Split a fold table for SQL: the one-to-one part as ``translate()``'s from/to
    strings, and the letters that become two (for ``replace()``)."""
    froms, tos, multi = [], [], {}
    for char, base in sorted(table):
        if len(base) == 1:
            froms.append(char)
            tos.append(base)
        else:
            multi[char] = base
    return "".join(froms), "".join(tos), multi
