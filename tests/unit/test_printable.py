"""printable(): the fast check for Latin-1 text decides exactly as the expression does."""

from __future__ import annotations

import pytest

from segment_tui.printable import UNSAFE, printable


def _by_expression(text: str) -> str:
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


@pytest.mark.parametrize("code", range(256))
def test_every_latin1_character_is_treated_as_the_expression_says(code: int) -> None:
    for text in (chr(code), f"Léa {chr(code)} Bézier", "x" * 300 + chr(code)):
        assert printable(text) == _by_expression(text)


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII, tab\t and line feed\n",
        "Ännä Smith ©",
        "\u2019quoted\u2019 \u2028 ✓",  # beyond Latin-1, all safe
        "txt.\u202eexe",  # a bidirectional override
        "bad \udc80 byte",  # a lone surrogate
        "\x1b]0;title\x07 and \x9b2J",
        "DEL \x7f Ünïcødé",
    ],
)
def test_mixed_text_is_escaped_as_the_expression_says(text: str) -> None:
    assert printable(text) == _by_expression(text)
    assert printable(text, drop=True) == UNSAFE.sub("", text)
