"""Attachments visible (BC's Show Attachments; docs/interactions.md): ``interactions
list`` says per entry whether its letter is attached (delivered, or only the document it
was logged with), ``logged list`` how many of a logged segment's entries have their
letter, and ``interactions letter ENTRY_NO --out FILE`` exports it: the letter as
delivered, else merged now from the entry's document."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.merge.text import docx_to_text
from segment_tui.models import Attachment, InteractionLogEntry
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.interactions.create import create_interaction, deliver
from segment_tui.services.interactions.entries import list_entries
from segment_tui.services.interactions.letters import entry_letter, export_letter

People = dict[str, ContactRecord]


@pytest.fixture
def three(people: People, tmp_path: Path) -> dict[str, int]:
    """A delivered letter (Adatum), a letter logged without Send (Ann), a call (Ida)."""
    delivered = create_interaction("C1", {"interaction_template_code": "LETTER"})
    deliver(delivered, tmp_path / "out", pdf=False)
    logged_only = create_interaction("P1", {"interaction_template_code": "LETTER"}, send=False)
    call = create_interaction("P3", {"interaction_template_code": "OUTCALL"})
    return {"delivered": delivered.entry_no, "document": logged_only.entry_no,
            "none": call.entry_no}  # fmt: skip


def test_list_says_whether_the_letter_is_attached(three: dict[str, int]) -> None:
    letters = {r["entry_no"]: r["letter"] for r in list_entries()}
    assert letters == {three["delivered"]: "delivered", three["document"]: "document",
                       three["none"]: ""}  # fmt: skip


def test_the_delivered_letter_is_exported_as_it_went_out(
    three: dict[str, int], tmp_path: Path
) -> None:
    letter, path = export_letter(three["delivered"], tmp_path / "copy.docx")
    sent = (tmp_path / "out" / "Adatum.docx").read_bytes()
    assert letter.kind == "delivered" and path.read_bytes() == sent


def test_an_undelivered_letter_is_merged_now_with_the_current_contact_data(
    three: dict[str, int], tmp_path: Path
) -> None:
    from segment_tui.services.contacts.records import update_contact

    update_contact("P1", {"name": "Ann Smith-Berg"})
    folder = tmp_path / "letters"
    folder.mkdir()
    letter, path = export_letter(three["document"], folder)
    assert letter.kind == "document" and path.parent == folder and path.suffix == ".docx"
    assert "Ann Smith-Berg" in docx_to_text(path.read_bytes())


def test_an_entry_without_attachment_has_no_letter(three: dict[str, int]) -> None:
    with pytest.raises(UserError, match=f"Interaction Log Entry {three['none']} has no attachment"):
        entry_letter(three["none"])
    with pytest.raises(UserError, match="The Interaction Log Entry does not exist"):
        entry_letter(999)


def test_logged_list_counts_the_letters_attached(people: People, cli: Any, tmp_path: Path) -> None:
    from segment_tui.services.delivery.deliver import deliver_logged_segment
    from segment_tui.services.log.log_segment import log_segment
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    header = create_segment("Letters", template="LETTER", salesperson="PS", date=dt.date.today())
    for no in ("C1", "P1", "P3"):
        add_line(header["no"], no)
    logged = log_segment(header["no"], send=True).logged_segment_entry_no
    deliver_logged_segment(logged, tmp_path / "out", pdf=False)
    status, out, err = cli("logged", "list", "--json")
    assert status == 0, err
    assert json.loads(out)[0]["letters"] == 3
    status, out, err = cli("logged", "list")
    assert out.splitlines()[0].split()[-1] == "Letters"
    assert out.splitlines()[1].split()[-1] == "3"


def test_cli_lists_and_exports(three: dict[str, int], cli: Any, tmp_path: Path) -> None:
    status, out, err = cli("interactions", "list")
    assert status == 0, err
    header, *rows = out.splitlines()
    assert header.split()[-1] == "Letter"
    by_entry = {row.split()[0]: row.split()[-1] for row in rows}
    assert by_entry[str(three["delivered"])] == "Delivered"  # the caption, as on the screen
    # The Delivery column reads the state's caption, not the stored value.
    delivered = next(r for r in rows if r.split()[0] == str(three["delivered"]))
    assert delivered[header.index("Delivery") :].startswith("Sent ")
    status, out, err = cli(
        "interactions", "letter", str(three["document"]), "--out", str(tmp_path / "l.docx")
    )
    assert status == 0 and "has no delivered letter" in err
    assert (tmp_path / "l.docx").exists()
    status, out, err = cli(
        "interactions", "letter", str(three["delivered"]), "--out", str(tmp_path / "d.docx"),
        "--json",
    )  # fmt: skip
    assert status == 0 and json.loads(out)["letter"] == "delivered"
    status, out, err = cli("interactions", "letter", str(three["none"]), "--out", "x.docx")
    assert status == 1 and "has no attachment" in err
    status, out, err = cli("interactions", "letter", "abc", "--out", "x.docx")
    assert status == 2
    status, out, err = cli(
        "interactions", "letter", str(three["delivered"]), "--out", "/proc/x/y.docx"
    )
    assert status == 1 and "Cannot write" in err and "Traceback" not in err


def test_deleting_a_canceled_entry_deletes_its_delivered_letter(three: dict[str, int]) -> None:
    from segment_tui.services.interactions.entries import delete_canceled, toggle_canceled

    number = three["delivered"]
    stored = InteractionLogEntry.get(InteractionLogEntry.entry_no == number).delivered_attachment_no
    toggle_canceled([number])
    assert delete_canceled([number]) == 1
    assert Attachment.get_or_none(Attachment.no == stored) is None


def test_migration_15_upgrades_a_version_7_database(tmp_path: Path) -> None:
    import sqlite3

    from peewee import SqliteDatabase

    from segment_tui.db import close_database, open_database
    from segment_tui.migrations import apply_migrations

    path = tmp_path / "v7.db"
    old = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    assert apply_migrations(old, up_to=7)[-1] == 7
    old.execute_sql(
        "INSERT INTO interaction_log_entry (entry_no, contact_no, line_note) VALUES (5, 'C1', '')"
    )
    old.close()
    open_database(str(path))
    close_database()
    connection = sqlite3.connect(path)
    try:
        columns = [r[1] for r in connection.execute("PRAGMA table_info(entry_delivery_claim)")]
        assert columns == ["entry_no", "claim", "claimed_at"]
        (sql,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'interaction_log_entry_campaign_entry_no'"
        ).fetchone()
        assert "WHERE campaign_entry_no IS NOT NULL" in sql
        assert connection.execute("SELECT count(*) FROM interaction_log_entry").fetchone() == (1,)
    finally:
        connection.close()
