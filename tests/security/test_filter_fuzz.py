"""Fuzzing the filter language with hypothesis, through the service and the command line:
whatever the text, a filter is run or refused with a message; never a traceback, never
"unexpected failure", and the command line always ends with exit status 0, 1 or 2."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segment_tui.cli import main
from segment_tui.errors import UserError

FIELDS = [
    "no", "name", "type", "city", "post_code", "email", "company_no", "exclude_from_segment",
    "correspondence_type", "mailing_group", "industry_group", "profile.answer", "ile.date",
    "ile.evaluation", "ile.canceled", "ile.segment_no", "salesperson_code", "nosuchfield",
]  # fmt: skip
LIST_FIELDS = {
    "logged": ["entry_no", "segment_no", "description", "creation_date", "failed", "canceled"],
    "interactions": ["entry_no", "contact_no", "date", "delivery_status", "cost_lcy",
                     "canceled", "evaluation"],
}  # fmt: skip
TOKENS = st.sampled_from(
    ["|", "&", "(", ")", "'", "''", "*", "?", "..", "@", "<", ">", "<>", "<=", ">=", "=",
     " ", "A", "a", "Z", "1", "0", "-", ".", "t", "w", "today", "workdate", "yes", "no",
     "2026-12-31", "2026-02-30", "CT000001", "London", "Électricité", "ß", "İ", "\t",
     "\x00", "\x1b[2J", "\udcff", "\u202e", "9" * 30, "1e309", "NaN", "hard_copy"]
)  # fmt: skip
FILTERS = st.one_of(
    st.lists(TOKENS, max_size=30).map("".join),
    st.text(max_size=60),
    st.integers(1, 60).map(lambda depth: "(" * depth + "A*" + ")" * depth),
    st.integers(1, 400).map(lambda terms: "&".join(["<>X"] * terms)),  # longer: arguments test
)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["--db", str(path), "demo", "--contacts", "30"]) == 0
    return path


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exit_:  # argparse's usage errors
            status = int(exit_.code or 0)
    return status, err.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(FIELDS), text=FILTERS)
def test_the_service_runs_or_refuses_every_filter(fuzz_db: Path, field: str, text: str) -> None:
    from segment_tui.db import close_database, count_of, open_database
    from segment_tui.models import Contact
    from segment_tui.services.contacts.query import contact_condition

    open_database(str(fuzz_db))
    try:
        condition = contact_condition([f"{field}={text}"])
        query = Contact.select()
        if condition is not None:
            query = query.where(condition)
        assert count_of(query) >= 0
    except UserError as error:
        assert str(error)
    finally:
        close_database()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(FIELDS), text=FILTERS, many=st.booleans())
def test_the_command_line_ends_with_0_1_or_2(
    fuzz_db: Path, field: str, text: str, many: bool
) -> None:
    where = ["--where", f"{field}={text}"] * (3 if many else 1)
    status, err = _run("--db", str(fuzz_db), "contacts", "list", *where)
    assert status in (0, 1, 2), err
    assert "unexpected failure" not in err and "Traceback" not in err, err
    if status:
        assert "error:" in err


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    listing=st.sampled_from(sorted(LIST_FIELDS)),
    data=st.data(),
    text=FILTERS,
)
def test_list_filters_end_with_0_1_or_2(
    fuzz_db: Path, listing: str, data: st.DataObject, text: str
) -> None:
    field = data.draw(st.sampled_from([*LIST_FIELDS[listing], "bogus"]))
    status, err = _run("--db", str(fuzz_db), listing, "list", "--where", f"{field}={text}")
    assert status in (0, 1, 2), err
    assert "unexpected failure" not in err and "Traceback" not in err, err


@pytest.mark.skipif(not os.environ.get("SEGMENT_TUI_TEST_PG"), reason="needs PostgreSQL")
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(FIELDS), text=FILTERS)
def test_postgresql_runs_or_refuses_every_filter(fuzz_pg: str, field: str, text: str) -> None:
    status, err = _run("--db", fuzz_pg, "contacts", "list", "--where", f"{field}={text}")
    assert status in (0, 1, 2), err
    assert "unexpected failure" not in err and "Traceback" not in err, err


@pytest.fixture(scope="module")
def fuzz_pg() -> object:
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2

    admin = os.environ["SEGMENT_TUI_TEST_PG"]
    name = f"segtest_fuzz_{uuid.uuid4().hex[:10]}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    connection.cursor().execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    try:
        assert _run("--db", url, "demo", "--contacts", "30")[0] == 0
        yield url
    finally:
        from segment_tui.db import close_database

        close_database()
        connection.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.close()
