"""Word documents that cannot be turned against the user: a zip bomb, a huge XML part,
thousands of parts, a billion-laughs DTD and an unresolved entity are refused with a
clear message when attached (exit 1, nothing stored) and, if one got into the database
some other way, when merged (exit 1, no file written) — in a real process that neither
inflates the bomb nor grows past a few tens of megabytes.
"""

from __future__ import annotations

import io
import re
import sqlite3
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from segment_tui.merge import limits
from segment_tui.merge.zipwriter import Blob, compress, write_zip
from tests.conftest import FIXTURES
from tests.security.conftest import assert_refused, cli, database_dump

TEMPLATE = FIXTURES / "word" / "iulica-docx-mailmerge__test_footnote_header_footer.docx"
RUN_CLI_MEASURED = (
    "import re, sys; from segment_tui.cli import main; status = main(sys.argv[1:]); "
    "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
    "print('peak-kb', hwm, file=sys.stderr); sys.exit(status)"
)


def _parts(source: Path = TEMPLATE) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as package:
        return {name: package.read(name) for name in package.namelist()}


def _docx(parts: dict[str, bytes], extra: dict[str, Blob] | None = None) -> bytes:
    entries = [(name, compress(data)) for name, data in parts.items()]
    return write_zip(entries + list((extra or {}).items()))


def zeros_bomb(size: int) -> Blob:
    """A deflated part of ``size`` zero bytes, built without ever holding them: one
    flushed deflate block of a megabyte of zeros, repeated (a real zip bomb)."""
    megabyte = b"\0" * (1 << 20)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = squeeze.compress(megabyte) + squeeze.flush(zlib.Z_FULL_FLUSH)
    count = size >> 20
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(megabyte, crc)
    ending = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    return Blob(crc, count << 20, zipfile.ZIP_DEFLATED, block * count + ending)


def test_the_bomb_helper_builds_a_real_bomb() -> None:
    blob = zeros_bomb(8 << 20)
    inflated = zlib.decompress(blob.data, -15)
    assert len(inflated) == 8 << 20 and set(inflated) == {0}
    assert zlib.crc32(inflated) == blob.crc and len(blob.data) < 20_000


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "docx.db"
    assert cli(path, "demo", "--contacts", "20")[0] == 0
    return path


