"""Segment engine speed on SQLite and PostgreSQL: every criteria operation at 1,000,000
contacts with 10,000 / 100,000 / 500,000 selected, each next to the same work done by
hand-written SQL (``engine_raw.py``) in the same run, on the same indexed tables.

    .venv/bin/python benchmarks/bench_engine.py [--contacts N] [--select 10000,100000,500000]
        [--databases sqlite,postgres] [--sqlite PATH] [--postgres URL] [--repeat N] [--keep]

Per selection size k the run does, on one segment through the engine and on another
through raw SQL: preview (count what Add would add), add k contacts into the empty
segment, reduce (remove 10 % of them), go back, refine (keep 10 %), go back, add the next
k contacts into the segment holding k lines, go back of that, go back of the first add,
and log a segment of k lines. Each row prints the median time (and the spread over the
repeats) of both and the ratio engine / raw. "add into k lines / add into empty" shows
that adding to a non-empty segment costs the same as adding to an empty one.

SQLite: a file under /tmp, built once and reused. PostgreSQL: ``--postgres`` (a server
URL the script may create databases on; default ``$SEGMENT_TUI_TEST_PG``), else a
throwaway cluster started the way ``.ci/run`` starts it (initdb -E UTF8, C.UTF-8,
fsync off) and stopped at the end. The PostgreSQL database ``bench_engine_<N>`` is dropped
at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))

from engine_data import contact_no, load  # noqa: E402
from engine_raw import Raw, RawSegment  # noqa: E402

OPERATIONS = [
    "preview",
    "add into empty",
    "reduce 10 %",
    "go back of reduce",
    "refine (keep 10 %)",
    "go back of refine",
    "add into k lines",
    "go back of that add",
    "go back of the first add",
    "log",
]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


class Cycle:
    """One pass over the operations for a selection of ``k`` contacts."""

    def __init__(self, raw: Raw, k: int, engine_first: bool) -> None:
        from segment_tui.services.criteria.actions import AddOptions
        from segment_tui.services.criteria.fields import parse_where

        self.raw = raw
        self.k = k
        self.engine_first = engine_first
        low, high = contact_no(1), contact_no(k)
        self.low, self.high, self.tenth = low, high, contact_no(max(1, k // 10))
        self.next_low, self.next_high = contact_no(k + 1), contact_no(2 * k)
        self.selection = parse_where([f"no={low}..{high}"])
        self.next_selection = parse_where([f"no={self.next_low}..{self.next_high}"])
        self.tenth_filter = parse_where([f"no={low}..{self.tenth}"])
        self.options = AddOptions(ignore_exclusion=True)
        self.segment = new_segment("Bench engine")
        self.raw_segment = raw_segment(raw, new_segment("Bench raw"))
        self.times: dict[str, tuple[float, float]] = {}

    def both(
        self, name: str, engine: Callable[[], Any], raw: Callable[[], tuple[float, Any]]
    ) -> None:
        if self.engine_first:
            engine_seconds, _ = timed(engine)
            raw_seconds, _ = raw()
        else:
            raw_seconds, _ = raw()
            engine_seconds, _ = timed(engine)
        self.times[name] = (engine_seconds, raw_seconds)
        self.check_same_lines(name)

    def check_same_lines(self, name: str) -> None:
        """Both sides must have done the same work: the same number of lines."""
        counts = [
            self.raw.one("SELECT COUNT(*) FROM segment_line WHERE segment_no = ?", (no,))[0]
            for no in (self.segment, self.raw_segment.no)
        ]
        if counts[0] != counts[1]:
            raise SystemExit(f"{name}: the engine has {counts[0]} lines, raw SQL {counts[1]}")

    def run(self) -> dict[str, tuple[float, float]]:
        from segment_tui.services.criteria.actions import add_contacts, preview_add, remove_contacts
        from segment_tui.services.criteria.go_back import go_back
        from segment_tui.services.log.log_segment import log_segment

        seg, raw, opts = self.segment, self.raw_segment, self.options
        self.both(
            "preview",
            lambda: preview_add(seg, self.selection, opts),
            lambda: raw.preview(self.low, self.high),
        )
        self.both(
            "add into empty",
            lambda: add_contacts(seg, self.selection, opts),
            lambda: raw.add(self.low, self.high),
        )
        self.both(
            "reduce 10 %",
            lambda: remove_contacts(seg, self.tenth_filter, "reduce"),
            lambda: raw.remove("reduce", self.low, self.tenth),
        )
        self.both("go back of reduce", lambda: go_back(seg), raw.go_back)
        self.both(
            "refine (keep 10 %)",
            lambda: remove_contacts(seg, self.tenth_filter, "refine"),
            lambda: raw.remove("refine", self.low, self.tenth),
        )
        self.both("go back of refine", lambda: go_back(seg), raw.go_back)
        self.both(
            "add into k lines",
            lambda: add_contacts(seg, self.next_selection, opts),
            lambda: raw.add(self.next_low, self.next_high),
        )
        self.both("go back of that add", lambda: go_back(seg), raw.go_back)
        self.both("go back of the first add", lambda: go_back(seg), raw.go_back)
        add_contacts(seg, self.selection, opts)
        raw.add(self.low, self.high)
        logged: list[int] = []
        self.both(
            "log",
            lambda: logged.append(log_segment(seg).logged_segment_entry_no),
            lambda: _remember(logged, raw.log("BENCH")),
        )
        self.forget(logged)
        return self.times

    def forget(self, logged: list[int]) -> None:
        """Leave the database as found: the logged segments and their entries go."""
        marks = ", ".join("?" * len(logged))
        self.raw.run(
            [
                (f"DELETE FROM interaction_log_entry WHERE logged_segment_entry_no IN ({marks})",
                 logged),
                (f"DELETE FROM campaign_entry WHERE register_no IN ({marks})", logged),
                (f"DELETE FROM logged_segment WHERE entry_no IN ({marks})", logged),
            ]
        )  # fmt: skip


def _remember(logged: list[int], result: tuple[float, list[Any]]) -> tuple[float, list[Any]]:
    logged.append(int(result[1][0]))
    return result


def new_segment(description: str) -> str:
    from segment_tui.services.segments.headers import create_segment

    return str(create_segment(description, template="LETTER", salesperson="BC")["no"])


def raw_segment(raw: Raw, segment_no: str) -> RawSegment:
    """The raw side's segment, with the header values a hand-written program reads once."""
    from segment_tui.services.criteria.actions import get_header
    from segment_tui.services.segments.line_init import LineDefaults

    header = get_header(segment_no)
    defaults = LineDefaults.of(header)
    template = defaults.template
    assert template is not None and template.ignore_contact_corres_type
    values = {
        name: getattr(header, name) or None
        for name in ("campaign_no", "salesperson_code", "interaction_template_code",
                     "interaction_group_code")
    }  # fmt: skip
    values.update(
        correspondence_type=template.correspondence_type_default,
        unit_cost_lcy=str(header.unit_cost_lcy),
        unit_duration_min=header.unit_duration_min,
        campaign_response=header.campaign_response,
        information_flow=header.information_flow,
        initiated_by=header.initiated_by,
        campaign_target=header.campaign_target,
        language_code_default=header.language_code_default,
        description=header.description,
        date=header.date.isoformat(),
        send_word_docs_as_attmt=header.send_word_docs_as_attmt,
    )
    return RawSegment(raw, segment_no, values, defaults.documents)


