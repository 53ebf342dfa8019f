"""Writing .docx zips fast: ready-made entries and a streaming ZIP64 writer.

A small zip writer instead of :mod:`zipfile`, so that the parts a merge does not change
(styles, theme, fonts, images...) are compressed once per template (:func:`compress`, a
:class:`Blob`) and copied as ready-made bytes into every output; only the merged parts are
compressed per letter. The writer also streams: a combined document of 100,000 letters is
deflated into the file as it is rendered, never held whole in memory
(:class:`ZipWriter`, :class:`DeflateStream`, :class:`EntrySpool`, :class:`PartSpool`).
Reading a .docx is :mod:`.package`.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class Blob:
    """A part ready for the zip: CRC, sizes and (maybe deflated) data."""

    crc: int
    size: int
    method: int
    data: bytes


def compress(data: bytes, level: int = 6) -> Blob:
    """Deflate ``data`` (stored instead when deflating does not help, e.g. PNG)."""
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = co.compress(data) + co.flush()
    crc = zlib.crc32(data)
    if len(packed) >= len(data):
        return Blob(crc, len(data), zipfile.ZIP_STORED, data)
    return Blob(crc, len(data), zipfile.ZIP_DEFLATED, packed)


def _dos_stamp() -> tuple[int, int]:
    t = time.localtime()
    dos_time = (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2)
    dos_date = ((max(t.tm_year, 1980) - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday
    return dos_time, dos_date


_STAMP = _dos_stamp()
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<IIQI")
_MAX32 = 0xFFFFFFFF  # a saturated 32-bit field: the value is in the ZIP64 record
_LIMIT = _MAX32  # values from here on need ZIP64 (lowered by a test)
_PAD_ID = 0x5354  # an extra field readers skip; room for a ZIP64 field if a part grows
_COPY = 1 << 20


def write_zip(entries: Iterable[tuple[str, Blob]]) -> bytes:
    """Build a zip archive from ready-made entries, in the given order."""
    out = io.BytesIO()
    writer = ZipWriter(out)
    for name, blob in entries:
        writer.add(name, blob)
    writer.close()
    return out.getvalue()


def spool() -> IO[bytes]:
    """A temporary file that stays in memory while small."""
    return tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115 - closed by owner


def _local_header(name: bytes, blob_crc: int, csize: int, usize: int, method: int) -> bytes:
    flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
    dos_time, dos_date = _STAMP
    return (
        _LOCAL.pack(
            0x04034B50, 20, flags, method, dos_time, dos_date, blob_crc, csize, usize, len(name), 0
        )
        + name
    )


class DeflateStream:
    """A part deflated while it is written (see :meth:`ZipWriter.stream`)."""

    def __init__(self, sink: IO[bytes], level: int) -> None:
        """Deflate into ``sink`` at zlib ``level``."""
        self._sink = sink
        self._co = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.crc = 0
        self.size = 0
        self.compressed = 0

    def write(self, text: str | bytes) -> None:
        """Append part content (text is UTF-8 encoded)."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        if not data:
            return
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        packed = self._co.compress(data)
        if packed:
            self._sink.write(packed)
            self.compressed += len(packed)

    def finish(self) -> None:
        """Flush the compressor."""
        packed = self._co.flush()
        self._sink.write(packed)
        self.compressed += len(packed)


_INDEX = struct.Struct("<IQQHQH")  # crc, compressed size, size, method, offset, name length


class EntrySpool:
    """Complete zip entries (local headers and data) written aside, to be copied into the
    archive later as one block (local entries carry no absolute offsets). Its index is
    kept in a temporary file too, so a spool of 200,000 entries costs no memory."""

    def __init__(self) -> None:
        """An empty spool."""
        self.file = spool()
        self.index = spool()
        self.length = 0

    def add(self, name: str, blob: Blob) -> None:
        """Write one ready-made entry."""
        raw = name.encode("utf-8")
        header = _local_header(raw, blob.crc, len(blob.data), blob.size, blob.method)
        self.index.write(
            _INDEX.pack(blob.crc, len(blob.data), blob.size, blob.method, self.length, len(raw))
            + raw
        )
        self.file.write(header)
        self.file.write(blob.data)
        self.length += len(header) + len(blob.data)

    def entries(self) -> Iterator[tuple[bytes, int, int, int, int, int]]:
        """(name, crc, compressed size, size, method, offset in the spool), in order."""
        self.index.seek(0)
        while head := self.index.read(_INDEX.size):
            crc, csize, usize, method, offset, length = _INDEX.unpack(head)
            yield self.index.read(length), crc, csize, usize, method, offset


class PartSpool:
    """One part deflated into a temporary file while it grows (combined notes, lists)."""

    def __init__(self, level: int) -> None:
        """An empty part."""
        self.file = spool()
        self.stream = DeflateStream(self.file, level)

    def write(self, text: str | bytes) -> None:
        """Append part content."""
        self.stream.write(text)


