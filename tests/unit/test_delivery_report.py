"""The delivery report a user reads after Log with Send or Resend: a server that is down
fails every entry with the same message, and that message must read once with the
entries it hit, not once per entry."""

from __future__ import annotations

from segment_tui.services.delivery.report import DeliveryReport

DOWN = "Cannot reach the SMTP server 127.0.0.1:2525: Connection refused"


def test_the_same_error_on_many_entries_reads_once_with_its_count() -> None:
    errors = {n: DOWN for n in range(1, 14)}
    errors[14] = "The recipient's address was refused: bad@example"
    report = DeliveryReport("SEG00001", 3, failed=14, errors=errors)
    lines = [line.strip() for line in report.summary.splitlines()]
    assert sum(DOWN in line for line in lines) == 1
    assert f"entries 1, 2, 3, 4, 5 … (13 entries): {DOWN}" in lines
    assert "entry 14: The recipient's address was refused: bad@example" in lines
    assert "14 deliveries failed" in lines[1]


def test_many_different_errors_are_cut_after_ten_with_what_is_left() -> None:
    errors = {n: f"error {n}" for n in range(1, 13)}
    errors[13] = "error 12"
    report = DeliveryReport("SEG00001", 3, failed=13, errors=errors)
    lines = [line.strip() for line in report.summary.splitlines()]
    assert "entry 10: error 10" in lines
    assert not any("error 11" in line for line in lines)
    assert lines[-1] == "… and 3 more entries with other errors"
