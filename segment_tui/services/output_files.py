"""Writing a file a user named: checked first, written whole or not at all.

Every printout and export is written to a temporary file next to the target and renamed
over it at the end, so a failure (a full disk, a refused request, Ctrl+C) never leaves a
half-written PDF or CSV, and an existing file is only replaced by a complete one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from segment_tui.errors import ConfirmationRequired, UserError


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
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise UserError(f"{path}: cannot write it: {error.strerror}", field="out") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as error:
        raise UserError(f"{path}: cannot write it: {error.strerror}", field="out") from None
    finally:
        temporary.unlink(missing_ok=True)


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
"""mkstemp creates files 0600; a printout gets the permissions any new file would get
(read once, when the module is imported, as reading it means setting it)."""
