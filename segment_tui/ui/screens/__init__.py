"""Screens of segment-tui, one per module."""
