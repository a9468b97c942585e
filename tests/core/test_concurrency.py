"""Numbers across processes and crashes: no gap, no duplicate (SQLite file and PostgreSQL)."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from kiosk.db.models import Copy, Library
from kiosk.db.storage import open_database

ROOT = Path(__file__).resolve().parents[2]
FIRST = 5001


def _start_worker(url: str, library_id: int, count: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.core.registration_worker", url, str(library_id), str(count), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _library(db) -> int:
    from kiosk.library import create_library

    with db.write() as session:
        return create_library(session, "並行小学校", first_number=FIRST, actor="t").id


def _numbers_and_counter(url: str, library_id: int) -> tuple[list[int], int]:
    db = open_database(url)
    try:
        with db.read() as session:
            numbers = list(session.scalars(select(Copy.number).where(Copy.library_id == library_id)))
            counter = session.get(Library, library_id).next_number
        return numbers, counter
    finally:
        db.dispose()


@pytest.mark.timeout(240)
def test_four_processes_250_registrations_each(database_url, db):
    library_id = _library(db)
    workers = [_start_worker(database_url, library_id, 250) for _ in range(4)]
    outputs = [worker.communicate(timeout=200) for worker in workers]
    for worker, (_, stderr) in zip(workers, outputs):
        assert worker.returncode == 0, stderr
    handed_out = sorted(int(n) for out, _ in outputs for n in out.split())
    numbers, counter = _numbers_and_counter(database_url, library_id)
    assert sorted(numbers) == handed_out == list(range(FIRST, FIRST + 1000))
    assert counter == FIRST + 1000


KILLS = int(os.environ.get("KIOSK_CRASH_KILLS", "6"))  # e.g. 200 for the closing note's figure (~2 s a kill)


@pytest.mark.timeout(240 + 3 * KILLS)
def test_killed_registering_processes_leave_no_gap_and_no_duplicate(database_url, db):
    library_id = _library(db)
    rng = random.Random(os.environ.get("KIOSK_CRASH_SEED", "2026"))
    confirmed: list[int] = []
    for _ in range(KILLS):
        worker = _start_worker(database_url, library_id, 0, "--batch-max", "40")
        time.sleep(rng.uniform(0.6, 1.6))  # start-up takes ~0.5 s; kill somewhere in the writing
        worker.send_signal(signal.SIGKILL)
        out, _ = worker.communicate(timeout=30)
        confirmed += [int(n) for n in out.split()]
    numbers, counter = _numbers_and_counter(database_url, library_id)
    assert len(numbers) == len(set(numbers))
    assert sorted(numbers) == list(range(FIRST, counter))
    assert set(confirmed) <= set(numbers)  # what a worker saw committed is there
    assert len(numbers) > 0
    print(f"\n{database_url.split(':')[0]}: {KILLS} kill -9 while registering, {len(numbers)} copies kept "
          f"({len(confirmed)} seen committed by the killed processes): 0 gaps, 0 duplicates")
    check = open_database(database_url)
    try:
        with check.engine.connect() as connection:
            if check.dialect == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            else:
                assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        check.dispose()
