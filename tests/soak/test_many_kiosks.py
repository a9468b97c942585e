"""Issue 17's soak: 8 kiosks (processes) on one throwaway PostgreSQL server and 4 on one SQLite
file, each driven over HTTP by a client doing a random mix (deliveries, scans, inspection,
registration, withdrawal, label jobs, the ledger) for KIOSK_SOAK_SECONDS (default 120, shared by
the two backends). One kiosk is killed with SIGKILL and started again; the PostgreSQL server is
restarted once in immediate mode. Afterwards the ledger's invariants hold (tests.soak.many_kiosks
.check_ledger) and every answer a client got was a clear one. The checker itself is shown to catch
a planted duplicate, gap, second event, dangling item, half-registered delivery and bad print job."""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select, text

from kiosk.db.models import PrintJob
from kiosk.db.storage import open_database
from kiosk.intake.delivery import add_scan, open_intake, update_item
from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.library import create_library
from kiosk.lookup.cache import DatabaseCache
from kiosk.printing.queue import enqueue
from kiosk.settings import change_settings
from tests import throwaway_postgres
from tests.soak.ledger_invariants import check_ledger, label_job_problems, ledger_counts, number_problems
from tests.soak.many_kiosks import Fleet, Tally, cached_records, drive, soak_seconds

pytestmark = pytest.mark.timeout(900)


def _library(url: str, data_dir, monkeypatch) -> tuple:
    """A library on a fresh database, the lookup cache filled, a pdf: printer under the kiosks'
    data dir (the settings check the folder against this process's data dir: made the same)."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data_dir))
    db = open_database(url)
    with db.write() as session:
        library_id = create_library(session, "耐久小学校図書館", first_number=1, actor="t").id
        change_settings(session, library_id, "printing",
                        {"printers": [{"id": 1, "name": "PDF", "url": f"pdf:{data_dir / 'labels'}"}], "printer": ""},
                        actor="t")
    DatabaseCache(db).put_many(cached_records())
    return db, library_id


def _soak(url: str, data_dir, monkeypatch, kiosks: int, seconds: float, label: str, restart_server=None) -> None:
    db, library_id = _library(url, data_dir, monkeypatch)
    tally = Tally()
    fleet = Fleet(url, data_dir, kiosks)
    try:
        clients = drive(fleet, tally, seconds, kill_at=0.3, disturb=restart_server, disturb_at=0.6)
    finally:
        fleet.stop()
    db.engine.dispose()  # its connections may predate the server's restart
    with db.read() as session:
        problems = check_ledger(session, library_id)
        counts = ledger_counts(session, library_id)
        jobs = [tuple(sorted(numbers)) for numbers in
                session.scalars(select(PrintJob.numbers).where(PrintJob.library_id == library_id))]
    problems += label_job_problems(jobs, tally.labels_ok, tally.labels_unknown)
    print(f"\n[{label}] {kiosks} kiosks, {seconds:.0f} s: ledger {counts}\n{tally.summary(label)}")
    db.dispose()
    assert [c.failure for c in clients if c.failure] == []
    assert problems == []
    assert tally.unclear == [], tally.unclear
    assert set(tally.connection_by_kiosk) <= {0}, "a kiosk never killed dropped a connection"
    assert tally.kills == 1 and tally.registered > 0 and counts["copies"] >= tally.registered
    assert counts["withdrawn"] > 0 and counts["print_jobs"] > 0
    assert tally.seen[("register_confirmed", "ok")] > 0, "no second confirmation was answered"


@pytest.mark.slow
def test_four_kiosks_on_one_sqlite_file_one_killed(tmp_path, monkeypatch):
    _soak(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", tmp_path, monkeypatch, 4, soak_seconds() / 2, "sqlite")


@pytest.mark.slow
def test_eight_kiosks_on_one_postgresql_server_one_killed_and_the_server_restarted(tmp_path, monkeypatch):
    if reason := throwaway_postgres.available():
        pytest.skip(reason)
    server = throwaway_postgres.ThrowawayPostgres().init()

    def restart() -> None:
        server.stop(mode="immediate")
        server.start()

    try:
        _soak(server.url, tmp_path, monkeypatch, 8, soak_seconds() / 2, "postgresql", restart_server=restart)
        assert server.psql("SELECT 1").strip() == "1"
    finally:
        server.destroy()


# --- the checker can fail ----------------------------------------------------------------------


@pytest.fixture
def ledger(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'checked.sqlite3'}")
    with db.write() as session:
        library_id = create_library(session, "点検小学校図書館", first_number=1, actor="t").id
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="点検書店", on=date.today())
    register(db, library_id, accession, [CopyRequest(Book("点検の本", classification="913", author_mark="テ"),
                                                     price=500)] * 4, actor="t")
    intake = open_intake(db, library_id, source="点検書店", received_on=date.today(), kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    records = cached_records(2)
    for record in records:
        update_item(db, add_scan(db, intake, record.isbn13, record=record, list_price=1000), inspection="ok")
    enqueue(db, library_id, [1, 2], printer=None, actor="t")
    yield db, library_id, intake
    db.dispose()


def _problems(db, library_id, *statements) -> list[str]:
    with db.write() as session:
        for statement in statements:
            session.execute(text(statement))
    with db.read() as session:
        return check_ledger(session, library_id)


def test_the_checker_passes_a_sound_ledger(ledger):
    db, library_id, _ = ledger
    assert _problems(db, library_id) == []


def test_the_checker_catches_a_gap(ledger):
    db, library_id, _ = ledger
    (problem,) = _problems(db, library_id, "UPDATE libraries SET next_number = next_number + 1")
    assert "skipped" in problem and "[5]" in problem


def test_the_checker_catches_a_print_job_naming_no_copy(ledger):
    db, library_id, _ = ledger
    (problem,) = _problems(db, library_id, "UPDATE print_jobs SET numbers = '[1, 99]'")
    assert "print job" in problem and "[99]" in problem


def test_the_checker_catches_a_second_registered_event(ledger):
    db, library_id, _ = ledger
    (problem,) = _problems(db, library_id, "INSERT INTO events"
                                           " (library_id, at, actor, action, copy_id, number, details)"
                                           " SELECT library_id, at, actor, action, copy_id, number, details FROM events"
                                           " WHERE action = 'registered' AND number = 3")
    assert "registered" in problem and "(3, 2)" in problem


def test_the_number_check_catches_a_duplicate_a_gap_and_honours_recorded_lost_numbers():
    """The database's unique index refuses a planted duplicate, so the check is shown on its own."""
    assert number_problems([1, 2, 3, 4], 1, 5, set()) == []
    assert number_problems([1, 2, 2, 3, 4], 1, 5, set()) == ["numbers given twice: [2]"]
    assert number_problems([1, 2, 4], 1, 5, set()) == ["numbers skipped (no copy, no 欠番): [3]"]
    assert number_problems([1, 2, 4], 1, 5, {3}) == []
    assert number_problems([1, 2, 3, 4], 1, 5, {3}) == ["numbers both given and recorded as 欠番: [3]"]


