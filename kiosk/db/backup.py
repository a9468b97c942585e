"""Backups of an SQLite kiosk: the whole ledger is one file on one PC, so a copy of it goes to
another disk (a USB stick, a school share) while the kiosk runs.

SQLite's online backup API copies a consistent snapshot even while the kiosk writes; the copy
is checked (``PRAGMA integrity_check``) and counted before it replaces nothing: it is written
as ``.partial``, synced, then renamed, so a backup file that exists is a whole one. The newest
``keep`` backups are kept. A PostgreSQL database is backed up on its server (pg_dump), by the
people who run it.
"""

import logging
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from kiosk import config
from kiosk.errors import KioskError
from kiosk.kept_file import fsync_path
from kiosk.db.models import Event
from kiosk.db.storage import Database

log = logging.getLogger(__name__)
NAME = re.compile(r"kiosk-\d{8}-\d{6}\.sqlite3")  # only files the kiosk wrote are ever pruned
DEFAULT_KEEP = 48


@dataclass(frozen=True)
class Backup:
    path: Path
    copies: int  # ledger rows in the backup
    last_number: int | None
    size: int  # bytes


def backup_dir() -> Path:
    """``KIOSK_BACKUP_DIR`` (point it at another disk), else ``backups`` in the data directory."""
    return Path(os.environ.get("KIOSK_BACKUP_DIR") or config.data_dir() / "backups")


def back_up(db: Database, directory: Path | None = None, *, keep: int = DEFAULT_KEEP,
            now: datetime | None = None) -> Backup:
    if db.dialect != "sqlite":
        raise KioskError("a PostgreSQL database is backed up on its server (pg_dump)",
                         "PostgreSQLのデータはサーバーでバックアップしてください（pg_dump）")
    if keep < 1:
        raise KioskError("keep at least one backup", "残すバックアップは1つ以上にしてください")
    directory = Path(directory or backup_dir())
    source = db.engine.url.database
    final = directory / f"kiosk-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}.sqlite3"
    partial = final.with_suffix(".partial")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _copy(source, partial)
        copies, last_number = _check(partial)
        fsync_path(partial)
        os.replace(partial, final)
        fsync_path(directory)
    except (OSError, sqlite3.Error) as error:
        if partial.is_file():
            partial.unlink()
        log.error("backup to %s failed: %s", directory, error)
        raise KioskError(f"cannot write the backup to {directory}: {error}",
                         f"バックアップを {directory} に書き込めませんでした（保存先の空きと、USBメモリなら差し込まれているかを確かめてください）") from None
    for old in _backups(directory)[:-keep]:
        if old.resolve() != Path(source).resolve():  # never the kiosk's own database
            old.unlink()
    log.info("backed up %d copies (last number %s) to %s", copies, last_number, final)
    return Backup(final, copies, last_number, final.stat().st_size)


def latest_backup(directory: Path | None = None) -> Path | None:
    """The newest backup in ``directory`` (the names sort by time), if any."""
    found = _backups(Path(directory or backup_dir()))
    return found[-1] if found else None


def _backups(directory: Path) -> list[Path]:
    """The backups in ``directory``, oldest first (their names sort by time)."""
    return sorted(p for p in directory.glob("kiosk-*.sqlite3") if NAME.fullmatch(p.name))


def _copy(source: str, target: Path) -> None:
    src = sqlite3.connect(source, timeout=60)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)  # one step: a consistent snapshot, whatever the kiosk writes meanwhile
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()
        src.close()


def _check(path: Path) -> tuple[int, int | None]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"the copy is damaged: {verdict}")
        return connection.execute("SELECT count(*), max(number) FROM copies").fetchone()
    finally:
        connection.close()




class BackupTimer:
    """While the kiosk serves: a backup every ``minutes`` if anything was recorded since the
    last one (the event log only grows), and one at start. Failures are logged and retried at
    the next tick; they never stop the kiosk."""

    def __init__(self, db: Database, minutes: float, directory: Path | None = None, keep: int = DEFAULT_KEEP):
        self.db, self.minutes, self.directory, self.keep = db, minutes, directory, keep
        self.last_event: int | None = -1
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-backup", daemon=True)

    def start(self) -> "BackupTimer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def tick(self) -> Backup | None:
        """One check: back up if the log moved since the last backup."""
        with self.db.read() as session:
            newest = session.scalar(select(func.max(Event.id)))
        if newest == self.last_event:
            return None
        try:
            made = back_up(self.db, self.directory, keep=self.keep)
        except KioskError as error:
            self.last_error = error.ja
            return None
        self.last_event, self.last_error = newest, None
        return made

    def _run(self) -> None:
        while True:
            self.tick()
            if self._stop.wait(self.minutes * 60):
                return