class ZipWriter:
    """Writes a zip archive to a seekable binary file, part by part, in bounded memory.

    Ready-made parts (:meth:`add`), parts streamed while they are rendered
    (:meth:`stream`: the local header is patched with sizes and CRC afterwards) and
    blocks of entries prepared aside (:meth:`add_spool`, :meth:`add_part_spool`). The
    central directory is kept in a temporary file. ZIP64 records are written only when
    the archive needs them (more than 65,535 parts, or sizes/offsets past 4 GiB).
    """

    def __init__(self, out: IO[bytes]) -> None:
        """Write to ``out`` from its current position."""
        self._out = out
        self._start = out.tell()
        self._central = spool()
        self._central_length = 0
        self._count = 0
        self._zip64 = False

    def _offset(self) -> int:
        return self._out.tell() - self._start

    def _record(
        self, raw: bytes, crc: int, csize: int, usize: int, method: int, offset: int
    ) -> None:
        flags = 0 if raw.isascii() else 0x800
        extra = b""
        big = [v for v in (usize, csize, offset) if v >= _LIMIT]
        if big:
            self._zip64 = True
            extra = struct.pack("<HH", 1, 8 * len(big)) + b"".join(
                struct.pack("<Q", v) for v in big
            )
        dos_time, dos_date = _STAMP
        version = 45 if extra else 20
        record = _CENTRAL.pack(
            0x02014B50, version, version, flags, method, dos_time, dos_date, crc,
            csize if csize < _LIMIT else _MAX32,
            usize if usize < _LIMIT else _MAX32,
            len(raw), len(extra), 0, 0, 0, 0,
            offset if offset < _LIMIT else _MAX32,
        ) + raw + extra  # fmt: skip
        self._central.write(record)
        self._central_length += len(record)
        self._count += 1

    def add(self, name: str, blob: Blob) -> None:
        """Write a ready-made part."""
        raw = name.encode("utf-8")
        offset = self._offset()
        self._out.write(_local_header(raw, blob.crc, len(blob.data), blob.size, blob.method))
        self._out.write(blob.data)
        self._record(raw, blob.crc, len(blob.data), blob.size, blob.method, offset)

    @contextlib.contextmanager
    def stream(self, name: str, level: int = 6) -> Iterator[DeflateStream]:
        """Write a part while it is rendered: ``with zw.stream(name) as part: part.write(...)``."""
        raw = name.encode("utf-8")
        offset = self._offset()
        header_at = self._out.tell()
        pad = struct.pack("<HH", _PAD_ID, 16) + bytes(16)
        header = _local_header(raw, 0, 0, 0, zipfile.ZIP_DEFLATED)
        self._out.write(header[: -len(raw) - 2] + struct.pack("<H", len(pad)) + raw + pad)
        part = DeflateStream(self._out, level)
        yield part
        part.finish()
        end = self._out.tell()
        self._out.seek(header_at)
        flags = 0 if raw.isascii() else 0x800
        dos_time, dos_date = _STAMP
        if part.size >= _LIMIT or part.compressed >= _LIMIT:
            extra = struct.pack("<HHQQ", 1, 16, part.size, part.compressed)
            sizes = (_MAX32, _MAX32)
            version = 45
        else:
            extra, sizes, version = pad, (part.compressed, part.size), 20
        self._out.write(
            _LOCAL.pack(
                0x04034B50,
                version,
                flags,
                zipfile.ZIP_DEFLATED,
                dos_time,
                dos_date,
                part.crc,
                sizes[0],
                sizes[1],
                len(raw),
                len(extra),
            )
            + raw
            + extra  # fmt: skip
        )
        self._out.seek(end)
        self._record(raw, part.crc, part.compressed, part.size, zipfile.ZIP_DEFLATED, offset)

    def add_spool(self, spool: EntrySpool) -> None:
        """Copy a block of entries written aside."""
        base = self._offset()
        spool.file.seek(0)
        shutil.copyfileobj(spool.file, self._out, _COPY)
        for raw, crc, csize, usize, method, offset in spool.entries():
            self._record(raw, crc, csize, usize, method, base + offset)
        spool.file.close()
        spool.index.close()

    def add_part_spool(self, name: str, spool: PartSpool) -> None:
        """Write a part deflated aside (its data is copied, not compressed again)."""
        spool.stream.finish()
        part = spool.stream
        raw = name.encode("utf-8")
        offset = self._offset()
        big = part.size >= _LIMIT or part.compressed >= _LIMIT
        flags = 0 if raw.isascii() else 0x800
        dos_time, dos_date = _STAMP
        extra = struct.pack("<HHQQ", 1, 16, part.size, part.compressed) if big else b""
        self._out.write(
            _LOCAL.pack(
                0x04034B50,
                45 if big else 20,
                flags,
                zipfile.ZIP_DEFLATED,
                dos_time,
                dos_date,
                part.crc,
                _MAX32 if big else part.compressed,
                _MAX32 if big else part.size,
                len(raw),
                len(extra),
            )
            + raw
            + extra  # fmt: skip
        )
        spool.file.seek(0)
        shutil.copyfileobj(spool.file, self._out, _COPY)
        spool.file.close()
        self._record(raw, part.crc, part.compressed, part.size, zipfile.ZIP_DEFLATED, offset)

    def close(self) -> None:
        """Write the central directory (and the ZIP64 end records when needed)."""
        cd_offset = self._offset()
        self._central.seek(0)
        shutil.copyfileobj(self._central, self._out, _COPY)
        self._central.close()
        cd_size = self._central_length
        count = self._count
        if self._zip64 or count > 0xFFFF or cd_offset >= _LIMIT or cd_size >= _LIMIT:
            end64_at = self._offset()
            self._out.write(
                _END64.pack(0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size, cd_offset)
            )
            self._out.write(_LOCATOR64.pack(0x07064B50, 0, end64_at, 1))
            # The classic record keeps every value that fits (readers such as LibreOffice
            # only look for the ZIP64 ones where a value is saturated).
            entries = min(count, 0xFFFF)
            size = cd_size if cd_size < _LIMIT else _MAX32
            at = cd_offset if cd_offset < _LIMIT else _MAX32
            self._out.write(_END.pack(0x06054B50, 0, 0, entries, entries, size, at, 0))
        else:
            self._out.write(_END.pack(0x06054B50, 0, 0, count, count, cd_size, cd_offset, 0))
