"""Streaming command line (docs/streaming.md): time and peak memory of the commands that
print or write big results, each beside the raw query it needs, in the same run.

    .venv/bin/python benchmarks/bench_cli.py [--sizes 100000,1000000] [--engines sqlite,postgres]
                                             [--runs 3] [--pg URL] [--demo N] [--keep]
                                             [--only export,jsonl] [--name PREFIX]

For each database and size N the script builds (once; SQLite files are kept in the temp
directory, PostgreSQL databases are dropped unless --keep) N contacts, a segment of N lines
and N interaction log entries, then runs in a child process, ``--runs`` times each:

- ``segment show NO --json``, ``interactions list --json`` / ``--jsonl`` / as a table /
  ``--jsonl --limit 100000`` (the newest entries),
  ``contacts export FILE.csv`` (output to a file in the temp directory), ``logged list``
  (its raw query: the one aggregate over the entries it runs, the app's own statement);
- two raw queries: the same SELECT through the database's own client into a file
  (``sqlite3 -json``/``-csv``; ``psql -At`` of ``row_to_json`` / ``psql --csv``; for the
  export one SELECT with the classification codes as sub-queries on SQLite, joined as
  aggregated lists on PostgreSQL, as the app reads them) — the like-for-like
  figure — and the driver alone fetching the same rows (sqlite3, or a psycopg2
  server-side cursor, 5,000 at a time, dropped; for the export the contact table and its
  four classification tables).

It prints the median time (min–max), the median CPU time of the command's process, the
peak RSS (the largest of the runs, from ``/usr/bin/time``'s maximum resident set size)
and ours/raw of the medians (wall, then CPU), against the client and against the driver.
On a shared machine the CPU ratio is the steadier one on SQLite; on PostgreSQL the
server's share of the work is in neither CPU figure. ``--only`` runs the commands whose
names hold one of the words; ``--sizes ""`` with ``--demo N`` times the demo alone.
Targets: peak RSS ≤ 150 MB, ≤ 2x the client.
``--demo N`` also times ``demo --contacts N`` into a new database (once; target ≤ 300 MB).
The segment's lines are inserted with SQL (line numbers 10, 20, …), so the benchmark does
not depend on the engine's numbering.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SEGMENT = "BENCHCLI"
LIMIT = 100_000
"""``interactions list --jsonl --limit``: the newest this many entries."""
TMP = Path(tempfile.gettempdir())
TIME = "/usr/bin/time"
"""GNU time: the command's peak RSS (``%M``)."""
CHILD_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": str(TMP / "bench-cli-pycache"),
}
"""The children's environment: bytecode cached (in the temp directory, not the source
tree) as an installed package has it. With ``PYTHONDONTWRITEBYTECODE`` set, every start
compiled the app's modules again: 0.4–0.7 s of CPU a command, which no user pays."""


# --- child processes ----------------------------------------------------------------------


