"""Shared pieces of the fuzz tests: one database per test (not per example: hypothesis runs
every example against the same one), a dump of every table to compare before and after, and
the check that an error is the kiosk's own with a Japanese message for the screen."""

import os
import re

from hypothesis import HealthCheck, settings
from sqlalchemy import select

from kiosk.db.models import Base
from kiosk.errors import KioskError

from tests.web.conftest import app, client  # noqa: F401  (the kiosk app on the test's database)

# The database fixture is per test on purpose: the examples share it, and the test checks that
# none of them changed it.
FUZZ = settings(max_examples=int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "60")), deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def dump_all(db) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.c)
            rows[table.name] = [tuple(row) for row in session.execute(select(table).order_by(*order))]
    return rows


def assert_kiosk_error(error: BaseException) -> None:
    """``error`` is a KioskError with a Japanese message for the screen and an English one for logs."""
    assert isinstance(error, KioskError), f"{type(error).__name__}: {error}"
    assert JAPANESE.search(error.ja), f"no Japanese in the message {error.ja!r} ({error})"
    assert str(error), "no English message for the log"