# --- databases ----------------------------------------------------------------------------


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A PostgreSQL cluster started as ``.ci/run`` starts it; stopped afterwards."""
    import shutil
    import socket
    import subprocess

    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    if not bins:
        raise SystemExit("no PostgreSQL installed: pass --postgres URL or --databases sqlite")
    bin_dir = bins[-1]
    folder = Path(tempfile.mkdtemp(prefix="bench-engine-pg-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run([*as_pg, f"{bin_dir}/initdb", "-D", str(data), "-A", "trust", "-U",
                    "postgres", "-E", "UTF8", "--locale=C.UTF-8"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [f"{bin_dir}/pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-w", "-o", options]
    subprocess.run([*as_pg, *start, "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, f"{bin_dir}/pg_ctl", "-D", str(data), "-m", "fast", "stop"],
                       check=False, stdout=subprocess.DEVNULL)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_database(admin: str, name: str, keep: bool) -> Iterator[str]:
    import psycopg2

    connection = psycopg2.connect(admin)
    connection.autocommit = True
    cursor = connection.cursor()
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    if cursor.fetchone() is None:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    finally:
        if not keep:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.close()


def measure(
    location: str, dialect: str, args: argparse.Namespace
) -> dict[int, list[dict[str, tuple[float, float]]]]:
    from segment_tui.db import analyze, close_database, open_database

    open_database(location)
    seconds, added = timed(lambda: load(args.contacts))
    if added:
        analyze(["contact"])
    print(
        f"{dialect}: {args.contacts:,} contacts ({added:,} loaded in {seconds:.0f} s)", flush=True
    )
    raw = Raw(location, dialect)
    results: dict[int, list[dict[str, tuple[float, float]]]] = {}
    try:
        for k in args.select:
            if 2 * k > args.contacts:
                raise SystemExit(f"--select {k}: needs {2 * k:,} contacts (add into k lines)")
            for repeat in range(args.repeat):
                times = Cycle(raw, k, engine_first=repeat % 2 == 1).run()
                results.setdefault(k, []).append(times)
                summary = ", ".join(f"{n} {e:.2f}/{r:.2f}" for n, (e, r) in times.items())
                print(f"  k={k:,} run {repeat + 1}: {summary}", flush=True)
    finally:
        raw.close()
        close_database()
    return results


def spread(values: list[float]) -> str:
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:.3f}"
    return f"{middle:.3f} ({min(values):.3f}–{max(values):.3f})"


def report(dialect: str, results: dict[int, list[dict[str, tuple[float, float]]]]) -> None:
    print(f"\n{dialect}: seconds, median (min–max) of {len(next(iter(results.values())))} runs")
    print("| operation | k | segment-tui | raw SQL | ratio |")
    print("|---|---:|---:|---:|---:|")
    worst = 0.0
    for name in OPERATIONS:
        for k, runs in results.items():
            engine = [run[name][0] for run in runs]
            raw = [run[name][1] for run in runs]
            ratio = statistics.median(e / r for e, r in zip(engine, raw, strict=True))
            worst = max(worst, ratio)
            print(f"| {name} | {k:,} | {spread(engine)} | {spread(raw)} | {ratio:.2f}x |")
    print(f"worst ratio: {worst:.2f}x")
    for k, runs in results.items():
        flat = [run["add into k lines"][0] / run["add into empty"][0] for run in runs]
        print(f"add into {k:,} lines / add into empty, k={k:,}: {spread(flat)}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument(
        "--select",
        type=lambda s: [int(v) for v in s.split(",")],
        default=[10_000, 100_000, 500_000],
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--sqlite", type=Path, default=None)
    parser.add_argument("--postgres", default=os.environ.get("SEGMENT_TUI_TEST_PG", ""))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    started = dt.datetime.now()
    for dialect in args.databases.split(","):
        if dialect == "sqlite":
            path = args.sqlite or Path(tempfile.gettempdir()) / f"bench-engine-{args.contacts}.db"
            report("SQLite", measure(str(path), "sqlite", args))
        elif dialect == "postgres":
            cluster = throwaway_cluster() if not args.postgres else _given(args.postgres)
            with (
                cluster as admin,
                postgres_database(admin, f"bench_engine_{args.contacts}", args.keep) as url,
            ):
                report("PostgreSQL", measure(url, "postgres", args))
        else:
            raise SystemExit(f"unknown database {dialect!r}")
    print(f"\n(whole run: {dt.datetime.now() - started})")


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