def run_child(argv: list[str], stdout: Path | None = None) -> tuple[float, float, int, int]:
    """Run ``argv`` (stdout to ``stdout``); (seconds, CPU seconds, peak RSS in MB, exit
    status).

    The peak is ``/usr/bin/time``'s maximum resident set size of the command. Not this
    process's ``ru_maxrss`` of the child: a child's figure starts from the memory of the
    process that forked it (kept across exec), and this one holds a database's worth;
    ``time`` is a small C program. CPU is user + system time of the command's process
    (on PostgreSQL the server's work is not in it).
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time", encoding="utf-8") as report:
        with open(stdout or os.devnull, "wb") as out:
            start = time.perf_counter()
            done = subprocess.run(
                [TIME, "-f", "%M %U %S", "-o", report.name, *argv],
                stdout=out,
                stderr=subprocess.PIPE,
                check=False,
                cwd=ROOT,
                env=CHILD_ENV,
            )
            seconds = time.perf_counter() - start
        # The last line; a command killed by a signal gets a line before it.
        figures = (report.read().strip().splitlines() or [""])[-1].split()
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace")[-4000:])
    if len(figures) != 3:
        return seconds, 0.0, 0, done.returncode
    peak_kb, user, system = int(figures[0]), float(figures[1]), float(figures[2])
    return seconds, user + system, peak_kb // 1024, done.returncode


def raw_child(location: str, statements: list[tuple[str, list[Any]]]) -> int:
    """The raw query: each statement run once, rows fetched 5,000 at a time and dropped."""
    rows = 0
    if location.startswith("postgresql://"):
        import psycopg2

        connection = psycopg2.connect(location)
        for number, (sql, params) in enumerate(statements):
            with connection.cursor(name=f"raw{number}") as cursor:
                cursor.itersize = 5000
                cursor.execute(sql, params)
                while batch := cursor.fetchmany(5000):
                    rows += len(batch)
        connection.close()
    else:
        import sqlite3

        connection = sqlite3.connect(location)
        for sql, params in statements:
            cursor = connection.execute(sql, params)
            while batch := cursor.fetchmany(5000):
                rows += len(batch)
        connection.close()
    return rows


# --- data -----------------------------------------------------------------------------------


def pg_database(admin: str, name: str, *, create: bool) -> str:
    """The URL of database ``name`` on the server of ``admin`` (created when asked)."""
    import psycopg2

    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if create and cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    finally:
        connection.close()
    return urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))


def drop_pg_database(admin: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        connection.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()


def build(location: str, size: int) -> None:
    """``size`` contacts, segment BENCHCLI with a line per contact, an interaction log
    entry per contact (kept when already there)."""
    from segment_tui.db import db, open_database, write_transaction
    from segment_tui.models import Contact, InteractionLogEntry, SegmentHeader, SegmentLine
    from segment_tui.services.demo.seed import seed_contacts
    from segment_tui.services.demo.setup_data import seed_setup

    open_database(location)
    have = Contact.select().count()
    if have < size:
        started = time.perf_counter()
        with write_transaction():
            seed_setup()
            seed_contacts(size - have)
        print(f"  {size - have:,} contacts in {time.perf_counter() - started:.1f} s", flush=True)
    if SegmentLine.select().where(SegmentLine.segment_no == SEGMENT).count() != size:
        with write_transaction():
            SegmentHeader.delete().where(SegmentHeader.no == SEGMENT).execute()
            SegmentHeader.insert(
                no=SEGMENT, description="Benchmark", interaction_template_code="LETTER",
                salesperson_code="BC", correspondence_type_default="hard_copy",
                language_code_default="ENU", interaction_group_code="LETTER",
            ).execute()  # fmt: skip
            db.execute_sql(
                "INSERT INTO segment_line (segment_no, line_no, contact_no, salesperson_code, "
                "correspondence_type, cost_lcy, duration_min, description, contact_company_no, "
                "interaction_template_code, language_code, interaction_group_code, "
                "information_flow, initiated_by, date, subject, line_note, added_by_action) "
                f"SELECT '{SEGMENT}', 10 * ROW_NUMBER() OVER (ORDER BY no), no, 'BC', "
                "'hard_copy', 2.5, 5, 'Benchmark', COALESCE(company_no, ''), 'LETTER', 'ENU', "
                "'LETTER', 'outbound', 'us', '2026-03-02', 'Our range', '', 1 "
                f"FROM (SELECT no, company_no FROM contact ORDER BY no LIMIT {size}) AS picked"
            )
    if InteractionLogEntry.select().count() < size:
        with write_transaction():
            cursor = db.execute_sql(
                "INSERT INTO logged_segment (segment_no, description, creation_date, user_id) "
                "VALUES ('SEG99999', 'Benchmark', '2026-03-02', 'BENCH') RETURNING entry_no"
            )
            (logged,) = cursor.fetchone()
            db.execute_sql(
                "INSERT INTO interaction_log_entry (contact_no, contact_company_no, date, "
                "description, cost_lcy, duration_min, user_id, interaction_group_code, "
                "interaction_template_code, segment_no, salesperson_code, correspondence_type, "
                "logged_segment_entry_no, subject, line_note, information_flow, initiated_by) "
                "SELECT no, COALESCE(company_no, ''), '2026-03-02', 'Benchmark', 2.5, 5, "
                "'BENCH', 'LETTER', 'LETTER', 'SEG99999', 'BC', 'hard_copy', "
                f"{int(logged)}, 'Our range', '', 'outbound', 'us' "
                f"FROM (SELECT no, company_no FROM contact ORDER BY no LIMIT {size}) AS picked"
            )
    if db.obj is not None and location.startswith("postgresql://"):
        db.execute_sql("ANALYZE")
    db.close()


_LINKS = (
    ("contact_mailing_group", "mailing_group_code"),
    ("contact_industry_group", "industry_group_code"),
    ("contact_business_relation", "business_relation_code"),
    ("contact_job_responsibility", "job_responsibility_code"),
)


def raw_queries(location: str) -> dict[str, tuple[str, list[tuple[str, list[Any]]]]]:
    """Per command: (one SELECT for the database's own client, with its values inlined;
    the statements the driver-only raw runs)."""
    import peewee

    from segment_tui.db import dialect, open_database
    from segment_tui.models import Contact, InteractionLogEntry, SegmentLine
    from segment_tui.services.interactions import entry_view
    from segment_tui.services.log.logged_counts import counts_query
    from segment_tui.services.segments import view as segment_view

    open_database(location, migrate=False)

    def sql(query: Any) -> tuple[str, list[Any]]:
        text, params = query.sql()
        return text, list(params)

    lines = segment_view._lines_query(SEGMENT).order_by(SegmentLine.line_no)
    entries = entry_view._query(entry_view.EntryFilter()).order_by(
        InteractionLogEntry.entry_no.desc()
    )
    export = [sql(Contact.select().order_by(Contact.no))]
    export += [
        (f"SELECT contact_no, {code} FROM {table} ORDER BY contact_no, {code}", [])
        for table, code in _LINKS
    ]
    if dialect() == "sqlite":
        codes = [
            f"(SELECT group_concat({code}, ';') FROM (SELECT {code} FROM {table} "
            f"WHERE contact_no = c.no ORDER BY {code}))"
            for table, code in _LINKS
        ]
        export_sql = f"SELECT c.*, {', '.join(codes)} FROM contact c ORDER BY c.no"
    else:
        # As the app reads the whole table there: each classification's lists aggregated
        # once and joined (sub-queries per contact run one by one, several times slower).
        joins = "".join(
            f" LEFT JOIN (SELECT contact_no, string_agg({code}, ';' ORDER BY {code}) AS codes"
            f" FROM {table} GROUP BY contact_no) l{n} ON l{n}.contact_no = c.no"
            for n, (table, code) in enumerate(_LINKS)
        )
        lists = ", ".join(f"l{n}.codes" for n in range(len(_LINKS)))
        export_sql = f"SELECT c.*, {lists} FROM contact c{joins} ORDER BY c.no"

    def as_json(query: Any) -> str:
        text = peewee.query_to_string(query)
        # sqlite3 -json writes JSON itself; psql writes columns: ask PostgreSQL for JSON.
        return text if dialect() == "sqlite" else f"SELECT row_to_json(t) FROM ({text}) t"

    # logged list: the one aggregate over every entry it runs (interactions, letters and
    # delivery states per logged segment), the app's own statement.
    logged = counts_query()
    newest = entries.limit(LIMIT)
    return {
        "logged": (as_json(logged), [sql(logged)]),
        "lines": (as_json(lines), [sql(lines)]),
        "entries": (as_json(entries), [sql(entries)]),
        "newest": (as_json(newest), [sql(newest)]),
        "export": (export_sql, export),
    }


def client_argv(location: str, sql_file: Path, form: str) -> list[str]:
    """The database's own client running ``sql_file`` with output ``form`` (json, csv)."""
    if location.startswith("postgresql://"):
        return ["psql", location, "-X", "-q", "-f", str(sql_file)] + (
            ["--csv"] if form == "csv" else ["-At"]
        )
    return ["sqlite3", f"-{form}", "-cmd", f".read {sql_file}", location, ".exit"]


