"""The `kiosk` command when the database fails: its own Japanese line per fault (unreachable,
disk full, read-only), exit status 2, no traceback, and nothing registered. Real processes
against real faults: nothing listening, a PostgreSQL server stopped, a full tmpfs, a database
file bound read-only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import throwaway_postgres, tmpfs

ROOT = Path(__file__).resolve().parents[2]
REGISTER = ("register", "--isbn", "9784033280103", "--title", "はらぺこあおむし", "--source", "ひまわり書店",
            "--list-price", "1200", "--date", "2026-11-20")


def kiosk(database_url: str, tmp_path: Path, *args: str, expect: int = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_DATABASE_URL": database_url, "KIOSK_STAFF": "テスト司書",
           "KIOSK_DATA_DIR": str(tmp_path / "data")}
    env.pop("KIOSK_LIBRARY", None)
    result = subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == expect, (result.stdout, result.stderr)
    return result


def assert_fault_line(result, *, english: str, japanese: str, advice: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    assert lines[0].startswith("kiosk: ") and english in lines[0]
    assert japanese in lines[0] and "何も登録・記録されていません" in lines[0] and advice in lines[0]


def test_nothing_listening(tmp_path):
    url = f"postgresql://postgres@127.0.0.1:{throwaway_postgres.free_port()}/kiosk"
    result = kiosk(url, tmp_path, "libraries", expect=2)
    assert_fault_line(result, english="The database cannot be reached (unreachable): connection failed",
                      japanese="データベースに接続できません", advice="しばらく待ってから")


def test_postgres_stopped_then_started(tmp_path):
    if reason := throwaway_postgres.available():
        pytest.skip(reason)
    server = throwaway_postgres.ThrowawayPostgres().init()
    try:
        kiosk(server.url, tmp_path, "init", "--name", "ひまわり小学校図書館", "--first-number", "12001")
        server.stop()
        result = kiosk(server.url, tmp_path, *REGISTER, expect=2)
        assert_fault_line(result, english="(unreachable)", japanese="データベースに接続できません",
                          advice="もう一度操作してください")
        server.start()
        assert "登録番号 12001" in kiosk(server.url, tmp_path, *REGISTER).stdout
    finally:
        server.destroy()


@pytest.fixture
def can_mount():
    if reason := tmpfs.tmpfs_unavailable():
        pytest.skip(reason)


def test_full_disk_then_space_freed(can_mount, tmp_path):
    with tmpfs.small_tmpfs("4m") as disk:
        url = f"sqlite:///{disk / 'kiosk.sqlite3'}"
        kiosk(url, tmp_path, "init", "--name", "ひまわり小学校図書館", "--first-number", "12001")
        filler = tmpfs.fill(disk)
        result = kiosk(url, tmp_path, *REGISTER, expect=2)
        assert_fault_line(result, english="The disk that holds the database is full (disk_full)",
                          japanese="データベースのディスクがいっぱいです", advice="空きを作って")
        filler.unlink()
        assert "登録番号 12001" in kiosk(url, tmp_path, *REGISTER).stdout  # the number was not used up


def test_read_only_database_file(can_mount, tmp_path):
    database = tmp_path / "kiosk.sqlite3"
    url = f"sqlite:///{database}"
    kiosk(url, tmp_path, "init", "--name", "ひまわり小学校図書館", "--first-number", "12001")
    with tmpfs.read_only_file(database):
        assert "ひまわり小学校図書館" in kiosk(url, tmp_path, "libraries").stdout  # reading works
        result = kiosk(url, tmp_path, *REGISTER, expect=2)
        assert_fault_line(result, english="The database is read-only: it cannot be written (read_only)",
                          japanese="データベースが読み取り専用になっていて、書き込めません", advice="管理者に")
    assert "登録番号 12001" in kiosk(url, tmp_path, *REGISTER).stdout


def test_read_only_file_system(can_mount, tmp_path):
    with tmpfs.small_tmpfs("4m") as disk:
        url = f"sqlite:///{disk / 'kiosk.sqlite3'}"
        kiosk(url, tmp_path, "init", "--name", "ひまわり小学校図書館", "--first-number", "12001")
        with tmpfs.read_only_remount(disk):
            result = kiosk(url, tmp_path, "libraries", expect=2)
            assert_fault_line(result, english="(read_only): unable to open database file",
                              japanese="読み取り専用", advice="管理者に")