def test_the_checker_catches_a_half_registered_delivery_and_a_dangling_item(ledger):
    db, library_id, intake = ledger
    problems = _problems(db, library_id, f"UPDATE intake_items SET copy_number = 77 WHERE id = "
                                         f"(SELECT min(id) FROM intake_items WHERE intake_id = {intake})")
    assert any("no copy" in p and "[77]" in p for p in problems)
    assert any("in part" in p and f"[{intake}]" in p for p in problems)


def test_the_checker_catches_a_double_withdrawal(ledger):
    db, library_id, _ = ledger
    insert = ("INSERT INTO events (library_id, at, actor, action, copy_id, number, details)"
              " SELECT library_id, at, actor, 'withdrawn', copy_id, number, details FROM events"
              " WHERE action = 'registered' AND number = 1")
    problems = _problems(db, library_id, "UPDATE copies SET status = 'withdrawn', withdrawn_on = '2026-12-01' "
                                         "WHERE number = 1", insert, insert)
    assert any("withdrawn twice" in p and "[1]" in p for p in problems)


def test_the_label_job_check_catches_a_job_missing_or_made_twice():
    done, unknown = Counter({(1, 2): 1, (3,): 2}), Counter({(4,): 1})
    assert label_job_problems([(1, 2), (3,), (3,)], done, unknown) == []
    assert label_job_problems([(1, 2), (3,), (3,), (4,)], done, unknown) == []  # its answer was lost
    assert label_job_problems([(1, 2), (1, 2), (3,), (3,)], done, unknown) == [
        "labels for [1, 2]: 2 print jobs, 1 requests done and 0 unknown"]
    assert label_job_problems([(1, 2), (3,)], done, unknown) == [
        "labels for [3]: 1 print jobs, 2 requests done and 0 unknown"]
    assert label_job_problems([(1, 2), (3,), (3,), (4,), (4,)], done, unknown) == [
        "labels for [4]: 2 print jobs, 0 requests done and 1 unknown"]