# --- measuring ------------------------------------------------------------------------------


def measure(name: str, argv: list[str], runs: int, out: Path | None) -> dict[str, Any]:
    times, cpus, peaks = [], [], []
    for _ in range(runs):
        seconds, cpu, peak, status = run_child(argv, out)
        if status != 0:
            raise SystemExit(f"{name}: exit status {status}")
        times.append(seconds)
        cpus.append(cpu)
        peaks.append(peak)
    return {"name": name, "times": times, "cpus": cpus, "peak": max(peaks)}


def report(result: dict[str, Any], *raws: dict[str, Any]) -> str:
    """One line: median wall time (min–max), median CPU, peak RSS, and the ratios of the
    medians to each raw run's (wall, then CPU)."""
    times, cpus = result["times"], result["cpus"]
    median, cpu = statistics.median(times), statistics.median(cpus)
    spread = f"({min(times):.2f}–{max(times):.2f})"
    text = (
        f"  {result['name']:<34} {median:7.2f} s {spread:<14} {cpu:6.2f} s {result['peak']:5d} MB"
    )
    for raw in raws:
        raw_cpu = statistics.median(raw["cpus"])
        text += f"  x{median / statistics.median(raw['times']):4.2f}"
        text += f" (cpu x{cpu / raw_cpu:4.2f})" if raw_cpu else " (cpu -)"
    return text


