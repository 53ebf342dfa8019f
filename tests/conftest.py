"""Shared fixtures: a file database under tmp_path (thread workers cannot see
``:memory:``), the CRONUS-like setup, and a factory for contacts."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.delivery.delivery_helpers import SmtpServer, free_port

if TYPE_CHECKING:  # the fixtures import the app's modules when they run
    from segment_tui.services.contacts.records import ContactRecord

# Snapshots and colours must not depend on the developer's environment: Textual reads
# NO_COLOR when the app starts.
os.environ.pop("NO_COLOR", None)

FIXTURES = Path(__file__).parent / "fixtures"

_SOURCE_ENTRY = re.compile(
    r"^### `([^`]+)`\n(?:(?!### ).*\n)*?.*\bsize (\d+) bytes; sha256 `([0-9a-f]{64})`",
    re.MULTILINE | re.IGNORECASE,
)


def documented_fixtures(folder: Path) -> dict[str, tuple[int, str]]:
    """The third-party files ``folder/SOURCES.md`` documents: name -> (size, sha256)."""
    return {
        name: (int(size), digest)
        for name, size, digest in _SOURCE_ENTRY.findall((folder / "SOURCES.md").read_text())
    }


def assert_fixtures_as_documented(folder: Path, pattern: str) -> None:
    """Every ``pattern`` file in ``folder`` has its SOURCES.md entry, every entry its file,
    and each file is the byte-for-byte copy the entry describes (size and sha256)."""
    documented = documented_fixtures(folder)
    present = {path.name: path for path in folder.glob(pattern)}
    assert sorted(present) == sorted(documented), "SOURCES.md and the files differ"
    for name, (size, digest) in documented.items():
        data = present[name].read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, digest), name


@pytest.fixture(autouse=True)
def private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep tests out of the user's data directory (logs, default delivery folders)."""
    path = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(path))
    monkeypatch.delenv("SEGMENT_TUI_DB", raising=False)
    return path


@pytest.fixture(autouse=True)
def session_work_date(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with the work date following today, as a new session does."""
    from segment_tui.services.setup.work_date import WORK_DATE_ENV, set_work_date

    monkeypatch.delenv(WORK_DATE_ENV, raising=False)
    set_work_date(None)
    yield
    set_work_date(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database file lives."""
    return tmp_path / "segment.db"


@pytest.fixture
def database(db_path: Path) -> Iterator[Any]:
    """An empty, migrated database bound to the models."""
    from segment_tui.db import close_database, open_database

    database = open_database(str(db_path))
    yield database
    close_database()


@pytest.fixture
def cronus(database: Any) -> Any:
    """The demo company's setup (salespeople BC/JO/PS/RB/HR, languages, countries, groups,
    templates LETTER/NEWS/OUTCALL/MEETING with documents, campaign CP1001), no contacts."""
    from segment_tui.db import write_transaction
    from segment_tui.services.demo.setup_data import seed_setup

    with write_transaction():
        seed_setup()
    return database


ContactFactory = Callable[..., "ContactRecord"]


@pytest.fixture
def make_contact(cronus: Any) -> ContactFactory:
    """Create a contact through the service: ``make_contact(no="C1", name="Ann", ...)``."""
    from segment_tui.services.contacts.records import create_contact

    def make(**values: Any) -> ContactRecord:
        return create_contact(values)

    return make


@pytest.fixture
def smtp(cronus: Any) -> Iterator[SmtpServer]:
    """A local SMTP server (not started) and Marketing Setup pointing at it."""
    from segment_tui.models import MarketingSetup

    server = SmtpServer(free_port())
    MarketingSetup.update(
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_starttls=False,
        smtp_user="",
        smtp_from_address="marketing@cronus.example",
    ).where(MarketingSetup.primary_key == "").execute()
    yield server
    server.stop()
