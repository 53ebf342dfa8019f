"""How the UI words numbers: one format everywhere (docs/ui.md, "Numbers").

Quantities — counts, amounts, minutes — carry a thousands separator (``108,856``);
numbers that identify something (Entry No., Line No., a contact's No.) read as they are
typed (``108856``), since they are typed back into filters and commands.
"""

from __future__ import annotations


def count(number: int, word: str, plural: str = "") -> str:
    """``1 action``, ``2 actions``, ``1,234 entries`` (``plural`` when not ``word + s``)."""
    return f"{number:,} {word if number == 1 else plural or word + 's'}"
