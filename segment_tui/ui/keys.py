"""The key tables of the README, generated from the screens' own bindings.

``python -m segment_tui.ui.keys`` prints them; a test checks that the README holds
exactly this text, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import importlib

from textual.binding import Binding

from segment_tui.ui.screens.help import describe_key

# (title, module, class) in the order a user meets them.
SCREENS = (
    ("Everywhere", "segment_tui.ui.app", "SegmentApp"),
    ("Segments (home)", "segment_tui.ui.screens.segments", "SegmentsScreen"),
    ("Segment worksheet", "segment_tui.ui.screens.worksheet", "WorksheetScreen"),
    ("Worksheet header panel", "segment_tui.ui.widgets.header_panel", "HeaderPanel"),
    ("Tables (lines, entries, contacts)", "segment_tui.ui.widgets.cursor_table", "CursorTable"),
    ("Add / Reduce / Refine dialog", "segment_tui.ui.screens.criteria_dialog", "CriteriaDialog"),
    ("Criteria", "segment_tui.ui.screens.criteria", "CriteriaScreen"),
    ("Log dialog", "segment_tui.ui.screens.log_dialog", "LogDialog"),
    ("Logged Segments", "segment_tui.ui.screens.logged_segments", "LoggedSegmentsScreen"),
    (
        "Interaction Log Entries",
        "segment_tui.ui.screens.interaction_entries",
        "InteractionEntriesScreen",
    ),
    ("Contacts", "segment_tui.ui.screens.contacts", "ContactsScreen"),
    (
        "Filter line (Contacts, Logged Segments, Interaction Log Entries)",
        "segment_tui.ui.screens.filter_bar",
        "FilterBar",
    ),
    ("Contact card", "segment_tui.ui.screens.contact_card", "ContactCardScreen"),
    (
        "Create Interaction",
        "segment_tui.ui.screens.create_interaction",
        "CreateInteractionDialog",
    ),
    ("Contact profile", "segment_tui.ui.screens.contact_profile", "ContactProfileScreen"),
    (
        "Interaction Statistics",
        "segment_tui.ui.screens.interaction_stats",
        "InteractionStatsScreen",
    ),
    ("Campaign Entries", "segment_tui.ui.screens.campaign_entries", "CampaignEntriesScreen"),
    (
        "Letter of an entry (Show Attachments)",
        "segment_tui.ui.screens.entry_letter",
        "EntryLetterScreen",
    ),
    ("Setup", "segment_tui.ui.screens.setup", "SetupScreen"),
    ("Lookup (F4)", "segment_tui.ui.screens.dialogs", "LookupDialog"),
    ("Editing a value", "segment_tui.ui.screens.dialogs", "EditValueDialog"),
)


def _rows(cls: type) -> list[tuple[str, str]]:
    """(keys, description) of the bindings a class declares itself (described ones only)."""
    rows: list[tuple[str, str]] = []
    for item in cls.__dict__.get("BINDINGS", []):
        binding = item if isinstance(item, Binding) else Binding(*item)
        if not binding.description:
            continue
        if binding.key_display:
            keys = describe_key(binding.key_display)
        else:
            keys = " / ".join(describe_key(key.strip()) for key in binding.key.split(","))
        rows.append((keys, binding.tooltip or binding.description))
    return rows


def keys_markdown() -> str:
    """Markdown tables, one per screen, from the bindings."""
    parts: list[str] = []
    for title, module, name in SCREENS:
        cls = getattr(importlib.import_module(module), name)
        rows = _rows(cls)
        if not rows:
            continue
        parts.append(f"#### {title}\n\n| Key | Action |\n|---|---|")
        parts.extend(f"| `{keys}` | {description} |" for keys, description in rows)
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(keys_markdown(), end="")
