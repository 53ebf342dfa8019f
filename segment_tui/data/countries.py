"""Countries by ISO 3166-1 code or by name, from the maintained ``pycountry`` data.

Imports and the contact card accept a country as an ISO alpha-2 or alpha-3 code
(``DE``, ``DEU``), by its English short, common or official name ("Germany",
"Korea, Republic of", "South Korea", "Republic of Korea"), by its name in the main
European languages ("Deutschland", "Österreich", "Espagne"), and by the names CRM and
spreadsheet exports use that ISO does not carry ("UK", "USA", "Korea", "Swaziland",
"Palestinian Territory", "Slovakia (Slovak Republic)"). Matching ignores case,
accents, punctuation and a leading "the". A name that matches nothing gets a "did you
mean" from the closest names. The rules are described in ``docs/contacts-import.md``.
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from functools import cache

import pycountry

# Names exports use that pycountry's ISO data does not (former names, informal names,
# Faker's list that sample files such as datablist's are generated from).
EXTRA_NAMES: dict[str, str] = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "usa": "US", "u s a": "US", "u s": "US", "america": "US",
    "united states virgin islands": "VI", "korea": "KR", "north korea": "KP",
    "holland": "NL", "turkey": "TR", "swaziland": "SZ", "macedonia": "MK",
    "republic of macedonia": "MK", "burma": "MM", "cape verde": "CV", "ivory coast": "CI",
    "east timor": "TL", "vatican": "VA", "vatican city": "VA", "russia": "RU",
    "palestinian territory": "PS", "palestinian territories": "PS",
    "occupied palestinian territory": "PS", "libyan arab jamahiriya": "LY",
    "pitcairn islands": "PN", "svalbard and jan mayen islands": "SJ",
    "zaire": "CD", "congo kinshasa": "CD", "congo brazzaville": "CG", "dr congo": "CD",
    "drc": "CD", "brunei": "BN", "laos": "LA", "syria": "SY", "czech republic": "CZ",
    "slovak republic": "SK", "kyrgyz republic": "KG", "the gambia": "GM",
    "bahamas the": "BS", "st kitts": "KN", "saint martin": "MF", "sint maarten": "SX",
    "reunion island": "RE", "heard and mcdonald islands": "HM", "micronesia": "FM",
    "federated states of micronesia": "FM", "south georgia": "GS",
    "wallis and futuna islands": "WF", "british virgin islands": "VG",
    "us virgin islands": "VI", "hong kong sar": "HK", "macau": "MO", "macao sar": "MO",
    "kosovo": "XK",
}  # fmt: skip

EXTRA_DISPLAY: dict[str, str] = {"XK": "Kosovo"}
"""Names of the codes above that ISO does not assign (Kosovo's user-assigned XK)."""

LANGUAGES = ("de", "fr", "es", "it", "nl", "pt", "da", "sv", "nb_NO", "fi", "pl", "cs")
"""Languages whose country names are understood too (pycountry's translations)."""

_PUNCTUATION = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """The key a name is matched by: no accents, case or punctuation, no leading "the",
    "&" read as "and", "St." as "Saint"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("&", " and ").replace("ß", "ss")
    key = _PUNCTUATION.sub(" ", plain).strip()
    key = re.sub(r"^the ", "", key)
    return re.sub(r"^st ", "saint ", key)


def _variants(name: str) -> list[str]:
    """A pycountry name and the forms people write it in: without its parenthesis
    ("Falkland Islands"), turned round ("Republic of Korea"), and the part before
    the comma ("Korea", used only when no other country claims it)."""
    forms = [name]
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if bare != name:
        forms.append(bare)
    for form in list(forms):
        if "," in form:
            head, _, tail = form.partition(",")
            forms.append(f"{tail.strip()} {head.strip()}")
            forms.append(head.strip())
    return forms


@cache
def _index() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(codes: alpha-2/alpha-3 -> alpha-2, names: key -> alpha-2, display names)."""
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    display: dict[str, str] = {}
    claimed: dict[str, set[str]] = {}

    def claim(key: str, code: str) -> None:
        if key:
            claimed.setdefault(key, set()).add(code)

    for country in pycountry.countries:
        code = country.alpha_2
        codes[code] = code
        codes[country.alpha_3] = code
        display[code] = getattr(country, "common_name", None) or country.name
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                for form in _variants(value):
                    claim(normalise(form), code)
    # A key two countries claim ("Korea", "Congo" before a comma) names neither.
    for key, owners in claimed.items():
        if len(owners) == 1:
            names[key] = next(iter(owners))
    for country in pycountry.countries:  # exact short names always win ("Congo" = CG)
        names[normalise(country.name)] = country.alpha_2
    for language in LANGUAGES:
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        for country in pycountry.countries:
            for form in _variants(catalog.gettext(country.name)):
                names.setdefault(normalise(form), country.alpha_2)
    # Withdrawn countries whose two-letter code no current country reuses.
    for old in pycountry.historic_countries:
        code = getattr(old, "alpha_2", "")
        if code and code not in codes:
            names.setdefault(normalise(old.name), code)
            display.setdefault(code, old.name)
    for key, code in EXTRA_NAMES.items():
        names.setdefault(normalise(key), code)
    for code, name in EXTRA_DISPLAY.items():
        display.setdefault(code, name)
    return codes, names, display


def country_code(value: str) -> str | None:
    """The ISO alpha-2 code a code, name or alias (any case, accents optional) means."""
    codes, names, _ = _index()
    text = value.strip()
    if not text:
        return None
    if text.upper() in codes:
        return codes[text.upper()]
    found = names.get(normalise(text))
    if found is None and "(" in text:
        # "Slovakia (Slovak Republic)", "Bouvet Island (Bouvetoya)": either part may be known.
        outside = re.sub(r"\([^)]*\)", " ", text)
        inside = " ".join(re.findall(r"\(([^)]*)\)", text))
        found = names.get(normalise(outside)) or names.get(normalise(inside))
    return found


def country_name(code: str) -> str:
    """The English name to store for an ISO code ("KR" -> "South Korea")."""
    return _index()[2].get(code.upper(), code.upper())


def suggestions(value: str, limit: int = 3) -> list[str]:
    """The closest known countries to an unknown name, as ``Name (CODE)``."""
    _, names, display = _index()
    close = difflib.get_close_matches(normalise(value), list(names), n=limit * 3, cutoff=0.75)
    result: list[str] = []
    for key in close:
        label = f"{display.get(names[key], key)} ({names[key]})"
        if label not in result:
            result.append(label)
    return result[:limit]
