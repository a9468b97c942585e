"""`kiosk restore`: a restored backup never gives a number twice. Run through the real command
(click's runner, and once as a process) against real SQLite files; the counter's part also on
PostgreSQL."""

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.db.restore import inspect_backup
from kiosk.db.storage import open_database
from kiosk.errors import KioskError
from kiosk.ledger.lost_numbers import continue_after, lost_numbers
from kiosk_app.cli import main
from tests.conftest import postgres_url

ROOT = Path(__file__).resolve().parents[2]


class Kiosk:
    """The `kiosk` command on one data directory (the SQLite file kiosk.sqlite3 in it)."""

    def __init__(self, tmp_path: Path, url: str | None = None):
        self.data = tmp_path / "data"
        self.env = {"KIOSK_DATA_DIR": str(self.data), "KIOSK_STAFF": "テスト司書", "KIOSK_LIBRARY": None,
                    "KIOSK_DATABASE_URL": url, "KIOSK_BACKUP_DIR": str(tmp_path / "usb")}
        self.runner = CliRunner()

    @property
    def database(self) -> Path:
        return self.data / "kiosk.sqlite3"

    def __call__(self, *args: str, expect: int = 0, input: str | None = None):
        result = self.runner.invoke(main, list(args), env=self.env, input=input, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)

    def register(self, copies: int) -> list[int]:
        made = self.json("register", "--title", "ぐりとぐら", "--source", "ひまわり書店", "--price", "1100",
                         "--copies", str(copies))
        return [c["number"] for c in made["copies"]]

    def backup(self) -> Path:
        return Path(self.json("backup")["path"])


@pytest.fixture
def kiosk(tmp_path) -> Kiosk:
    run = Kiosk(tmp_path)
    run("init", "--name", "ひまわり小学校図書館", "--isil", "JP-1234567", "--first-number", "1001")
    return run


