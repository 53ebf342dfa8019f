"""Countries by code or by the names people and exports write (pycountry's data)."""

from __future__ import annotations

import pytest

from segment_tui.data.countries import country_code, country_name, suggestions


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("de", "DE"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("Österreich", "AT"),
        ("Espagne", "ES"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("South Korea", "KR"),
        ("Korea", "KR"),
        ("North Korea", "KP"),
        ("Congo", "CG"),
        ("Democratic Republic of the Congo", "CD"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("UK", "GB"),
        ("the United Kingdom", "GB"),
        ("U.S.A.", "US"),
        ("St. Lucia", "LC"),
        ("Slovakia (Slovak Republic)", "SK"),
        ("Bouvet Island (Bouvetoya)", "BV"),
        ("Svalbard & Jan Mayen Islands", "SJ"),
        ("Netherlands Antilles", "AN"),
        ("Kosovo", "XK"),
        ("Virgin Islands", None),  # British or U.S.: neither
        ("Atlantis", None),
        ("", None),
    ],
)
def test_a_country_is_found_by_code_or_name(written: str, code: str | None) -> None:
    assert country_code(written) == code


def test_names_stored_for_new_countries_are_the_common_english_ones() -> None:
    assert [country_name(c) for c in ("KR", "VN", "IR", "XK", "AN")] == [
        "South Korea",
        "Vietnam",
        "Iran",
        "Kosovo",
        "Netherlands Antilles",
    ]


def test_an_unknown_name_gets_the_closest_countries() -> None:
    assert suggestions("Germny") == ["Germany (DE)"]
    assert suggestions("Virgin Islands")[:2] == [
        "Virgin Islands, U.S. (VI)",
        "Virgin Islands, British (VG)",
    ]
    assert suggestions("Qwertyuiop") == []
