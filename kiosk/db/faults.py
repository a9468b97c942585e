"""When the database itself fails: which fault it is, and what to tell the person at the kiosk.

Three faults have their own answer, because each asks for something different:

- ``unreachable``: the database cannot be opened or reached (PostgreSQL stopped or restarting,
  the network down, the SQLite file gone); wait, or start the server, then retry.
- ``disk_full``: the disk holding the database is full (SQLite ``SQLITE_FULL``, PostgreSQL
  ``53100 disk_full`` / "could not extend file"); free space, then retry.
- ``read_only``: the database can be read but not written (SQLite ``SQLITE_READONLY``, a file
  system remounted read-only, PostgreSQL ``25006`` "cannot execute … in a read-only
  transaction"); someone must make it writable again.

In every case the transaction was rolled back: nothing was registered or recorded.
``classify`` maps an exception (SQLAlchemy's wrapper or the DBAPI error itself) to a
``DatabaseFault``, or ``None`` when the error is something else (a bug, a constraint): the
web app and the CLI both use it.
"""

import errno
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from kiosk.errors import KioskError

UNREACHABLE = "unreachable"
DISK_FULL = "disk_full"
READ_ONLY = "read_only"


@dataclass(frozen=True)
class FaultText:
    """What the person is told, in both languages: what happened and what to do."""

    en: str
    ja: str
    advice_en: str
    advice_ja: str


NOTHING_RECORDED_EN = "Nothing was registered or recorded."
NOTHING_RECORDED_JA = "いまの操作は何も登録・記録されていません。"

TEXTS = {
    UNREACHABLE: FaultText(
        en="The database cannot be reached",
        ja="データベースに接続できません",
        advice_en="Check that the database server (or the PC or disk that holds it) is on and "
                  "reachable, wait a moment, then try again.",
        advice_ja="データベースのサーバー（またはデータを置いたPC・ディスク）の電源とネットワークを確かめ、"
                  "しばらく待ってからもう一度操作してください。",
    ),
    DISK_FULL: FaultText(
        en="The disk that holds the database is full",
        ja="データベースのディスクがいっぱいです",
        advice_en="Free some space on that disk (old files, old backups on the same disk), "
                  "then try again.",
        advice_ja="そのディスクの不要なファイル（同じディスク上の古いバックアップなど）を消して空きを作ってから、"
                  "もう一度操作してください。",
    ),
    READ_ONLY: FaultText(
        en="The database is read-only: it cannot be written",
        ja="データベースが読み取り専用になっていて、書き込めません",
        advice_en="Ask whoever looks after this PC or the database server to make it writable "
                  "again (a disk remounted read-only, file permissions, a read-only server), "
                  "then try again.",
        advice_ja="このPCまたはデータベースサーバーの管理者に、書き込めるように戻してもらってから"
                  "（ディスクの読み取り専用、ファイルの権限、読み取り専用のサーバーなど）、もう一度操作してください。",
    ),
}


class DatabaseFault(KioskError):
    """The database failed (not the input): the transaction was rolled back, nothing written.

    ``str(fault)`` is one precise English line for the log; ``ja`` the Japanese line for the
    screen and the CLI; ``kind`` one of UNREACHABLE, DISK_FULL, READ_ONLY; ``detail`` the
    driver's own message."""

    def __init__(self, kind: str, detail: str):
        self.kind = kind
        self.detail = " ".join(detail.split())  # one line, whatever the driver sent
        self.text = TEXTS[kind]
        super().__init__(f"{self.text.en} ({kind}): {self.detail}", f"{self.text.ja}。{NOTHING_RECORDED_JA}")

    def cli_line(self) -> str:
        """What the CLI prints on stderr: English for scripts, then Japanese with what to do."""
        return f"kiosk: {self} / {self.text.ja}。{NOTHING_RECORDED_JA}{self.text.advice_ja}"


# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_PG_STATES = {
    "53100": DISK_FULL,  # disk_full
    "25006": READ_ONLY,  # read_only_sql_transaction
    "57P01": UNREACHABLE,  # admin_shutdown
    "57P02": UNREACHABLE,  # crash_shutdown
    "57P03": UNREACHABLE,  # cannot_connect_now (starting up, shutting down)
    "53300": UNREACHABLE,  # too_many_connections
}

# Words in driver messages, lower-cased, for errors that carry no code.
_PHRASES = (
    ("database or disk is full", DISK_FULL),
    ("no space left on device", DISK_FULL),
    ("could not extend file", DISK_FULL),
    ("readonly database", READ_ONLY),
    ("read-only transaction", READ_ONLY),
    ("read-only file system", READ_ONLY),
    ("connection refused", UNREACHABLE),
    ("server closed the connection", UNREACHABLE),
    ("terminating connection due to administrator command", UNREACHABLE),
    ("the database system is shutting down", UNREACHABLE),
    ("the database system is starting up", UNREACHABLE),
    ("the database system is in recovery mode", UNREACHABLE),
    ("could not connect to server", UNREACHABLE),
    ("connection to server", UNREACHABLE),
    ("connection failed", UNREACHABLE),
    ("connection is closed", UNREACHABLE),
    ("connection timed out", UNREACHABLE),
    ("timeout expired", UNREACHABLE),
    ("could not translate host name", UNREACHABLE),
    ("no route to host", UNREACHABLE),
)


def classify(error: BaseException, database_url: str | URL | None = None) -> DatabaseFault | None:
    """The fault behind ``error``, or None if it is not a database fault.

    ``database_url`` lets an SQLite "unable to open database file" be told apart: a read-only
    or full file system beside the file, else the file cannot be reached."""
    if isinstance(error, DatabaseFault):
        return error
    if not _is_database_error(error):
        return None
    for cause in _chain(error):
        if isinstance(cause, DBAPIError):
            continue  # SQLAlchemy's wrapper: its DBAPI error (``orig``) is next in the chain
        detail = str(cause)
        if kind := _PG_STATES.get(getattr(cause, "sqlstate", None) or ""):
            return DatabaseFault(kind, detail)
        if (getattr(cause, "sqlstate", None) or "").startswith("08"):  # connection_exception
            return DatabaseFault(UNREACHABLE, detail)
        if isinstance(cause, sqlite3.Error) and (kind := _sqlite_kind(cause, database_url)):
            return DatabaseFault(kind, detail)
        lowered = detail.lower()
        for phrase, kind in _PHRASES:
            if phrase in lowered:
                return DatabaseFault(kind, detail)
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return DatabaseFault(UNREACHABLE, str(error.orig))
    return None


def _is_database_error(error: BaseException) -> bool:
    if isinstance(error, (DBAPIError, sqlite3.Error)):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, psycopg.Error)


def _chain(error: BaseException):
    """The error, the DBAPI error it wraps, and their causes: at most a few, never a loop."""
    seen, todo = [], [error]
    while todo and len(seen) < 8:
        current = todo.pop(0)
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def _sqlite_kind(error: sqlite3.Error, database_url) -> str | None:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL"):
        return DISK_FULL
    if name.startswith("SQLITE_READONLY"):
        return READ_ONLY
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR")):
        # A WAL database on a read-only or full file system cannot even be opened: look.
        beside = _filesystem_state(database_url)
        if beside:
            return beside
        return UNREACHABLE if name.startswith("SQLITE_CANTOPEN") else None
    return None


def _filesystem_state(database_url) -> str | None:
    """READ_ONLY or DISK_FULL for the directory of an SQLite file, when it is so; else None."""
    if database_url is None:
        return None
    url = make_url(database_url) if isinstance(database_url, str) else database_url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    directory = Path(url.database).parent
    try:
        stats = os.statvfs(directory)
    except OSError as error:
        return READ_ONLY if error.errno == errno.EROFS else None
    if stats.f_flag & os.ST_RDONLY:
        return READ_ONLY
    if stats.f_bavail == 0 or (stats.f_files and stats.f_favail == 0):  # btrfs reports no inode counts
        return DISK_FULL
    return None