def bench(location: str, runs: int, only: list[str]) -> None:
    python = sys.executable
    cli = [python, "-m", "segment_tui", "--db", location]
    # Warm-up: the bytecode cache of every app module, and of what a command imports.
    subprocess.run(
        [python, "-m", "compileall", "-q", str(ROOT / "segment_tui")], env=CHILD_ENV, check=True
    )
    run_child([*cli, "logged", "list"])
    queries = raw_queries(location)
    out = TMP / f"bench-cli-out-{os.getpid()}"
    csv_file = TMP / f"bench-cli-export-{os.getpid()}.csv"
    sql_file = TMP / f"bench-cli-{os.getpid()}.sql"
    cases = [
        ("segment show --json", ["segment", "show", SEGMENT, "--json"], "lines", "json"),
        ("segment show (table)", ["segment", "show", SEGMENT], "lines", "json"),
        ("interactions list --json", ["interactions", "list", "--json"], "entries", "json"),
        ("interactions list --jsonl", ["interactions", "list", "--jsonl"], "entries", "json"),
        ("interactions list (table)", ["interactions", "list"], "entries", "json"),
        (
            f"interactions list --limit {LIMIT:,}",
            ["interactions", "list", "--jsonl", "--limit", str(LIMIT)],
            "newest",
            "json",
        ),
        ("contacts export", ["contacts", "export", str(csv_file)], "export", "csv"),
        ("logged list", ["logged", "list"], "logged", "json"),
    ]
    cases = [case for case in cases if not only or any(word in case[0] for word in only)]
    print(
        f"  {'':<34} {'median':>9} {'(min–max)':<14} {'cpu':>8} {'peak':>8}"
        "  /client (cpu)     /driver (cpu)"
    )
    try:
        raws: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for name, args, key, form in cases:
            if key not in raws:
                client_sql, statements = queries[key]
                sql_file.write_text(client_sql + ";\n", encoding="utf-8")
                client = measure(
                    f"raw {key}: client ({form})", client_argv(location, sql_file, form), runs, out
                )
                driver = measure(
                    f"raw {key}: driver fetch",
                    [python, __file__, "--raw", location, json.dumps(statements)],
                    runs,
                    None,
                )
                raws[key] = (client, driver)
                print(report(client), flush=True)
                print(report(driver), flush=True)
            print(report(measure(name, cli + args, runs, out), *raws[key]), flush=True)
    finally:
        for path in (out, csv_file, sql_file):
            path.unlink(missing_ok=True)


def bench_demo(location: str, contacts: int) -> None:
    seconds, cpu, peak, status = run_child(
        [sys.executable, "-m", "segment_tui", "--db", location, "demo", "--contacts", str(contacts)]
    )
    state = "ok" if status == 0 else f"FAILED (exit {status})"
    print(f"  {'demo --contacts ' + format(contacts, ','):<30} {seconds:7.2f} s "
          f"{'':<14} {cpu:6.2f} s {peak:5d} MB   {state}", flush=True)  # fmt: skip


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--raw":
        rows = raw_child(sys.argv[2], [(s, p) for s, p in json.loads(sys.argv[3])])
        print(rows)
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("SEGMENT_TUI_TEST_PG", ""))
    parser.add_argument("--demo", type=int, default=0, metavar="N", help="also time demo")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument(
        "--name",
        default="bench_streaming",
        help="prefix of the PostgreSQL databases and SQLite files (one per person benchmarking)",
    )
    parser.add_argument(
        "--only", default="", help="comma-separated words: run only the commands named so"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    engines = [e for e in args.engines.split(",") if e]
    if "postgres" in engines and not args.pg:
        raise SystemExit("--pg URL (or SEGMENT_TUI_TEST_PG) is needed for postgres")

    for engine in engines:
        for size in sizes:
            name = f"{args.name}_{size}"
            if engine == "sqlite":
                location = str(TMP / f"{name}.db")
            else:
                location = pg_database(args.pg, name, create=True)
            print(f"{engine}, {size:,} contacts / lines / entries", flush=True)
            try:
                build(location, size)
                bench(location, args.runs, [w for w in args.only.split(",") if w])
            finally:
                if engine == "postgres" and not args.keep:
                    drop_pg_database(args.pg, name)
        if args.demo:
            if engine == "sqlite":
                path = TMP / f"bench-cli-demo-{uuid.uuid4().hex[:8]}.db"
                try:
                    bench_demo(str(path), args.demo)
                finally:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
            else:
                name = f"{args.name}_demo_{uuid.uuid4().hex[:8]}"
                try:
                    bench_demo(pg_database(args.pg, name, create=True), args.demo)
                finally:
                    drop_pg_database(args.pg, name)


if __name__ == "__main__":
    main()
