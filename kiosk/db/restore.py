"""Restoring an SQLite kiosk from a backup without giving a number twice.

A backup does not know the copies registered after it, but their labels are on books. So a
restore needs the highest number already on a label (the last book's, or the highest the logs
saw): the counter continues after it and the numbers between are recorded as 欠番 (lost at
restore, kiosk.ledger.lost_numbers), in the restored file, before it becomes the kiosk's.

The kiosk's file is never half-replaced: the backup is copied beside it (``.restoring``),
migrated, its counter moved on, checked (``PRAGMA integrity_check``) and synced; only then is the
current file (with its ``-wal`` and ``-shm``) moved aside as ``.before-restore-<time>``, kept, and
the new one renamed into place. A PostgreSQL database is restored on its server (pg_restore);
``continue_after_server_restore`` then does the counter's part (README, "Restoring").
"""

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from kiosk.db.storage import MIGRATIONS, Database, normalise_url, open_database
from kiosk.errors import KioskError
from kiosk.kept_file import fsync_path
from kiosk.ledger.lost_numbers import Continuation, continue_after

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
KIOSK_TABLES = {"alembic_version", "libraries", "copies", "events"}


class NotAKioskDatabase(KioskError):
    """The file given to restore is not a kiosk database (or not a whole one)."""


@dataclass(frozen=True)
class BackupFacts:
    """What a backup file holds, read before anything is changed."""

    path: Path
    revision: str
    library_id: int
    library_name: str
    library_isil: str | None
    library_created: str  # with the id, tells one library from another
    copies: int
    highest: int | None  # the highest registration number the backup had given
    next_number: int  # its counter: the number it would give next

    def to_json(self) -> dict:
        return {"path": str(self.path), "revision": self.revision, "library": {
            "id": self.library_id, "name": self.library_name, "isil": self.library_isil},
            "copies": self.copies, "highest": self.highest, "next_number": self.next_number}


@dataclass(frozen=True)
class Restored:
    backup: BackupFacts
    continuation: Continuation
    database: Path
    kept_aside: Path | None  # the database that was replaced, kept

    def to_json(self) -> dict:
        lost = self.continuation.lost
        return {"backup": self.backup.to_json(), "database": str(self.database),
                "kept_aside": str(self.kept_aside) if self.kept_aside else None,
                "highest_label": self.continuation.highest_label, "next_number": self.continuation.next_number,
                "lost": lost.to_json() if lost else None}


def known_revisions() -> set[str]:
    return {m.group(1) for p in (MIGRATIONS / "versions").glob("*.py") if (m := re.match(r"(\d{4})_", p.name))}


def inspect_backup(path: Path) -> BackupFacts:
    """The backup's library and highest number; NotAKioskDatabase if it is not a whole kiosk file."""
    path = Path(path)
    refused = NotAKioskDatabase(
        f"{path} is not a kiosk database",
        f"「{path.name}」は受入キオスクのデータベース（バックアップ）ではありません。"
        "kiosk-年月日-時刻.sqlite3 のファイルを指定してください（何も変更していません）")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise NotAKioskDatabase(f"cannot read {path}: {error}",
                                f"「{path}」を読めません（ファイルの場所を確かめてください）") from None
    if header != SQLITE_HEADER:
        log.warning("restore refused: %s is not an SQLite file", path)
        raise refused
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            log.warning("restore refused: %s is damaged: %s", path, verdict)
            raise NotAKioskDatabase(f"{path} is damaged: {verdict}",
                                    f"バックアップ「{path.name}」は壊れています。別のバックアップを指定してください（何も変更していません）")
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not KIOSK_TABLES <= tables:
            log.warning("restore refused: %s lacks the tables %s", path, sorted(KIOSK_TABLES - tables))
            raise refused
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] not in known_revisions():
            log.warning("restore refused: %s is at schema %s, unknown to this kiosk", path, revision)
            raise NotAKioskDatabase(
                f"{path} is at schema revision {revision and revision[0]!r}, unknown to this version of the kiosk",
                f"バックアップ「{path.name}」は、このキオスクより新しい版で作られたため復元できません（何も変更していません）")
        libraries = connection.execute(
            "SELECT id, name, isil, created_at, first_number, next_number FROM libraries ORDER BY id").fetchall()
        if len(libraries) != 1:
            raise NotAKioskDatabase(
                f"{path} holds {len(libraries)} libraries: an SQLite kiosk restores one",
                f"バックアップ「{path.name}」には図書館が{len(libraries)}館あります。復元できるのは1館のバックアップです")
        library_id, name, isil, created, first_number, next_number = libraries[0]
        copies, top = connection.execute(
            "SELECT count(*), max(number) FROM copies WHERE library_id = ?", (library_id,)).fetchone()
    except sqlite3.DatabaseError as error:
        log.warning("restore refused: %s cannot be read as a database: %s", path, error)
        raise refused from None
    finally:
        connection.close()
    given = [n for n in (top, next_number - 1 if next_number > first_number else None) if n is not None]
    return BackupFacts(path, revision[0], library_id, name, isil, str(created), copies,
                       max(given) if given else None, next_number)


