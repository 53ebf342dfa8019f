"""Interaction statistics: BC's FlowFields per contact, template and group, computed in the
database (docs/interactions.md).

No. of Interactions, Cost and Duration leave canceled entries out; Date of Last
Interaction leaves failed attempts out (canceled ones count); Last Date Attempted is the
last entry initiated by us; a company's figures include its persons'. A differential test
compares every figure with a plain Python computation over random entries, filters
included."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import Contact, InteractionLogEntry
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.interactions.create import create_interaction
from segment_tui.services.interactions.entries import toggle_canceled
from segment_tui.services.interactions.stats import By, contact_statistics, statistics

People = dict[str, ContactRecord]


def _log(contact: str, template: str, day: str, **values: Any) -> int:
    values = {"interaction_template_code": template, "date": day, **values}
    return create_interaction(contact, values, send=False).entry_no


@pytest.fixture
def logged(people: People) -> dict[str, int]:
    """Ann: two letters (one canceled) and a failed call; Bob: a call by them; Ida: a
    meeting. Adatum itself: one letter."""
    numbers = {
        "ann_letter": _log("P1", "LETTER", "2026-01-10"),
        "ann_canceled": _log("P1", "LETTER", "2026-03-01"),
        "ann_failed": _log("P1", "OUTCALL", "2026-04-01", attempt_failed=True),
        "bob_call": _log("P2", "OUTCALL", "2026-02-01", initiated_by="them"),
        "ida_meeting": _log("P3", "MEETING", "2026-05-05"),
        "adatum_letter": _log("C1", "LETTER", "2025-12-24"),
    }
    toggle_canceled([numbers["ann_canceled"]])
    return numbers


def test_a_persons_figures_follow_bcs_flowfields(logged: dict[str, int]) -> None:
    ann = contact_statistics("P1")
    assert ann["no_of_interactions"] == 2  # the canceled letter is left out
    assert ann["cost_lcy"] == Decimal("7.50") and ann["duration_min"] == 15
    # The failed call does not count as the last interaction; the canceled letter does.
    assert ann["date_of_last_interaction"] == dt.date(2026, 3, 1)
    assert ann["last_date_attempted"] == dt.date(2026, 4, 1)
    bob = contact_statistics("P2")
    assert bob["no_of_interactions"] == 1 and bob["last_date_attempted"] is None


def test_a_companys_figures_include_its_persons(logged: dict[str, int]) -> None:
    adatum = contact_statistics("C1")
    assert adatum["no_of_interactions"] == 4  # its letter, Ann's two, Bob's call
    assert adatum["cost_lcy"] == Decimal("2.50") * 2 + Decimal("5.00") * 2
    assert adatum["date_of_last_interaction"] == dt.date(2026, 3, 1)


def test_a_contact_without_interactions_has_zeros(people: People) -> None:
    assert contact_statistics("P3") | {"name": ""} == {
        "contact_no": "P3", "name": "", "type": "person", "company_name": "",
        "no_of_interactions": 0, "cost_lcy": Decimal("0.00"), "duration_min": 0,
        "date_of_last_interaction": None, "last_date_attempted": None,
    }  # fmt: skip


def test_per_template_and_group_every_one_in_setup_is_listed(logged: dict[str, int]) -> None:
    by_template = {r["code"]: r for r in statistics("template")}
    assert set(by_template) == {"LETTER", "NEWS", "OUTCALL", "MEETING"}
    assert by_template["LETTER"]["no_of_interactions"] == 2
    assert by_template["OUTCALL"]["no_of_interactions"] == 2
    assert by_template["NEWS"]["no_of_interactions"] == 0
    assert by_template["NEWS"]["date_of_last_interaction"] is None
    by_group = {r["code"]: r for r in statistics("group")}
    assert by_group["PHONE"]["cost_lcy"] == Decimal("10.00")
    assert by_group["PHONE"]["description"] == "Telephone calls"


def test_per_contact_lists_contacts_with_interactions(logged: dict[str, int]) -> None:
    rows = {r["contact_no"]: r for r in statistics("contact")}
    assert set(rows) == {"C1", "P1", "P2", "P3"}
    assert rows["C1"]["no_of_interactions"] == 4
    assert rows["P1"]["no_of_interactions"] == 2


def test_where_filters_the_entries_and_the_contacts(logged: dict[str, int]) -> None:
    rows = statistics("template", ["ile.date=2026-01-01..2026-12-31"])
    assert {r["code"]: r["no_of_interactions"] for r in rows}["LETTER"] == 1  # not 2025
    contacts = statistics("contact", ["type=Company", "ile.template=OUTCALL"])
    assert {r["contact_no"]: r["no_of_interactions"] for r in contacts} == {"C1": 2}
    rows = statistics("group", ["type=Person"])
    assert {r["code"]: r["no_of_interactions"] for r in rows}["LETTER"] == 1  # Ann's


def test_canceled_cannot_be_a_statistics_filter(people: People) -> None:
    with pytest.raises(UserError, match="ile.canceled cannot be filtered"):
        statistics("template", ["ile.canceled=Yes"])


def _random_world(seed: int) -> list[dict[str, Any]]:
    """120 entries of random contacts, templates, dates, costs and flags."""
    rng = random.Random(seed)
    contacts = [(c.no, c.company_no or "") for c in Contact.select()]
    templates = [("LETTER", "LETTER"), ("OUTCALL", "PHONE"), ("NEWS", "EMAIL"), ("OLD", "GONE")]
    rows = []
    for _ in range(120):
        contact, company = rng.choice(contacts)
        template, group = rng.choice(templates)
        rows.append(
            {
                "contact_no": contact,
                "contact_company_no": company,
                "date": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600)),
                "cost_lcy": Decimal(rng.randrange(0, 2000)) / 100,
                "duration_min": rng.randrange(0, 90),
                "interaction_template_code": template,
                "interaction_group_code": group,
                "canceled": rng.random() < 0.2,
                "attempt_failed": rng.random() < 0.2,
                "initiated_by": rng.choice(["", "us", "them"]),
                "campaign_no": rng.choice(["", "CP1001"]),
                "line_note": "",
            }
        )
    InteractionLogEntry.insert_many(rows).execute()
    return rows


def _expected(rows: list[dict[str, Any]], key: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"no_of_interactions": 0, "cost_lcy": Decimal("0.00"), "duration_min": 0,
                 "date_of_last_interaction": None, "last_date_attempted": None}
    )  # fmt: skip
    for row in rows:
        for code in key(row):
            figures = out[code]
            if not row["canceled"]:
                figures["no_of_interactions"] += 1
                figures["cost_lcy"] += row["cost_lcy"]
                figures["duration_min"] += row["duration_min"]
            if not row["attempt_failed"]:
                last = figures["date_of_last_interaction"]
                figures["date_of_last_interaction"] = max(filter(None, [last, row["date"]]))
            if row["initiated_by"] == "us":
                last = figures["last_date_attempted"]
                figures["last_date_attempted"] = max(filter(None, [last, row["date"]]))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_equal_a_python_computation(people: People, seed: int) -> None:
    rows = _random_world(seed)
    since = dt.date(2025, 9, 1)
    chosen = [r for r in rows if r["date"] >= since and r["campaign_no"] == "CP1001"]
    where = ["ile.date=2025-09-01..", "ile.campaign_no=CP1001"]
    companies = {c.no for c in Contact.select().where(Contact.type == "company")}

    def contact_keys(row: dict[str, Any]) -> list[str]:
        # A person's own row; a company's row holds its own and its persons' entries.
        if row["contact_no"] in companies:
            return [row["contact_no"]]
        return [row["contact_no"]] + ([row["contact_company_no"]] * bool(row["contact_company_no"]))

    keys: tuple[tuple[By, Callable[[dict[str, Any]], list[str]]], ...] = (
        ("template", lambda r: [r["interaction_template_code"]]),
        ("group", lambda r: [r["interaction_group_code"]]),
        ("contact", contact_keys),
    )
    for by, key in keys:
        for filters, subset in (([], rows), (where, chosen)):
            expected = _expected(subset, key)
            got = [dict(record) for record in statistics(by, filters)]
            name = "contact_no" if by == "contact" else "code"
            for record in got:
                figures = expected.get(str(record[name]))
                if figures is None:
                    assert record["no_of_interactions"] == 0, (by, record)
                    continue
                if by != "contact":
                    figures = {k: v for k, v in figures.items() if k != "last_date_attempted"}
                assert {k: record[k] for k in figures} == figures, (by, filters, record)
            assert {r[name] for r in got} >= set(expected), by


def test_cli_stats(logged: dict[str, int], cli: Any) -> None:
    status, out, err = cli("interactions", "stats", "--by", "group")
    assert status == 0, err
    # The screen's captions (services/interactions/columns.py), the figures right-aligned.
    assert out.splitlines()[0].split()[:3] == ["Group", "Description", "Inter."]
    assert any(line.startswith("PHONE") and " 2 " in line for line in out.splitlines())
    status, out, err = cli("interactions", "stats", "--by", "contact", "--where", "no=P1", "--json")
    assert status == 0, err
    (ann,) = json.loads(out)
    assert ann["no_of_interactions"] == 2 and ann["date_of_last_interaction"] == "2026-03-01"


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("--by", "salesperson"), 2, "invalid choice"),
        (("--where", "cty=London"), 1, "unknown field 'cty' (did you mean city?)"),
        (("--where", "ile.date=2026-13-01"), 1, "filter ile.date"),
    ],
)
def test_cli_stats_bad_input(
    people: People, cli: Any, args: tuple[str, ...], status: int, message: str
) -> None:
    code, _, err = cli("interactions", "stats", *args)
    assert code == status and message in err and "Traceback" not in err
