"""Files and folders only their owner can read (docs/security.md, "Permissions").

Everything the app writes holds personal data: letters, print files and PDFs, exports,
reject files, labels and reports, the setup export, the error log. Each is created with
mode 0600 and each folder the app creates with mode 0700, whatever the umask, as the
database file always was. A file is written under a hidden temporary name (created
0600 from its first byte, so no other user can open it in the meantime) and renamed
over its target, so it is there whole or not at all. Folders that already exist keep
their permissions: they are the user's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create ``path`` and any missing parents with mode 0700 (existing ones are left
    alone); returns ``path``. OSError when it cannot be created."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            folder.mkdir(mode=FOLDER_MODE)
            os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    return path


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists; True when it was created."""
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return False
    os.close(handle)
    return True


@contextlib.contextmanager
def private_temporary(path: Path, *, suffix: str = ".part", fixed: bool = False) -> Iterator[Path]:
    """A new hidden file (mode 0600) beside ``path`` to write to; renamed over ``path``
    when the block succeeds, removed when it fails. ``fixed``: always the same name,
    ``.NAME`` + ``suffix``, so one left by a killed process is reused, not piled up."""
    if fixed:
        temporary = path.with_name(f".{path.name}{suffix}")
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        os.fchmod(handle, FILE_MODE)  # one a killed process left may have other bits
    else:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
        temporary = Path(name)
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def open_private(path: Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """``open(path, mode)`` for writing a private file whole: the stream writes a 0600
    temporary file that replaces ``path`` when the block ends without an error."""
    with private_temporary(path) as temporary, temporary.open(mode, **kwargs) as stream:
        yield stream


def write_private(path: Path, data: bytes, *, suffix: str = ".part", fixed: bool = False) -> None:
    """Write ``data`` to ``path`` whole, mode 0600 (OSError when it cannot be written);
    ``suffix`` and ``fixed`` as for :func:`private_temporary`."""
    with private_temporary(path, suffix=suffix, fixed=fixed) as temporary:
        temporary.write_bytes(data)


def error_log_path() -> Path:
    """``segment-tui.log`` in the user data directory."""
    from segment_tui.db import data_dir

    return data_dir() / "segment-tui.log"


def open_error_log() -> Path | None:
    """Send the ``segment_tui`` loggers' errors to the error log (created 0600, in a
    0700 folder); returns its path, or None when it cannot be written."""
    path = error_log_path()
    logger = logging.getLogger("segment_tui")
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler):
            if Path(handler.baseFilename) == path:
                return path
            logger.removeHandler(handler)  # another data directory (tests switch them)
            handler.close()
    try:
        private_folder(path.parent)
        if not create_private_file(path):
            with contextlib.suppress(OSError):  # a log an older version made 0644
                os.chmod(path, FILE_MODE)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    return path
