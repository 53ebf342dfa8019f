"""Where segment-tui keeps its files: the user data directory.

Its own module so that both the database layer (:mod:`segment_tui.db`, default database
file) and :mod:`segment_tui.private_files` (error log) can use it without importing
each other.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "segment-tui"


def data_dir() -> Path:
    """The user data directory (platformdirs), e.g. ``~/.local/share/segment-tui``."""
    return Path(platformdirs.user_data_dir(APP_NAME))