def fingerprint(directory: Path) -> dict[str, str]:
    """What each file holds: a database's rows (its SQL dump, so a checkpoint that moves the
    -wal into the main file, which any closing connection may do, is not a change), every
    other file's bytes. -wal and -shm are SQLite's own and are read through the database."""
    held = {}
    for path in sorted(directory.iterdir()):
        if path.name.endswith(("-wal", "-shm")):
            continue
        if path.name.endswith(".sqlite3"):
            with sqlite3.connect(path) as connection:
                held[path.name] = hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
            connection.close()
        else:
            held[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return held


def test_a_restore_continues_after_the_highest_label_and_never_gives_a_number_twice(kiosk):
    assert kiosk.register(3) == [1001, 1002, 1003]
    backup = kiosk.backup()
    assert kiosk.register(2) == [1004, 1005]  # these labels are on books, but not in the backup
    asked = kiosk("restore", str(backup), expect=2)
    assert "最後の登録番号 1003" in asked.stdout and "--highest-label" in asked.stderr
    assert kiosk.json("libraries")["libraries"][0]["next_number"] == 1006  # nothing changed

    done = kiosk.json("restore", str(backup), "--highest-label", "1005", "--yes")
    assert done["backup"]["highest"] == 1003 and done["next_number"] == 1006
    assert (done["lost"]["first"], done["lost"]["last"], done["lost"]["count"]) == (1004, 1005, 2)
    kept = Path(done["kept_aside"])
    assert kept.name.startswith("kiosk.sqlite3.before-restore-")
    with sqlite3.connect(kept) as old:  # the replaced database is kept whole, with its last two copies
        assert [n for (n,) in old.execute("SELECT number FROM copies ORDER BY number")] == list(range(1001, 1006))

    assert kiosk.register(2) == [1006, 1007]
    ledger = kiosk.json("ledger")
    numbers = [r["number"] for s in ledger["sheets"] for r in s["rows"]]
    assert numbers == [1001, 1002, 1003, 1006, 1007]
    assert [(g["first"], g["last"], g["reason_ja"]) for g in ledger["lost_numbers"]] == [
        (1004, 1005, "復元時に失われた番号")]
    every = numbers + [n for g in ledger["lost_numbers"] for n in range(g["first"], g["last"] + 1)]
    assert sorted(every) == list(range(1001, 1008))  # no gap but the recorded 欠番, no number twice
    assert "== 欠番 1004〜1005（2番号）復元時に失われた番号" in kiosk("ledger").stdout
    audit = kiosk("audit").stdout  # the year's figures account for the numbers lost too
    assert "付けた番号\t5個\t欠番 2個" in audit and "欠番\t1004〜1005（2番号）\t復元時に失われた番号" in audit

    out = kiosk.data / "ledger.csv"
    kiosk("ledger", "--csv", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    lost_rows = [row for row in rows[1:] if row[10] == "欠番"]
    assert [row[2] for row in lost_rows] == ["1004", "1005"] and "復元時に失われた番号" in lost_rows[0][13]

    actions = [(e["action"], e["number"]) for e in kiosk.json("history")["events"]]
    assert actions[-4:-2] == [("numbers_lost", 1004), ("restored", None)]
    restored = [e for e in kiosk.json("history")["events"] if e["action"] == "restored"][0]
    assert restored["details"]["highest_label"] == 1005 and restored["details"]["backup_highest"] == 1003
    assert restored["actor"] == "テスト司書"
    assert not list(kiosk.data.glob("*.restoring*"))


def test_a_label_below_the_backups_highest_continues_after_the_backup(kiosk):
    kiosk.register(4)
    backup = kiosk.backup()
    # the current database is gone (a dead disk): nothing to compare with, the backup rules
    for path in kiosk.data.glob("kiosk.sqlite3*"):
        path.unlink()
    done = kiosk.json("restore", str(backup), "--highest-label", "1002", "--yes")
    assert done["next_number"] == 1005 and done["lost"] is None and done["kept_aside"] is None
    assert kiosk.register(1) == [1005]


def test_the_confirmation_can_be_declined(kiosk):
    kiosk.register(1)
    backup = kiosk.backup()
    kiosk.register(1)
    before = fingerprint(kiosk.data)
    declined = kiosk("restore", str(backup), "--highest-label", "1002", input="n\n", expect=1)
    assert "1002〜1002 を欠番" in declined.stdout and "登録番号は 1003 から続けます" in declined.stdout
    assert fingerprint(kiosk.data) == before


def test_a_label_below_the_current_databases_highest_is_refused(kiosk):
    kiosk.register(2)
    backup = kiosk.backup()
    kiosk.register(3)
    before = fingerprint(kiosk.data)
    refused = kiosk("restore", str(backup), "--highest-label", "1004", "--yes", expect=2)
    assert "登録番号 1005 まであります" in refused.stderr
    assert fingerprint(kiosk.data) == before


@pytest.mark.parametrize("make", ["text", "sqlite", "damaged", "newer"])
def test_a_file_that_is_not_a_kiosk_database_is_refused_and_nothing_changes(kiosk, tmp_path, make):
    kiosk.register(2)
    good = kiosk.backup()
    wrong = tmp_path / f"wrong-{make}.sqlite3"
    if make == "text":
        wrong.write_text("登録番号,書名\n1,ぐりとぐら\n", encoding="utf-8")
    elif make == "sqlite":
        with sqlite3.connect(wrong) as other:
            other.execute("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT)")
    elif make == "damaged":
        data = bytearray(good.read_bytes())
        data[len(data) // 2:] = b"\x00" * (len(data) - len(data) // 2)
        wrong.write_bytes(bytes(data))
    else:
        shutil.copy(good, wrong)
        with sqlite3.connect(wrong) as newer:
            newer.execute("UPDATE alembic_version SET version_num = '9999'")
    before = fingerprint(kiosk.data)
    refused = kiosk("restore", str(wrong), "--highest-label", "1002", "--yes", expect=2)
    assert refused.stderr.startswith("kiosk: ") and "何も変更していません" in refused.stderr
    if make in ("text", "sqlite"):
        assert "受入キオスクのデータベース（バックアップ）ではありません" in refused.stderr
    assert fingerprint(kiosk.data) == before
    assert kiosk.register(1) == [1003]


def test_another_librarys_backup_is_refused(kiosk, tmp_path):
    other = Kiosk(tmp_path / "other")
    other("init", "--name", "あおぞら中学校図書館", "--first-number", "1")
    other.register(1)
    theirs = other.backup()
    before = fingerprint(kiosk.data)
    refused = kiosk("restore", str(theirs), "--highest-label", "5000", "--yes", expect=2)
    assert "あおぞら中学校図書館" in refused.stderr and fingerprint(kiosk.data) == before


def test_a_typo_in_the_highest_label_cannot_retire_a_whole_future(kiosk):
    kiosk.register(1)
    backup = kiosk.backup()
    before = fingerprint(kiosk.data)
    refused = kiosk("restore", str(backup), "--highest-label", "10000000", "--yes", expect=2)
    assert "ラベルにある最大の登録番号を確かめてください" in refused.stderr
    assert fingerprint(kiosk.data) == before and not list(kiosk.data.glob("*.restoring*"))


def test_the_real_program_restores(kiosk, tmp_path):
    kiosk.register(2)
    backup = kiosk.backup()
    kiosk.register(1)
    env = {**os.environ, "KIOSK_DATA_DIR": str(kiosk.data), "KIOSK_STAFF": "テスト司書"}
    for name in ("KIOSK_DATABASE_URL", "KIOSK_LIBRARY"):
        env.pop(name, None)
    ran = subprocess.run([sys.executable, "-m", "kiosk", "restore", str(backup), "--highest-label", "1003", "--yes"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert "次の登録番号は 1004 です" in ran.stdout
    assert kiosk.register(1) == [1004]


def test_inspect_backup_reads_the_highest_number(kiosk):
    kiosk.register(3)
    facts = inspect_backup(kiosk.backup())
    assert (facts.library_name, facts.library_isil, facts.copies, facts.highest, facts.next_number) == (
        "ひまわり小学校図書館", "JP-1234567", 3, 1003, 1004)


def test_a_restore_is_refused_on_postgresql_with_the_way_to_do_it(tmp_path, make_database_url, kiosk):
    kiosk.register(1)
    backup = kiosk.backup()
    on_server = Kiosk(tmp_path / "pg", make_database_url("postgresql"))
    on_server("init", "--name", "ひまわり小学校図書館")
    refused = on_server("restore", str(backup), "--highest-label", "5", "--yes", expect=2)
    assert "pg_restore" in refused.stderr and "--after-pg-restore" in refused.stderr


def test_after_pg_restore_the_counter_continues(tmp_path, make_database_url, backend):
    """The counter's part of a restore, on both backends (on PostgreSQL after pg_restore)."""
    url = make_database_url(backend)
    run = Kiosk(tmp_path, url)
    run("init", "--name", "ひまわり小学校図書館", "--first-number", "1001")
    run.register(2)
    done = run.json("restore", "--after-pg-restore", "--highest-label", "1010")
    assert done["next_number"] == 1011 and (done["lost"]["first"], done["lost"]["last"]) == (1003, 1010)
    assert run.register(1) == [1011]
    again = run.json("restore", "--after-pg-restore", "--highest-label", "1005")  # already past: no new 欠番
    assert again["next_number"] == 1012 and again["lost"] is None
    ledger = run.json("ledger")
    assert [(g["first"], g["last"]) for g in ledger["lost_numbers"]] == [(1003, 1010)]


def test_continue_after_locks_the_counter_and_records_in_one_transaction(db, library_id):
    from tests.core.helpers import purchase, register_n
    from datetime import date

    register_n(db, library_id, purchase(date.today()), 2)
    with pytest.raises(RuntimeError):
        with db.write() as session:
            continue_after(session, library_id, 1100, source="test", actor="t")
            raise RuntimeError("killed before the commit")
    with db.read() as session:
        assert lost_numbers(session, library_id) == []  # all or nothing
    with db.write() as session:
        with pytest.raises(KioskError):
            continue_after(session, library_id, -1, source="test", actor="t")
    with db.write() as session:
        done = continue_after(session, library_id, 1100, source="test", actor="t")
    assert (done.backup_highest, done.next_number, done.lost.first, done.lost.count) == (1002, 1101, 1003, 98)
    assert [c.number for c in register_n(db, library_id, purchase(date.today()), 1).copies] == [1101]
