"""Reusable widgets of segment-tui."""

from segment_tui.ui.widgets.row_source import Column, Row, RowKey, RowSource
from segment_tui.ui.widgets.virtual_table import VirtualTable

__all__ = ["Column", "Row", "RowKey", "RowSource", "VirtualTable"]
