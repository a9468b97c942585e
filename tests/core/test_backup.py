"""Backups of an SQLite kiosk: whole, checked, consistent while the kiosk writes, rotated; a
failure said in Japanese and nothing half-written left behind."""

import json
import sqlite3
import threading
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner

from kiosk.db.backup import BackupTimer, back_up, latest_backup
from kiosk_app.cli import main
from kiosk.errors import KioskError
from kiosk.ledger.sheets import ledger_sheets
from kiosk.library import create_library
from kiosk.db.storage import open_database
from tests.conftest import postgres_url
from tests.core.helpers import purchase, register_n


@pytest.fixture
def kiosk_db(make_database_url):
    db = open_database(make_database_url("sqlite"))
    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t").id
    yield db, library_id
    db.dispose()


def rows_of(db, library_id):
    with db.read() as session:
        return [(r.number, r.title, r.price) for s in ledger_sheets(session, library_id) for r in s.rows]


def test_the_backup_is_the_whole_ledger_in_one_checked_file(kiosk_db, tmp_path):
    db, library_id = kiosk_db
    register_n(db, library_id, purchase(date.today()), 12, title="はらぺこあおむし")
    made = back_up(db, tmp_path / "usb")
    assert made.path.parent == tmp_path / "usb" and made.path.name.startswith("kiosk-")
    assert (made.copies, made.last_number) == (12, 1012)
    assert not list((tmp_path / "usb").glob("*-wal")) and not list((tmp_path / "usb").glob("*.partial"))
    copy = open_database(f"sqlite:///{made.path}", migrate_if_needed=False)
    try:
        assert rows_of(copy, library_id) == rows_of(db, library_id)
    finally:
        copy.dispose()
    assert latest_backup(tmp_path / "usb") == made.path


def test_backups_taken_while_the_kiosk_registers_are_each_consistent(kiosk_db, tmp_path):
    """Registrations go on in another thread; every backup holds a ledger with no gap in its
    numbers and no half-written batch (batches are of 5)."""
    db, library_id = kiosk_db
    done = threading.Event()

    def register_batches():
        for _ in range(30):
            register_n(db, library_id, purchase(date.today()), 5)
        done.set()

    writer = threading.Thread(target=register_batches)
    writer.start()
    made, start = [], datetime(2026, 12, 1)
    while not done.is_set() or not made:
        made.append(back_up(db, tmp_path / "b", keep=1000, now=start + timedelta(seconds=len(made))))
    writer.join()
    for backup in made:
        with sqlite3.connect(backup.path) as connection:
            numbers = [n for (n,) in connection.execute("SELECT number FROM copies ORDER BY number")]
        assert numbers == list(range(1001, 1001 + len(numbers))) and len(numbers) % 5 == 0
    assert len(made) >= 2


def test_only_the_newest_are_kept(kiosk_db, tmp_path):
    db, _ = kiosk_db
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "kiosk-mine.sqlite3").write_text("not the kiosk's: never pruned")
    for minute in range(5):
        back_up(db, tmp_path / "b", keep=3, now=datetime(2026, 12, 2, 9, minute))
    assert sorted(p.name for p in (tmp_path / "b").glob("kiosk-2*.sqlite3")) == [
        "kiosk-20261202-090200.sqlite3", "kiosk-20261202-090300.sqlite3", "kiosk-20261202-090400.sqlite3"]
    assert (tmp_path / "b" / "kiosk-mine.sqlite3").exists()


def test_a_backup_that_cannot_be_written_is_said_and_leaves_nothing(kiosk_db, tmp_path):
    db, _ = kiosk_db
    stick = tmp_path / "media"
    stick.mkdir()
    (stick / "not-a-stick").write_text("a file where the USB stick should be")
    with pytest.raises(KioskError) as refused:
        back_up(db, stick / "not-a-stick" / "backups")
    assert refused.value.ja.startswith("バックアップを") and "USBメモリ" in refused.value.ja
    assert sorted(p.name for p in stick.iterdir()) == ["not-a-stick"]


@pytest.mark.skipif(postgres_url() is None, reason="KIOSK_TEST_POSTGRES_URL is not set")
def test_a_postgresql_kiosk_is_backed_up_on_its_server(make_database_url, tmp_path):
    db = open_database(make_database_url("postgresql"))
    try:
        with pytest.raises(KioskError) as refused:
            back_up(db, tmp_path)
        assert "pg_dump" in refused.value.ja
    finally:
        db.dispose()


def test_the_timer_backs_up_only_when_something_was_recorded(kiosk_db, tmp_path):
    db, library_id = kiosk_db
    timer = BackupTimer(db, minutes=60, directory=tmp_path / "b")
    assert timer.tick() is not None  # at start
    assert timer.tick() is None  # nothing new
    register_n(db, library_id, purchase(date.today()), 1)
    assert timer.tick().copies == 1
    timer.directory = tmp_path / "gone"
    (tmp_path / "gone").write_text("")
    register_n(db, library_id, purchase(date.today()), 1)
    assert timer.tick() is None and "バックアップを" in timer.last_error  # said, and tried again next time
    timer.directory = tmp_path / "b"
    assert timer.tick().copies == 2 and timer.last_error is None


def test_the_cli_backs_up(make_database_url, tmp_path):
    env = {"KIOSK_DATABASE_URL": make_database_url("sqlite")}
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--name", "ひまわり小学校図書館"], env=env).exit_code == 0
    result = runner.invoke(main, ["backup", "--to", str(tmp_path / "usb"), "--json"], env=env)
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["copies"] == 0 and (tmp_path / "usb" / made["path"].rsplit("/", 1)[1]).is_file()
    refused = runner.invoke(main, ["backup", "--keep", "0"], env=env)
    assert refused.exit_code == 2 and "残すバックアップは1つ以上" in refused.stderr


def test_serve_starts_the_timer_on_sqlite_and_says_where(make_database_url, tmp_path, monkeypatch, capsys):
    from kiosk_app.serve import backup_timer as _backup_timer

    db = open_database(make_database_url("sqlite"))
    try:
        monkeypatch.setenv("KIOSK_BACKUP_DIR", str(tmp_path / "usb"))
        monkeypatch.setenv("KIOSK_BACKUP_MINUTES", "0")
        assert _backup_timer(db) is None
        monkeypatch.setenv("KIOSK_BACKUP_MINUTES", "every hour")
        with pytest.raises(KioskError) as refused:
            _backup_timer(db)
        assert "分の数で" in refused.value.ja
        monkeypatch.setenv("KIOSK_BACKUP_MINUTES", "30")
        timer = _backup_timer(db)
        try:
            assert timer.minutes == 30 and f"バックアップ: {tmp_path / 'usb'}（30分ごと" in capsys.readouterr().out
            for _ in range(100):  # the first backup, at start, from the timer's own thread
                if latest_backup(tmp_path / "usb"):
                    break
                threading.Event().wait(0.05)
            assert latest_backup(tmp_path / "usb") is not None
        finally:
            timer.stop()
    finally:
        db.dispose()
