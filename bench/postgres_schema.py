"""A throwaway PostgreSQL schema for a benchmark run (the benchmarks' twin of the tests' fixture)."""

import os
import uuid
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import quote

from sqlalchemy import create_engine, text

from kiosk.db.storage import normalise_url


@contextmanager
def postgres_bench_url() -> Iterator[str | None]:
    """The URL of a new, empty schema on KIOSK_BENCH_POSTGRES_URL or KIOSK_TEST_POSTGRES_URL,
    dropped afterwards; None when neither is set."""
    base = os.environ.get("KIOSK_BENCH_POSTGRES_URL") or os.environ.get("KIOSK_TEST_POSTGRES_URL")
    if not base:
        yield None
        return
    schema = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
