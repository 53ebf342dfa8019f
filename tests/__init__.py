"""The test suite. Every test folder is a package, so pytest and ``mypy --strict segment_tui
tests`` both name each module ``tests.<folder>.<module>`` and helpers are imported that way
(``from tests.delivery.delivery_helpers import SmtpServer``)."""
