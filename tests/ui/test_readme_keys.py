"""The README's key tables are generated from the bindings; they must not drift."""

from __future__ import annotations

from pathlib import Path

from segment_tui.ui.keys import keys_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_key_tables_match_the_bindings() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- keys:start -->") + len("<!-- keys:start -->\n")
    end = text.index("<!-- keys:end -->")
    assert text[start:end] == keys_markdown(), (
        "README key tables are stale: run `python -m segment_tui.ui.keys` and paste the output"
    )


def test_every_screen_has_described_keys() -> None:
    tables = keys_markdown()
    for title in (
        "Segment worksheet",
        "Logged Segments",
        "Interaction Log Entries",
        "Contacts",
        "Setup",
    ):
        assert f"#### {title}" in tables
    assert "| `Shift+L` | Log |" in tables