def _attach(db: Path, document: Path) -> tuple[int, str, str, int]:
    """``template attach LETTER FILE`` in a process; also its peak memory in KB."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI_MEASURED, "--db", str(db), "template", "attach",
         "LETTER", str(document)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    peak = re.search(r"peak-kb (\d+)", done.stderr)
    assert peak is not None, done.stderr
    return done.returncode, done.stdout, done.stderr, int(peak.group(1))


def _hostile_documents(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each hostile document and a phrase its refusal must hold."""
    parts = _parts()
    found: dict[str, tuple[Path, str]] = {}

    def keep(name: str, data: bytes, phrase: str) -> None:
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        found[name] = (path, phrase)

    keep(
        "zip bomb, 1 GiB of zeros in one part",
        _docx(parts, {"word/media/image9.png": zeros_bomb(1 << 30)}),
        "times its packed size",
    )
    keep(
        "zip bomb, 1 GiB document.xml",
        _docx(
            {k: v for k, v in parts.items() if k != "word/document.xml"},
            {"word/document.xml": zeros_bomb(1 << 30)},
        ),
        "one XML part may be at most",
    )
    many = dict(parts)
    for number in range(limits.MAX_PARTS + 1):
        many[f"customXml/item{number}.xml"] = b"<a/>"
    keep("more parts than any letter", _docx(many), "parts; a Word document may have at most")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>"
    )
    document = parts["word/document.xml"]
    body = document[document.index(b"<w:document") :]
    keep("billion laughs", _docx({**parts, "word/document.xml": laughs + body.replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1)}), "DTD")  # fmt: skip
    unresolved = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY who SYSTEM "file:///etc/passwd">]>'
    keep("unresolved entity", _docx({**parts, "word/document.xml": unresolved + body.replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>&who;</w:t></w:r></w:p>", 1)}), "DTD")  # fmt: skip
    header = next(name for name in parts if name.startswith("word/header"))
    keep("entity in a header", _docx({**parts, header: b"<!DOCTYPE h [<!ENTITY x 'y'>]>"
                                      + parts[header][parts[header].index(b"<w:hdr"):]}),
         "DTD")  # fmt: skip
    return found


def test_hostile_documents_are_refused_at_attach(db: Path, tmp_path: Path) -> None:
    before = database_dump(db)
    for name, (path, phrase) in _hostile_documents(tmp_path).items():
        status, out, err, peak_kb = _attach(db, path)
        assert status == 1, f"{name}: {err}"
        assert "Traceback" not in err and "unexpected" not in err, f"{name}: {err}"
        assert f"The Word document {path.name} is refused:" in err, f"{name}: {err}"
        assert phrase in err and "Nothing was attached." in err, f"{name}: {err}"
        assert peak_kb < 200_000, f"{name}: {peak_kb} KB"  # the bomb was never inflated
        assert database_dump(db) == before, name


def test_a_file_over_the_size_limit_is_refused_unread(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.docx"
    with path.open("wb") as out:
        out.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: nothing to read
    status, _, err, peak_kb = _attach(db, path)
    assert status == 1 and "a Word document may be at most 64.0 MB" in err, err
    assert peak_kb < 200_000


def test_a_real_template_still_attaches_and_merges(db: Path, tmp_path: Path) -> None:
    status, _, err, _ = _attach(db, TEMPLATE)
    assert status == 0, err
    out = tmp_path / "merged.docx"
    status, _, err = cli(db, "segment", "merge", "SEG00003", "--out", str(out))
    assert status == 0, err
    assert zipfile.is_zipfile(out)


def _store_behind_the_apps_back(db: Path, data: bytes) -> None:
    """Put a document into LETTER's attachment directly (as an older version could have)."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE attachment SET content = ? WHERE no IN (SELECT attachment_no FROM "
            "interaction_tmpl_language WHERE interaction_template_code = 'LETTER')",
            (data,),
        )


def test_a_stored_hostile_document_is_refused_at_merge(db: Path, tmp_path: Path) -> None:
    documents = _hostile_documents(tmp_path)
    for name in ("zip bomb, 1 GiB of zeros in one part", "unresolved entity"):
        path, phrase = documents[name]
        _store_behind_the_apps_back(db, path.read_bytes())
        before = database_dump(db)
        out = tmp_path / f"merged {name}.docx"
        err = assert_refused(cli(db, "segment", "merge", "SEG00003", "--out", str(out)), phrase)
        assert "is refused" in err and "Nothing was merged" in err, err
        assert not out.exists()
        err = assert_refused(cli(db, "template", "check", "LETTER"), phrase)
        assert database_dump(db) == before


def test_a_zip_whose_directory_lies_cannot_inflate_past_it(tmp_path: Path) -> None:
    """The directory says 1 KB, the data inflates to 64 MB: zipfile stops at 1 KB and the
    CRC check refuses the part, so the stated sizes are the limit."""
    from segment_tui.merge import DocxFormatError
    from segment_tui.merge.package import Package

    honest = _docx(_parts(), {"word/media/x.bin": zeros_bomb(64 << 20)})
    lying = honest.replace((64 << 20).to_bytes(4, "little"), (1024).to_bytes(4, "little"))
    assert lying != honest
    with pytest.raises(DocxFormatError, match="not a .docx"):
        Package(lying)


def test_the_unpacked_total_is_limited() -> None:
    infos = []
    for number in range(9):
        info = zipfile.ZipInfo(f"word/media/image{number}.png")
        info.file_size, info.compress_size = 30 << 20, 29 << 20
        infos.append(info)
    with pytest.raises(limits.DocumentRefused, match="unpacks to 270.0 MB"):
        limits.check_directory(infos)
    limits.check_directory(infos[:8])  # 240 MB of pictures is a big letter, not a bomb


def test_merge_of_an_attachment_refused_names_the_document(tmp_path: Path) -> None:
    message = limits.refused_at_merge(7, "bomb.docx", limits.DocumentRefused("too big"))
    assert message.startswith("The Word document bomb.docx (attachment 7) is refused: too big.")
    assert io is not None
