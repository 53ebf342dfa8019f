"""Textual user interface of segment-tui: screens and widgets."""