def restore_sqlite(url: str, backup: Path, highest_label: int, *, actor: str, now: datetime | None = None) -> Restored:
    """Make ``backup`` the kiosk's database at ``url``, its counter after ``highest_label``."""
    target = sqlite_path(url)
    facts = inspect_backup(backup)
    current = _current(target)
    if current is not None:
        _check_same_library(facts, current)
        if current.highest is not None and current.highest > highest_label:
            raise KioskError(
                f"the current database has given numbers up to {current.highest}, above --highest-label {highest_label}",
                f"いまのデータベースには登録番号 {current.highest} まであります。"
                f"ラベルにある最大の登録番号は {current.highest} 以上です（何も変更していません）")
    staging = target.with_name(target.name + ".restoring")
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    try:
        _remove_set(staging)
        _copy(facts.path, staging)
        db = open_database(f"sqlite:///{staging}")  # an older backup is migrated here
        try:
            with db.write() as session:
                continuation = continue_after(session, facts.library_id, highest_label,
                                              source=f"復元: {facts.path.name}", actor=actor)
        finally:
            db.dispose()
        _settle(staging)
    except BaseException:
        _remove_set(staging)
        raise
    aside = target.with_name(f"{target.name}.before-restore-{stamp}") if target.exists() else None
    if aside is not None:
        _move_set(target, aside)
    try:
        os.replace(staging, target)
        fsync_path(target.parent)
    except OSError as error:
        if aside is not None:
            _move_set(aside, target)
        _remove_set(staging)
        raise KioskError(f"cannot put the restored database in place: {error}",
                         "復元したデータベースを置けませんでした（何も変更していません）") from None
    log.info("restored %s from %s: counter continues at %d (backup's highest %s, highest on a label %d, lost %s); "
             "the replaced database kept as %s", target, facts.path, continuation.next_number, facts.highest,
             highest_label, continuation.lost and f"{continuation.lost.first}-{continuation.lost.last}", aside)
    return Restored(facts, continuation, target, aside)


def continue_after_server_restore(db: Database, library_id: int, highest_label: int, *, actor: str) -> Continuation:
    """PostgreSQL, after pg_restore on the server: the counter's part of a restore."""
    with db.write() as session:
        return continue_after(session, library_id, highest_label, source="復元（pg_restore）", actor=actor)


def sqlite_path(url: str) -> Path:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise KioskError(
            "kiosk restore FILE restores an SQLite kiosk; a PostgreSQL database is restored on its server "
            "with pg_restore, then `kiosk restore --after-pg-restore --highest-label N`",
            "PostgreSQLのデータはサーバーで pg_restore で復元し、そのあと "
            "kiosk restore --after-pg-restore --highest-label 番号 を実行してください")
    return Path(parsed.database)


def _current(target: Path) -> BackupFacts | None:
    """The kiosk's current database, if it is there and readable (it may be the damaged one)."""
    if not target.exists():
        return None
    try:
        return inspect_backup(target)
    except KioskError as error:
        log.warning("restore: the current database %s cannot be read (%s); it will be kept aside", target, error)
        return None


def _check_same_library(backup: BackupFacts, current: BackupFacts) -> None:
    if (backup.library_id, backup.library_created) != (current.library_id, current.library_created):
        raise KioskError(
            f"the backup is of library {backup.library_name!r}, not of this kiosk's {current.library_name!r}",
            f"このバックアップは「{backup.library_name}」のもので、このキオスクの「{current.library_name}」のものでは"
            "ありません（何も変更していません）")


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
        src.close()


def _settle(path: Path) -> None:
    """One self-contained file (the WAL folded in), checked whole, on disk."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if verdict != "ok":
        raise KioskError(f"the restored copy failed its check: {verdict}",
                         "復元したデータの検査に失敗しました（何も変更していません）")
    fsync_path(path)


def _companions(path: Path) -> list[tuple[Path, str]]:
    return [(path.with_name(path.name + suffix), suffix) for suffix in ("", "-wal", "-shm", "-journal")]


def _move_set(source: Path, target: Path) -> None:
    """Move a database file with its -wal/-shm/-journal, so it opens as it was under the new name."""
    for path, suffix in _companions(source):
        if path.exists():
            os.replace(path, target.with_name(target.name + suffix))
    fsync_path(target.parent)


def _remove_set(path: Path) -> None:
    for companion, _ in _companions(path):
        if companion.exists():
            companion.unlink()
