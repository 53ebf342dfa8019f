"""Writing a file a user named: checked first, written whole or not at all.

Every printout and export is written to a temporary file next to the target and renamed
over it at the end, so a failure (a full disk, a refused request, Ctrl+C) never leaves a
half-written PDF or CSV, and an existing file is only replaced by a complete one. The
file is private (mode 0600): it holds personal data (:mod:`segment_tui.private_files`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from segment_tui.errors import ConfirmationRequired, UserError
from segment_tui.private_files import private_temporary


def check_output(path: Path, suffixes: Sequence[str], *, overwrite: bool | None) -> Path:
    """Refuse a path that cannot be written: a wrong extension, a missing folder, a folder
    itself; an existing file asks first unless ``overwrite`` answers (default No)."""
    path = path.expanduser()
    if path.suffix.lower() not in suffixes:
        names = " or ".join(suffixes)
        raise UserError(f"{path}: the file name must end in {names}", field="out")
    if path.is_dir():
        raise UserError(f"{path} is a folder; name a file", field="out")
    if not path.parent.is_dir():
        raise UserError(f"{path}: the folder {path.parent} does not exist", field="out")
    if path.exists() and overwrite is None:
        raise ConfirmationRequired(
            f"{path} already exists.\\Do you want to replace it?", default=False, key="overwrite"
        )
    if path.exists() and not overwrite:
        raise UserError(f"{path} already exists; nothing was written.", field="out")
    return path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path to write to; renamed to ``path`` when the block succeeds, removed
    when it fails."""
    try:
        with private_temporary(path) as temporary:
            yield temporary
    except OSError as error:
        raise UserError(f"{path}: cannot write it: {error.strerror}", field="out") from None
